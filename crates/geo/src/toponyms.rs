//! Toponyms in text: gazetteer names, country names and demonyms from the actor stage, capitals used as
//! places, "X-based", "in/near/outside of X", all-caps dateline openings; metonymic capitals and seats of
//! power are actors and never toponyms.

use std::collections::HashSet;

use annalist_actors::{Actors, MentionKind};
use annalist_core::{Document, EntityType, RegionKind, Span};
use annalist_text::{Segmented, TokenKind};

use crate::gazetteer::{fold_key, Gazetteer, Kind, NameRef};

/// How a toponym is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToponymKind {
    /// A name ("Qamishli", "Texas", "Russia").
    Name,
    /// A demonym or country adjective ("Syrian", "Americans").
    Demonym,
    /// The dateline place ("BEIJING, November 1" or an all-caps opening "BEIRUT (AP) -").
    Dateline,
}

/// A toponym found in the text, before resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Toponym {
    pub span: Span,
    pub kind: ToponymKind,
    /// Gazetteer features the name may refer to.
    pub candidates: Vec<NameRef>,
    /// The country (or continent) the actor stage gave this span.
    pub actor_country: Option<u32>,
    /// The actor stage found a capital used as a place here ("in Moscow").
    pub capital_hint: bool,
    /// What in the text says this is a place ("after \"in\"", "X-based", "followed by \"Texas\"").
    pub cue: Option<String>,
    /// Divisions or countries named right after it ("Paris, Texas"): the candidates of that toponym.
    pub context: Vec<u32>,
    /// Index of the sentence (None for a dateline outside the coded text).
    pub sentence: Option<u32>,
    pub headline: bool,
    /// Written as part of a longer capitalised name ("Los Angeles Times", "Lake Victoria"): not a toponym.
    pub in_longer_name: bool,
    /// Written like a person's name: the same word is part of a person's name in the article ("Dewly
    /// Nelson" … "Nelson said"), or the name no dictionary knows was typed a person.
    pub person_like: bool,
}

/// Words before a toponym that make it a place.
const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "from",
    "to",
    "into",
    "across",
    "around",
    "via",
    "toward",
    "towards",
    "through",
    "throughout",
    "inside",
    "within",
    "between",
    "visit",
    "visited",
    "visiting",
    "visits",
    "arrived",
    "reached",
    "entered",
    "left",
    "outskirts",
];

/// Words before "of" that make what follows a place ("north of X", "outside of X").
const RELATIVE: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "outside",
    "outskirts",
    "centre",
    "center",
    "city",
    "town",
    "village",
    "capital",
    "province",
    "state",
    "region",
    "part",
    "parts",
    "suburbs",
    "residents",
    "people",
    "mayor",
    "governor",
];

/// Capitalised words that may stand before a name without making it part of a longer name.
const DIRECTIONS: &[&str] = &[
    "North",
    "South",
    "East",
    "West",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "Northeast",
    "Northwest",
    "Southeast",
    "Southwest",
    "Northeastern",
    "Northwestern",
    "Southeastern",
    "Southwestern",
    "Greater",
    "In",
    "At",
    "From",
    "Near",
    "To",
    "Outside",
    "The",
    "A",
    "And",
    "But",
    "For",
    "With",
    "By",
    "On",
    "Of",
    "As",
];

/// CAMEO region codes that are GeoNames continents.
const REGION_CONTINENT: &[(&str, &str)] = &[
    ("AFR", "Africa"),
    ("EUR", "Europe"),
    ("ASA", "Asia"),
    ("SAM", "South America"),
    ("NMR", "North America"),
];

pub(crate) struct Scan<'a> {
    pub doc: &'a Document,
    pub seg: &'a Segmented,
    pub gaz: &'a Gazetteer,
}

impl Scan<'_> {
    fn text(&self) -> &str {
        &self.doc.text
    }

    fn sentence_of(&self, at: u32) -> Option<u32> {
        let i = self.seg.sentences.partition_point(|s| s.span.end <= at);
        (i < self.seg.sentences.len() && self.seg.sentences[i].span.start <= at).then_some(i as u32)
    }

    /// Index of the token starting at `at`, if any.
    fn token_at(&self, at: u32) -> Option<usize> {
        let i = self.seg.tokens.partition_point(|t| t.span.start < at);
        (i < self.seg.tokens.len() && self.seg.tokens[i].span.start == at).then_some(i)
    }

    fn tok(&self, i: usize) -> &str {
        self.seg.tokens[i].text(self.text())
    }

    /// The feature of a CAMEO country or region code.
    fn country_feature(&self, code: &str) -> Option<u32> {
        if let Some(c) = self.gaz.country(code) {
            return Some(c);
        }
        let name = REGION_CONTINENT.iter().find(|(c, _)| *c == code)?.1;
        self.gaz
            .lookup(name)
            .iter()
            .find(|r| self.gaz.get(r.feature).kind == Kind::Continent)
            .map(|r| r.feature)
    }

    /// What the words before `at` (same sentence) say: "after \"in\"", "after \"north of\"".
    pub(crate) fn locative_before(&self, at: u32) -> Option<String> {
        let first = self.token_at(at)?;
        let sent_start = self
            .sentence_of(at)
            .map(|s| self.seg.sentence_tokens[s as usize].start)?;
        let mut i = first.checked_sub(1)?;
        if i < sent_start {
            return None;
        }
        let lower = |i: usize| self.tok(i).to_ascii_lowercase();
        // Skip "the" and a direction adjective ("in northern Syria", "in the southern city of").
        let mut skipped = 0;
        while skipped < 2
            && i > sent_start
            && matches!(
                lower(i).as_str(),
                "the"
                    | "northern"
                    | "southern"
                    | "eastern"
                    | "western"
                    | "central"
                    | "northeastern"
                    | "northwestern"
                    | "southeastern"
                    | "southwestern"
                    | "downtown"
            )
        {
            i -= 1;
            skipped += 1;
        }
        let w = lower(i);
        if w == "of" && i > sent_start {
            let r = lower(i - 1);
            if RELATIVE.contains(&r.as_str()) {
                return Some(format!("after \"{} of\"", self.tok(i - 1)));
            }
            return None;
        }
        LOCATIVE
            .contains(&w.as_str())
            .then(|| format!("after \"{}\"", self.tok(i)))
    }
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

fn is_all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// AP-style abbreviations of US states, written after a city ("Springfield, Ill.").
const US_STATE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("Ala.", "AL"),
    ("Ariz.", "AZ"),
    ("Ark.", "AR"),
    ("Calif.", "CA"),
    ("Colo.", "CO"),
    ("Conn.", "CT"),
    ("Del.", "DE"),
    ("D.C.", "DC"),
    ("Fla.", "FL"),
    ("Ga.", "GA"),
    ("Ill.", "IL"),
    ("Ind.", "IN"),
    ("Kan.", "KS"),
    ("Kans.", "KS"),
    ("Ky.", "KY"),
    ("La.", "LA"),
    ("Md.", "MD"),
    ("Mass.", "MA"),
    ("Mich.", "MI"),
    ("Minn.", "MN"),
    ("Miss.", "MS"),
    ("Mo.", "MO"),
    ("Mont.", "MT"),
    ("Neb.", "NE"),
    ("Nev.", "NV"),
    ("N.H.", "NH"),
    ("N.J.", "NJ"),
    ("N.M.", "NM"),
    ("N.Y.", "NY"),
    ("N.C.", "NC"),
    ("N.D.", "ND"),
    ("Okla.", "OK"),
    ("Ore.", "OR"),
    ("Pa.", "PA"),
    ("R.I.", "RI"),
    ("S.C.", "SC"),
    ("S.D.", "SD"),
    ("Tenn.", "TN"),
    ("Vt.", "VT"),
    ("Va.", "VA"),
    ("Wash.", "WA"),
    ("W.Va.", "WV"),
    ("Wis.", "WI"),
    ("Wyo.", "WY"),
];

fn toponym(span: Span, kind: ToponymKind, candidates: Vec<NameRef>, sentence: Option<u32>, headline: bool) -> Toponym {
    Toponym {
        span,
        kind,
        candidates,
        actor_country: None,
        capital_hint: false,
        cue: None,
        context: Vec::new(),
        sentence,
        headline,
        in_longer_name: false,
        person_like: false,
    }
}

/// Finds the toponyms of a document (dateline first, then in text order).
pub fn find_toponyms(doc: &Document, seg: &Segmented, actors: &Actors, gaz: &Gazetteer) -> Vec<Toponym> {
    let scan = Scan { doc, seg, gaz };
    let text = &doc.text;
    let in_headline = |s: Span| doc.region_of(s).is_some_and(|r| r.kind == RegionKind::Headline);

    // Spans that are actors, not places: people, organisations, roles, metonymic capitals and seats.
    let mut blocked: Vec<Span> = Vec::new();
    // Names no dictionary knows: a gazetteer match strictly inside one is part of a longer name ("Chicago
    // Tribune"); one typed a person makes the match person-like.
    let mut unknown_names: Vec<(Span, EntityType)> = Vec::new();
    // Words of people's names ("Nelson" of "Dewly Nelson").
    let mut person_words: HashSet<&str> = HashSet::new();
    // Every actor mention span, for demonyms inside longer names.
    let mut out: Vec<Toponym> = Vec::new();
    for m in &actors.mentions {
        if m.etype == EntityType::Person && matches!(m.kind, MentionKind::Name | MentionKind::Unknown) {
            // Surnames: the last word of a full name.
            let name = &text[m.head.range()];
            if name.split_whitespace().count() >= 2 && name.split_whitespace().all(starts_upper) {
                person_words.extend(name.split_whitespace().last());
            }
        }
        match (m.kind, m.etype) {
            (MentionKind::Name, EntityType::Loc) => {
                let code = m.code.as_deref();
                let metonym = !m.is_place && code.is_some_and(|c| c.len() > 3 && c.ends_with("GOV"));
                if metonym {
                    blocked.push(m.span);
                    continue;
                }
                let head = trim_the(text, m.head);
                let mut key = fold_key(&text[head.range()]);
                if gaz.lookup_key(&key).is_empty() {
                    // "Washington, D.C.": the name before the comma.
                    if let Some((first, _)) = key.split_once(',') {
                        key = first.to_string();
                    }
                }
                let mut t = toponym(
                    head,
                    ToponymKind::Name,
                    gaz.lookup_key(&key).to_vec(),
                    scan.sentence_of(head.start),
                    in_headline(head),
                );
                // The actor stage codes a capital used as a place ("in Kabul") with its country: the name
                // is then a capital city of that country, not the country.
                let country = code.and_then(|c| scan.country_feature(c));
                let capital = m.is_place
                    && country.is_some_and(|c| {
                        let cf = gaz.get(c);
                        !t.candidates.iter().any(|r| r.feature == c)
                            && t.candidates.iter().any(|r| {
                                let f = gaz.get(r.feature);
                                f.kind == Kind::City && f.country == cf.country
                            })
                    });
                if capital {
                    t.capital_hint = true;
                } else if let Some(c) = country {
                    t.actor_country = Some(c);
                    if !t.candidates.iter().any(|r| r.feature == c) {
                        t.candidates.push(NameRef {
                            feature: c,
                            primary: false,
                        });
                    }
                }
                if !t.candidates.is_empty() {
                    out.push(t);
                }
            }
            (MentionKind::Adjective, _) => {
                let Some(c) = m.code.as_deref().and_then(|c| scan.country_feature(c)) else {
                    continue;
                };
                let mut t = toponym(
                    m.head,
                    ToponymKind::Demonym,
                    vec![NameRef {
                        feature: c,
                        primary: true,
                    }],
                    scan.sentence_of(m.head.start),
                    in_headline(m.head),
                );
                t.actor_country = Some(c);
                out.push(t);
            }
            (MentionKind::Unknown, et) if m.code.is_none() => unknown_names.push((m.head, et)),
            (MentionKind::Name | MentionKind::Unknown | MentionKind::Role, _) => blocked.push(m.head),
            _ => {}
        }
    }
    // A demonym inside a longer name is not the country: "Indian Ocean", "French Quarter", "Central
    // American" (role phrases such as "Russian troops" are the actor stage's and stay).
    out.retain(|t| {
        if t.kind != ToponymKind::Demonym || t.headline {
            return true;
        }
        let Some(ti) = scan.token_at(t.span.start) else {
            return true;
        };
        let after = seg.tokens.partition_point(|n| n.span.start < t.span.end);
        let next = seg.tokens.get(after).filter(|n| {
            n.kind == TokenKind::Word
                && starts_upper(n.text(text))
                && text[t.span.end as usize..n.span.start as usize].trim().is_empty()
        });
        let next_is_name = next.is_some_and(|n| {
            !actors
                .mentions
                .iter()
                .any(|m| m.span.contains(n.span) && !matches!(m.kind, MentionKind::Unknown))
        });
        let first_of_sentence = t.sentence.is_some_and(|s| seg.sentence_tokens[s as usize].start == ti);
        let prev_cap = !first_of_sentence && ti > 0 && {
            let p = seg.tokens[ti - 1].text(text);
            seg.tokens[ti - 1].kind == TokenKind::Word
                && starts_upper(p)
                && !matches!(
                    p,
                    "The" | "A" | "An" | "In" | "At" | "For" | "And" | "But" | "Of" | "On" | "By" | "With"
                )
        };
        !(next_is_name || prev_cap)
    });

    // The dateline.
    let mut dateline: Option<Toponym> = None;
    if let Some(d) = &doc.dateline {
        let cands = gaz.lookup(&d.place).to_vec();
        if !cands.is_empty() {
            let mut t = toponym(
                d.span,
                ToponymKind::Dateline,
                cands,
                scan.sentence_of(d.span.start),
                false,
            );
            t.cue = Some("the dateline".into());
            dateline = Some(t);
        }
    }

    // Gazetteer names in the coded text.
    let taken = |s: Span, out: &[Toponym], blocked: &[Span]| {
        out.iter().any(|t| t.span.overlaps(s)) || blocked.iter().any(|b| b.overlaps(s))
    };
    let mut found: Vec<Toponym> = Vec::new();
    let maxw = gaz.max_words().min(8);
    for (si, range) in seg.sentence_tokens.iter().enumerate() {
        let toks = &seg.tokens[range.clone()];
        let headline = seg.sentences[si].region == RegionKind::Headline;
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            let w = t.text(text);
            if t.kind != TokenKind::Word || !starts_upper(w) {
                i += 1;
                continue;
            }
            let mut best: Option<(usize, String)> = None;
            let mut words = 0;
            let mut j = i;
            while j < toks.len() && words < maxw {
                let tj = toks[j];
                let s = tj.text(text);
                if tj.kind == TokenKind::Punct && !matches!(s, "-" | "." | "'" | "\u{2019}") {
                    break;
                }
                let newline = j > i && text[toks[j - 1].span.end as usize..tj.span.start as usize].contains('\n');
                if matches!(s, "'s" | "\u{2019}s") || newline {
                    break;
                }
                if tj.kind == TokenKind::Word {
                    words += 1;
                    if starts_upper(s) || s.chars().all(|c| c.is_ascii_digit()) {
                        let key = fold_key(&text[t.span.start as usize..tj.span.end as usize]);
                        if key.len() >= 3 && !gaz.lookup_key(&key).is_empty() {
                            best = Some((j, key));
                        }
                    }
                }
                j += 1;
            }
            let Some((j, key)) = best else {
                i += 1;
                continue;
            };
            let span = Span {
                start: t.span.start,
                end: toks[j].span.end,
            };
            if taken(span, &out, &blocked) || dateline.as_ref().is_some_and(|d| d.span.overlaps(span)) {
                i = j + 1;
                continue;
            }
            let surface = &text[span.range()];
            let mut top = toponym(
                span,
                ToponymKind::Name,
                gaz.lookup_key(&key).to_vec(),
                Some(si as u32),
                headline,
            );
            // Part of a longer capitalised name ("Los Angeles Times", "Lake Victoria", "Walker County")?
            let next_cap = toks.get(j + 1).is_some_and(|n| {
                n.kind == TokenKind::Word
                    && starts_upper(n.text(text))
                    && text[toks[j].span.end as usize..n.span.start as usize].trim().is_empty()
            });
            let prev_cap = i > 0 && {
                let p = toks[i - 1];
                let pw = p.text(text);
                p.kind == TokenKind::Word && starts_upper(pw) && !DIRECTIONS.contains(&pw)
            };
            // (Inside a longer unknown name only through capitalised neighbours: the guesser joins "Peshawar
            // for Jalalabad" as it joins "Committee for Peace".)
            top.in_longer_name = !headline && (next_cap || prev_cap);
            let typed_person = unknown_names
                .iter()
                .any(|(u, et)| *u == span && *et == EntityType::Person);
            top.person_like = typed_person || (!surface.contains(' ') && person_words.contains(surface));
            found.push(top);
            i = j + 1;
        }
    }

    // An all-caps opening of the first body paragraph is the dateline ("BEIRUT (AP) -", "LONDON The …").
    if dateline.is_none() {
        if let Some(body) = doc.regions.iter().find(|r| r.kind != RegionKind::Headline) {
            if let Some(k) = found
                .iter()
                .position(|t| t.span.start == body.span.start && is_all_caps(&text[t.span.range()]))
            {
                let mut d = found.remove(k);
                d.kind = ToponymKind::Dateline;
                d.cue = Some("the dateline".into());
                d.in_longer_name = false;
                dateline = Some(d);
            }
        }
    }

    out.append(&mut found);
    out.sort_by_key(|t| (t.span.start, t.span.end));
    for t in &mut out {
        if t.kind == ToponymKind::Name && t.cue.is_none() {
            t.cue = scan.locative_before(t.span.start);
            if t.cue.is_none() && text[t.span.end as usize..].starts_with("-based") {
                t.cue = Some("\"-based\"".into());
            }
        }
    }
    // Admin context: "Paris, Texas", "Nelson, New Zealand", "Springfield, Ill.".
    for k in 0..out.len() {
        if !out[k].candidates.iter().any(|r| gaz.get(r.feature).kind == Kind::City) {
            continue;
        }
        let after = &text[out[k].span.end as usize..];
        let Some(rest) = after.strip_prefix(", ").or_else(|| after.strip_prefix(',')) else {
            continue;
        };
        let rest_at = out[k].span.end + (after.len() - rest.len()) as u32;
        let mut ctx: Vec<u32> = Vec::new();
        let mut name = String::new();
        if let Some(b) = out
            .get(k + 1)
            .filter(|b| b.span.start == rest_at && b.kind == ToponymKind::Name)
        {
            ctx = b
                .candidates
                .iter()
                .map(|r| r.feature)
                .filter(|&f| matches!(gaz.get(f).kind, Kind::Admin1 | Kind::Country))
                .collect();
            name = text[b.span.range()].to_string();
        } else if let Some((abbr, code)) = US_STATE_ABBREVIATIONS.iter().find(|(a, _)| rest.starts_with(a)) {
            let dc = *code == "DC";
            if let Some(f) = gaz
                .lookup("Washington")
                .iter()
                .map(|r| r.feature)
                .find(|&f| dc && gaz.get(f).capital && &*gaz.get(f).iso2 == "US")
            {
                // D.C. is not a division in GeoNames' admin1 list: it names the capital itself.
                out[k].candidates.retain(|r| r.feature == f);
                out[k].cue.get_or_insert_with(|| "followed by \"D.C.\"".into());
                continue;
            }
            if let Some(f) = gaz.admin1_by_code("US", code) {
                ctx.push(f);
            }
            name = (*abbr).to_string();
        }
        if !ctx.is_empty() {
            out[k].context = ctx;
            out[k].cue.get_or_insert_with(|| format!("followed by \"{name}\""));
        }
    }

    // A dateline form later in the text ("… By Carey Biron. WASHINGTON, April 5 (Thomson Reuters …)").
    for t in &mut out {
        let surface = &text[t.span.range()];
        if t.kind == ToponymKind::Name && t.cue.is_none() && surface.chars().count() > 2 && is_all_caps(surface) {
            let after = &text[t.span.end as usize..];
            let month = after
                .strip_prefix(", ")
                .is_some_and(|r| MONTHS.iter().any(|m| r.starts_with(m)));
            if month || after.starts_with(" (") {
                t.cue = Some("a dateline".into());
            }
        }
    }

    // Which gazetteer-only names count as toponyms.
    let accepted_keys: HashSet<String> = out
        .iter()
        .filter(|t| {
            t.actor_country.is_some() || t.capital_hint || (t.cue.is_some() && !t.in_longer_name && !t.person_like)
        })
        .map(|t| fold_key(&text[t.span.range()]))
        .collect();
    let body_keys: HashSet<String> = out
        .iter()
        .filter(|t| !t.headline)
        .map(|t| fold_key(&text[t.span.range()]))
        .collect();
    let keep: Vec<bool> = out
        .iter()
        .map(|t| accept(t, gaz, text, &accepted_keys, &body_keys))
        .collect();
    let mut res: Vec<Toponym> = out.into_iter().zip(keep).filter_map(|(t, k)| k.then_some(t)).collect();
    if let Some(d) = dateline {
        res.insert(0, d);
    }
    res
}

/// Whether a found name counts as a toponym.
fn accept(t: &Toponym, gaz: &Gazetteer, text: &str, accepted: &HashSet<String>, body: &HashSet<String>) -> bool {
    if t.actor_country.is_some() || t.capital_hint || t.kind != ToponymKind::Name {
        return true;
    }
    let surface = &text[t.span.range()];
    let key = fold_key(surface);
    let one_word = !key.contains(' ');
    if t.in_longer_name || (one_word && gaz.is_never_alone(surface)) {
        return false;
    }
    // All capitals: an acronym ("SOL", "PAN") unless it is written as a dateline.
    if is_all_caps(surface) && !t.headline && t.cue.as_deref() != Some("a dateline") {
        return false;
    }
    let has_cue = t.cue.is_some() || !t.context.is_empty();
    if one_word && gaz.is_common_word(surface) {
        return has_cue;
    }
    let feats = || t.candidates.iter().map(|r| gaz.get(r.feature));
    let big_region = t
        .candidates
        .iter()
        .any(|r| r.primary && matches!(gaz.get(r.feature).kind, Kind::Country | Kind::Admin1 | Kind::Continent));
    let max_pop = feats()
        .filter(|f| f.kind == Kind::City)
        .map(|f| f.population)
        .max()
        .unwrap_or(0);
    if t.person_like && max_pop < 1_000_000 {
        // "Tamil Nadu" typed a person by the unknown-name guesser is still a division; "Nelson" is not a town.
        return has_cue || (!one_word && big_region);
    }
    if has_cue {
        return true;
    }
    let capital = feats().any(|f| f.capital);
    if t.headline {
        return (body.contains(&key) && accepted.contains(&key)) || big_region || max_pop >= 1_000_000 || capital;
    }
    big_region || capital || max_pop >= 100_000 || accepted.contains(&key)
}

/// A span without a leading "the ".
fn trim_the(text: &str, s: Span) -> Span {
    let t = &text[s.range()];
    for p in ["the ", "The "] {
        if t.starts_with(p) && t.len() > p.len() {
            return Span {
                start: s.start + p.len() as u32,
                end: s.end,
            };
        }
    }
    s
}
