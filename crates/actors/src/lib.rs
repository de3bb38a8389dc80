//! Actors: names, offices and roles found in a document, resolved to CAMEO actor codes as of the
//! document's date, and linked into one actor per person, organisation or country.
//!
//! Design decision: recognition is dictionary-first and explainable. Every mention comes from a named
//! rule (a dictionary entry, a title + name, an adjective + role, a capital used as a subject, a pronoun
//! in subject position, or a capitalised sequence that no dictionary knows) and every code carries the
//! reason it was chosen ([`Actor::reason`]). Office holders resolve through their dated terms, so the same
//! name gives different codes on different dates; a name with no term on the date falls back to the
//! person's country, never to a wrong office.
//!
//! ```
//! use annalist_core::{Document, Region, RegionKind, Span};
//! let mut doc = Document::new("d", "Russian Prime Minister Dmitry Medvedev met Chinese President Xi Jinping. The Chinese leader said he was ready.");
//! doc.date = Some("2017-11-01".into());
//! doc.regions.push(Region { kind: RegionKind::Body, span: Span::new(0, doc.text.len()) });
//! let seg = annalist_text::segment(&doc);
//! let found = annalist_actors::find(&doc, &seg, annalist_lexicon::Lexicon::embedded());
//! let xi = found.actors.iter().find(|a| a.name == "Xi Jinping").unwrap();
//! assert_eq!(xi.actor.as_deref(), Some("CHNGOV"));
//! assert_eq!(xi.mentions.len(), 3); // the name, "The Chinese leader", "he"
//! ```

mod unknown;

use std::collections::HashMap;

use annalist_core::{Actor, Document, Entity, EntityType, Span};
use annalist_lexicon::{parse_day, Day, Lexicon, Target};
use annalist_text::{Segmented, TokenKind};

/// How a mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// A dictionary name (person, organisation, country, capital, seat).
    Name,
    /// A name no dictionary knows, typed by its form and context.
    Unknown,
    /// A role phrase ("the Chinese leader", "Russian troops", "Iran's foreign ministry").
    Role,
    /// "he" / "she" in subject position.
    Pronoun,
    /// A country adjective or demonym that stands alone ("Chinese characteristics").
    Adjective,
}

/// One mention of an actor (or a named entity) in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The whole noun phrase ("Chinese President Xi Jinping").
    pub span: Span,
    /// The name or role head inside it ("Xi Jinping"); the entity span for named-entity output.
    pub head: Span,
    pub kind: MentionKind,
    pub etype: EntityType,
    /// CAMEO actor code of this mention on the document date.
    pub code: Option<String>,
    /// Index into [`Actors::actors`].
    pub actor: Option<usize>,
    pub sentence: u32,
    /// True inside a direct quotation.
    pub quoted: bool,
    /// A place rather than an actor (a capital after "in", "to", "from" …).
    pub is_place: bool,
}

impl Mention {
    /// A dictionary-name mention that is an actor, not a place.
    fn named(span: Span, head: Span, etype: EntityType, code: Option<String>, sentence: u32, quoted: bool) -> Mention {
        Mention {
            span,
            head,
            kind: MentionKind::Name,
            etype,
            code,
            actor: None,
            sentence,
            quoted,
            is_place: false,
        }
    }
}

/// Everything the actor stage found in a document.
#[derive(Debug, Clone, Default)]
pub struct Actors {
    pub mentions: Vec<Mention>,
    pub actors: Vec<Actor>,
}

impl Actors {
    /// Named-entity mentions for the output contract (names, not roles or pronouns). Dictionary names carry
    /// a `name` (the actor's, or the surface of a place); names no dictionary knows carry none.
    pub fn entities(&self, doc: &Document) -> Vec<Entity> {
        self.mentions
            .iter()
            .filter(|m| {
                matches!(
                    m.kind,
                    MentionKind::Name | MentionKind::Unknown | MentionKind::Adjective
                )
            })
            .map(|m| {
                let actor = m.actor.map(|i| &self.actors[i]);
                Entity {
                    span: m.head,
                    kind: m.etype,
                    name: if m.kind == MentionKind::Unknown {
                        None
                    } else {
                        Some(actor.map_or_else(|| doc.slice(m.head).to_string(), |a| a.name.clone()))
                    },
                    actor: m.code.clone(),
                }
            })
            .collect()
    }

    /// The mention whose span contains `span`, if any.
    pub fn mention_at(&self, span: Span) -> Option<&Mention> {
        self.mentions.iter().find(|m| m.span.contains(span))
    }
}

/// What a resolved mention refers to, for grouping mentions into actors.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Person(u32),
    Org(u32),
    Country(String),
    Other(String),
}

const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "to",
    "from",
    "near",
    "outside",
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
    "of",
    "on",
    "over",
    "visit",
    "visited",
    "visiting",
    "visits",
    "arrived",
    "reached",
];

struct Ctx<'a> {
    doc: &'a Document,
    seg: &'a Segmented,
    lex: &'a Lexicon,
    date: Day,
    quoted: Vec<Span>,
}

impl Ctx<'_> {
    fn text(&self) -> &str {
        &self.doc.text
    }
    /// Index of the last token ending at or before byte `at`.
    fn token_before(&self, at: u32) -> Option<usize> {
        let i = self.seg.tokens.partition_point(|t| t.span.end <= at);
        i.checked_sub(1)
    }
    fn tok(&self, i: usize) -> &str {
        self.seg.tokens[i].text(self.text())
    }
    fn sentence_of(&self, at: u32) -> u32 {
        let i = self.seg.sentences.partition_point(|s| s.span.end <= at);
        i.min(self.seg.sentences.len().saturating_sub(1)) as u32
    }
    fn in_quote(&self, span: Span) -> bool {
        self.quoted.iter().any(|q| q.contains(span))
    }
    fn in_regions(&self, s: usize, e: usize) -> bool {
        let sp = Span::new(s, e);
        self.doc.regions.iter().any(|r| r.span.contains(sp))
    }
}

/// Direct-quotation spans (inside paired quote marks, per paragraph), for "we", "you" and pronouns.
fn quoted_spans(doc: &Document, seg: &Segmented) -> Vec<Span> {
    let mut out = Vec::new();
    let text = &doc.text;
    let mut open: Option<u32> = None;
    let mut last_para = u32::MAX;
    for (si, s) in seg.sentences.iter().enumerate() {
        if s.paragraph != last_para {
            open = None;
            last_para = s.paragraph;
        }
        for t in &seg.tokens[seg.sentence_tokens[si].clone()] {
            let tt = t.text(text);
            let is_open = matches!(tt, "\u{201C}" | "\u{00AB}");
            let is_close = matches!(tt, "\u{201D}" | "\u{00BB}");
            let straight = tt == "\"";
            match open {
                None if is_open || straight => open = Some(t.span.end),
                Some(o) if is_close || straight => {
                    out.push(Span {
                        start: o,
                        end: t.span.start,
                    });
                    open = None;
                }
                _ => {}
            }
        }
    }
    out
}

fn person_sex(lex: &Lexicon, p: u32) -> &str {
    &lex.people[p as usize].sex
}

/// Finds and resolves the actors of a document.
pub fn find(doc: &Document, seg: &Segmented, lex: &Lexicon) -> Actors {
    let date = doc.date.as_deref().and_then(|d| parse_day(d, true)).unwrap_or(99991231);
    let ctx = Ctx {
        doc,
        seg,
        lex,
        date,
        quoted: quoted_spans(doc, seg),
    };
    let text = ctx.text();
    let names: Vec<_> = lex
        .find_names(text)
        .into_iter()
        .filter(|m| ctx.in_regions(m.start, m.end))
        .collect();
    let phrases: Vec<_> = lex
        .find_phrases(text)
        .into_iter()
        .filter(|m| ctx.in_regions(m.start, m.end))
        .collect();
    // Title phrases that end right before a byte offset (possibly with a country adjective before them).
    let phrase_ending_at: HashMap<usize, usize> = phrases.iter().enumerate().map(|(i, p)| (p.end, i)).collect();

    let mut mentions: Vec<(Mention, Option<Key>, Option<String>)> = Vec::new(); // mention, key, reason
    let mut seen_people: HashMap<u32, ()> = HashMap::new();
    let mut covered: Vec<Span> = Vec::new();

    // Extends a name mention to the left over "[the] [Adj|Country's] Title" and returns (start, title agent, country code).
    let extend_left = |start: usize| -> (usize, Option<u32>, Option<String>) {
        let mut s = start;
        let mut title = None;
        let mut country = None;
        // skip one space
        let before = text[..s].trim_end_matches([' ', '\u{00A0}']);
        if let Some(&pi) = phrase_ending_at.get(&before.len()) {
            let p = &phrases[pi];
            if lex.agents[p.agent as usize].flags.title || lex.agents[p.agent as usize].flags.person {
                title = Some(p.agent);
                s = p.start;
                let before2 = text[..s].trim_end_matches([' ', '\u{00A0}']);
                if let Some(n) = names.iter().find(|n| n.end == before2.len()) {
                    if let Some(c) = n.targets.iter().find_map(|t| match t {
                        Target::CountryAdjective(c) | Target::CountryName(c) => Some(*c),
                        _ => None,
                    }) {
                        country = Some(lex.countries[c as usize].code.clone());
                        s = n.start;
                    }
                }
            }
        }
        (s, title, country)
    };

    for m in &names {
        let span = Span::new(m.start, m.end);
        let sentence = ctx.sentence_of(span.start);
        let quoted = ctx.in_quote(span);
        let pick = |f: &dyn Fn(&Target) -> bool| m.targets.iter().copied().find(|t| f(t));
        if let Some(Target::PersonFull(p)) = pick(&|t| matches!(t, Target::PersonFull(_))) {
            // Several people may share a spelling: prefer one in office on the date.
            let p = m
                .targets
                .iter()
                .filter_map(|t| if let Target::PersonFull(q) = t { Some(*q) } else { None })
                .max_by_key(|&q| lex.resolve_person(q, date).term.is_some())
                .unwrap_or(p);
            let (s, _title, _c) = extend_left(m.start);
            let r = lex.resolve_person(p, date);
            seen_people.insert(p, ());
            let reason = person_reason(lex, p, &r, date);
            mentions.push((
                Mention::named(
                    Span::new(s, m.end),
                    span,
                    EntityType::Person,
                    Some(r.code.clone()),
                    sentence,
                    quoted,
                ),
                Some(Key::Person(p)),
                Some(reason),
            ));
            covered.push(Span::new(s, m.end));
            continue;
        }
        if let Some(Target::Org(o)) = pick(&|t| matches!(t, Target::Org(_))) {
            let org = &lex.orgs[o as usize];
            // "the United Nations": the article belongs to the mention.
            let with_the = with_article(text, m.start);
            mentions.push((
                Mention::named(
                    Span::new(with_the, m.end),
                    span,
                    EntityType::Org,
                    Some(org.code.clone()),
                    sentence,
                    quoted,
                ),
                Some(Key::Org(o)),
                Some(format!("organisation {:?} ({})", org.name, org.kind)),
            ));
            covered.push(span);
            continue;
        }
        if let Some(Target::CountryName(c)) = pick(&|t| matches!(t, Target::CountryName(_))) {
            let code = lex.countries[c as usize].code.clone();
            let is_place = preceded_by(&ctx, span.start, LOCATIVE);
            mentions.push((
                Mention {
                    span,
                    head: span,
                    kind: MentionKind::Name,
                    etype: EntityType::Loc,
                    code: Some(code.clone()),
                    actor: None,
                    sentence,
                    quoted,
                    is_place,
                },
                Some(Key::Country(code.clone())),
                Some(format!("country name of {code}")),
            ));
            covered.push(span);
            continue;
        }
        if let Some(Target::Capital(c)) = pick(&|t| matches!(t, Target::Capital(_))) {
            let code = lex.countries[c as usize].code.clone();
            // A capital is the government when it acts or speaks; after "in", "to", "from" it is a place.
            let is_place = preceded_by(&ctx, span.start, LOCATIVE) || followed_by_text(text, span.end, "-based");
            let actor_code = format!("{code}GOV");
            mentions.push((
                Mention {
                    span,
                    head: span,
                    kind: MentionKind::Name,
                    etype: EntityType::Loc,
                    // As a place it still names its country (a target of "sent aid to Kyiv").
                    code: if is_place {
                        Some(code.clone())
                    } else {
                        Some(actor_code.clone())
                    },
                    actor: None,
                    sentence,
                    quoted,
                    is_place,
                },
                if is_place {
                    None
                } else {
                    Some(Key::Other(actor_code.clone()))
                },
                Some(if is_place {
                    format!("capital of {code}, used as a place")
                } else {
                    format!("capital of {code} used for its government (metonym)")
                }),
            ));
            covered.push(span);
            continue;
        }
        if let Some(Target::Seat(c)) = pick(&|t| matches!(t, Target::Seat(_))) {
            let code = format!("{}GOV", lex.countries[c as usize].code);
            let s = if text[m.start..m.end].starts_with("the ") {
                m.start
            } else {
                with_article(text, m.start)
            };
            mentions.push((
                Mention::named(
                    Span::new(s, m.end),
                    span,
                    EntityType::Loc,
                    Some(code.clone()),
                    sentence,
                    quoted,
                ),
                Some(Key::Other(code.clone())),
                Some(format!("seat of power of {}", &code[..3])),
            ));
            covered.push(span);
            continue;
        }
        if let Some(Target::CountryAdjective(c) | Target::CountryPeople(c)) =
            pick(&|t| matches!(t, Target::CountryAdjective(_) | Target::CountryPeople(_)))
        {
            let code = lex.countries[c as usize].code.clone();
            let people = pick(&|t| matches!(t, Target::CountryPeople(_))).is_some();
            mentions.push((
                Mention {
                    span,
                    head: span,
                    // "Ukrainians rallied": a plural demonym is an actor (the country's people).
                    kind: if people {
                        MentionKind::Name
                    } else {
                        MentionKind::Adjective
                    },
                    etype: EntityType::Misc,
                    code: Some(code.clone()),
                    actor: None,
                    sentence,
                    quoted,
                    is_place: false,
                },
                if people { Some(Key::Country(code.clone())) } else { None },
                Some(format!("demonym of {code}")),
            ));
            continue;
        }
        // Short forms: only after the full name, or after a title when exactly one holder fits the date.
        let shorts: Vec<u32> = m
            .targets
            .iter()
            .filter_map(|t| if let Target::PersonShort(p) = t { Some(*p) } else { None })
            .collect();
        if shorts.is_empty() {
            continue;
        }
        let known: Vec<u32> = shorts.iter().copied().filter(|p| seen_people.contains_key(p)).collect();
        let (mut s, title, _) = extend_left(m.start);
        // An honorific works like a title: "Mr Blair" in 2005 is the only Blair in office.
        let mut honorific = false;
        if title.is_none() {
            let before = text[..m.start].trim_end_matches([' ', '\u{00A0}']);
            let before = before.strip_suffix('.').unwrap_or(before);
            for h in ["Mr", "Mrs", "Ms", "Miss", "Dr"] {
                if before.ends_with(h) && !is_word_char_before(before, before.len() - h.len()) {
                    honorific = true;
                    s = before.len() - h.len();
                }
            }
        }
        let titled = title.is_some() || honorific;
        let chosen = if known.len() == 1 {
            Some((known[0], "short form after the full name"))
        } else if titled {
            let in_office: Vec<u32> = shorts
                .iter()
                .copied()
                .filter(|&p| lex.resolve_person(p, date).term.is_some())
                .collect();
            (in_office.len() == 1).then(|| {
                (
                    in_office[0],
                    "title + short form, the only holder in office on the date",
                )
            })
        } else {
            None
        };
        if let Some((p, why)) = chosen {
            let r = lex.resolve_person(p, date);
            let reason = format!("{why}; {}", person_reason(lex, p, &r, date));
            seen_people.insert(p, ());
            mentions.push((
                Mention::named(
                    Span::new(if titled { s } else { m.start }, m.end),
                    span,
                    EntityType::Person,
                    Some(r.code.clone()),
                    sentence,
                    quoted,
                ),
                Some(Key::Person(p)),
                Some(reason),
            ));
            covered.push(span);
        }
    }

    // Role phrases: "[the] [Adj | Country's] role", not inside a name mention already.
    for p in &phrases {
        let pspan = Span::new(p.start, p.end);
        if mentions
            .iter()
            .any(|(m, _, _)| m.span.overlaps(pspan) && m.kind != MentionKind::Adjective)
        {
            continue;
        }
        let agent = &lex.agents[p.agent as usize];
        // A title right before a name is part of that name's mention (handled above).
        let mut start = p.start;
        let mut country: Option<String> = None;
        let mut adj_index = None;
        let before = text[..start].trim_end_matches([' ', '\u{00A0}']);
        // "Iran's foreign ministry"
        let before_poss = before.strip_suffix("'s").or_else(|| before.strip_suffix("\u{2019}s"));
        let mut org_code: Option<String> = None;
        for (i, (m, _, _)) in mentions.iter().enumerate() {
            let adjacent = m.span.end as usize == before.len();
            // "Russian troops", and a country name used as a modifier: "the Myanmar military", "US troops".
            let modifier = adjacent
                && (m.kind == MentionKind::Adjective
                    || (m.etype == EntityType::Loc
                        && m.kind == MentionKind::Name
                        && !m.is_place
                        && m.code.as_ref().is_some_and(|c| c.len() == 3)));
            if modifier {
                country = m.code.as_ref().map(|c| c[..3].to_string());
                start = m.span.start as usize;
                adj_index = Some(i);
            } else if adjacent
                && m.etype == EntityType::Org
                && m.kind == MentionKind::Name
                && agent.flags.plural
                && matches!(
                    agent.role.as_str(),
                    "MIL" | "REB" | "UAF" | "INS" | "SEP" | "COP" | "SPY"
                )
            {
                // "Hamas militants", "Taliban fighters": the group's own code.
                org_code = m.code.clone();
                start = m.span.start as usize;
                adj_index = Some(i);
            } else if before_poss.is_some_and(|b| m.span.end as usize == b.len()) && m.etype == EntityType::Loc {
                if let Some(c) = &m.code {
                    country = Some(c[..3].to_string());
                    start = m.span.start as usize;
                }
            }
        }
        start = with_article(text, start);
        let code = match (&org_code, &country) {
            (Some(o), _) => o.clone(),
            (None, Some(c)) => format!("{c}{}", agent.role),
            (None, None) => agent.role.clone(),
        };
        let span = Span::new(start, p.end);
        let sentence = ctx.sentence_of(span.start);
        if let Some(i) = adj_index {
            // The adjective is now part of a role mention; keep it as a MISC entity but not as an actor.
            mentions[i].1 = None;
        }
        mentions.push((
            Mention {
                span,
                head: pspan,
                kind: MentionKind::Role,
                etype: if agent.flags.person {
                    EntityType::Person
                } else {
                    EntityType::Org
                },
                code: Some(code.clone()),
                actor: None,
                sentence,
                quoted: ctx.in_quote(span),
                is_place: false,
            },
            Some(Key::Other(format!("role:{code}:{}", agent.phrase))),
            Some(format!(
                "role {:?} ({}){}",
                agent.phrase,
                agent.role,
                country.map(|c| format!(" of {c}")).unwrap_or_default()
            )),
        ));
    }

    // The agency of a dateline opening ("/TASS/"): outside the coded text, but an actor of the record.
    if let Some(source) = doc.source.as_deref().filter(|s| s.len() >= 2) {
        let outside = |at: usize| !doc.regions.iter().any(|r| r.span.range().contains(&at));
        if let Some(at) = text.match_indices(source).map(|(i, _)| i).find(|&i| outside(i)) {
            let span = Span::new(at, at + source.len());
            let org = lex.find_names(source).into_iter().find_map(|m| {
                m.targets
                    .iter()
                    .find_map(|t| if let Target::Org(o) = t { Some(*o) } else { None })
            });
            if let Some(o) = org {
                let org_entry = &lex.orgs[o as usize];
                mentions.push((
                    Mention {
                        span,
                        head: span,
                        kind: MentionKind::Name,
                        etype: EntityType::Org,
                        code: Some(org_entry.code.clone()),
                        actor: None,
                        sentence: 0,
                        quoted: false,
                        is_place: false,
                    },
                    Some(Key::Org(o)),
                    Some(format!(
                        "agency of the dateline; organisation {:?} ({})",
                        org_entry.name, org_entry.kind
                    )),
                ));
            }
        }
    }

    // Names no dictionary knows.
    for u in unknown::find(doc, seg, &covered_spans(&mentions)) {
        let sentence = ctx.sentence_of(u.span.start);
        // A title before an unknown person gives the code: "Polish Prime Minister Mateusz Morawiecki".
        let (s, title, country) = extend_left(u.span.start as usize);
        let (code, reason, span) = match (title, &country, u.etype) {
            (Some(t), Some(c), EntityType::Person) => {
                let role = &lex.agents[t as usize].role;
                (
                    Some(format!("{c}{role}")),
                    format!(
                        "title {:?} with country {c} before an unknown name",
                        lex.agents[t as usize].phrase
                    ),
                    Span::new(s, u.span.end as usize),
                )
            }
            _ => (None, "not in any dictionary".to_string(), u.span),
        };
        mentions.push((
            Mention {
                span,
                head: u.span,
                kind: MentionKind::Unknown,
                etype: if title.is_some() { EntityType::Person } else { u.etype },
                code,
                actor: None,
                sentence,
                quoted: ctx.in_quote(u.span),
                is_place: false,
            },
            Some(Key::Other(format!("unknown:{}", doc.slice(u.span)))),
            Some(reason),
        ));
    }

    mentions.sort_by_key(|(m, _, _)| (m.span.start, std::cmp::Reverse(m.span.end)));
    // Drop mentions nested inside another non-adjective mention (e.g. a country name inside an org name).
    let mut kept: Vec<(Mention, Option<Key>, Option<String>)> = Vec::new();
    for x in mentions {
        if let Some(last) = kept.last() {
            if last.0.span.contains(x.0.span) && x.0.kind != MentionKind::Adjective && last.0.kind != MentionKind::Role
            {
                continue;
            }
        }
        kept.push(x);
    }

    // Group into actors; link roles and pronouns to people.
    let mut actors: Vec<Actor> = Vec::new();
    let mut key_index: HashMap<Key, usize> = HashMap::new();
    let mut out: Vec<Mention> = Vec::new();
    let mut person_of_actor: HashMap<usize, u32> = HashMap::new();
    for (mut m, key, reason) in kept {
        let actor_ix = match &key {
            Some(Key::Other(k)) if k.starts_with("role:") => link_role(&ctx, &m, &out, &actors, &person_of_actor),
            _ => None,
        };
        let bare_role = m.kind == MentionKind::Role && m.code.as_ref().is_some_and(|c| c.len() == 3);
        let actor_ix = actor_ix.or_else(|| {
            if bare_role {
                return None;
            }
            let key = key.clone()?;
            if let Some(&i) = key_index.get(&key) {
                return Some(i);
            }
            let name = match &key {
                Key::Person(p) => lex.people[*p as usize].name.clone(),
                Key::Org(o) => lex.orgs[*o as usize].name.clone(),
                Key::Country(c) => lex.country(c).map_or_else(|| c.clone(), |x| x.name.clone()),
                Key::Other(_) => doc
                    .slice(m.span)
                    .trim_start_matches("the ")
                    .trim_start_matches("The ")
                    .to_string(),
            };
            let (office, country) = match &key {
                Key::Person(p) => {
                    let r = lex.resolve_person(*p, date);
                    (
                        r.term.map(|t| {
                            format!(
                                "{} ({} to {})",
                                t.title,
                                annalist_lexicon::format_day(t.start),
                                t.end.map_or("today".into(), annalist_lexicon::format_day)
                            )
                        }),
                        Some(lex.people[*p as usize].country.clone()),
                    )
                }
                _ => (
                    None,
                    m.code
                        .as_ref()
                        .filter(|c| c.len() >= 3 && lex.country(&c[..3]).is_some())
                        .map(|c| c[..3].to_string()),
                ),
            };
            actors.push(Actor {
                name,
                kind: m.etype,
                actor: m.code.clone(),
                country,
                office,
                reason: reason.clone(),
                mentions: Vec::new(),
            });
            let i = actors.len() - 1;
            if let Key::Person(p) = key {
                person_of_actor.insert(i, p);
            }
            key_index.insert(key, i);
            Some(i)
        });
        if let Some(i) = actor_ix {
            actors[i].mentions.push(m.span);
            if m.kind == MentionKind::Role && m.code.is_some() && actors[i].actor.is_some() {
                m.code = actors[i].actor.clone();
            }
        }
        m.actor = actor_ix;
        out.push(m);
    }

    // Pronouns in subject position.
    for si in 0..seg.sentences.len() {
        for ti in seg.sentence_tokens[si].clone() {
            let t = seg.tokens[ti];
            if t.kind != TokenKind::Word {
                continue;
            }
            let w = t.text(text);
            let sex = match w {
                "he" | "He" => "m",
                "she" | "She" => "f",
                _ => continue,
            };
            if !subject_position(&ctx, ti, si) || ctx.in_quote(t.span) {
                continue;
            }
            if let Some(i) = resolve_pronoun(&ctx, &out, &person_of_actor, si as u32, t.span.start, sex) {
                actors[i].mentions.push(t.span);
                out.push(Mention {
                    span: t.span,
                    head: t.span,
                    kind: MentionKind::Pronoun,
                    etype: EntityType::Person,
                    code: actors[i].actor.clone(),
                    actor: Some(i),
                    sentence: si as u32,
                    quoted: false,
                    is_place: false,
                });
            }
        }
    }
    out.sort_by_key(|m| (m.span.start, m.span.end));
    for a in &mut actors {
        a.mentions.sort();
    }
    // Places are not actors: drop actors that only have place mentions (none are created for them).
    let _ = &ctx.lex;
    Actors { mentions: out, actors }
}

/// Where a mention starting at `at` starts with the article before it ("the United Nations", "a Russian
/// official"): the article belongs to the noun phrase.
fn with_article(text: &str, at: usize) -> usize {
    let before = &text[..at];
    for art in ["the ", "The ", "a ", "A ", "an ", "An "] {
        if before.ends_with(art) && !is_word_char_before(before, before.len() - art.len()) {
            return at - art.len();
        }
    }
    at
}

fn is_word_char_before(text: &str, at: usize) -> bool {
    text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric())
}

fn covered_spans(mentions: &[(Mention, Option<Key>, Option<String>)]) -> Vec<Span> {
    mentions.iter().map(|(m, _, _)| m.span).collect()
}

fn person_reason(lex: &Lexicon, p: u32, r: &annalist_lexicon::Resolution<'_>, date: Day) -> String {
    let person = &lex.people[p as usize];
    match r.term {
        Some(t) => format!(
            "{}: {} from {} to {} covers {}",
            person.name,
            t.title,
            annalist_lexicon::format_day(t.start),
            t.end.map_or("today".into(), annalist_lexicon::format_day),
            annalist_lexicon::format_day(date)
        ),
        None => format!(
            "{}: no office on {}; coded by country",
            person.name,
            annalist_lexicon::format_day(date)
        ),
    }
}

/// True when the word before byte `at` (in the same sentence) is one of `words`.
fn preceded_by(ctx: &Ctx, at: u32, words: &[&str]) -> bool {
    let Some(i) = ctx.token_before(at) else { return false };
    let mut i = i;
    // Skip "the" ("in the Kremlin").
    if ctx.tok(i).eq_ignore_ascii_case("the") {
        let Some(j) = i.checked_sub(1) else { return false };
        i = j;
    }
    let w = ctx.tok(i).to_ascii_lowercase();
    words.contains(&w.as_str())
}

fn followed_by_text(text: &str, at: u32, s: &str) -> bool {
    text[at as usize..].starts_with(s)
}

/// A role phrase with `person` flag ("the Chinese leader", "the Russian prime minister") refers to the
/// most recent person actor whose country matches and, when the role names an office, whose office
/// title contains it.
fn link_role(
    ctx: &Ctx,
    m: &Mention,
    prior: &[Mention],
    actors: &[Actor],
    person_of_actor: &HashMap<usize, u32>,
) -> Option<usize> {
    let lex = ctx.lex;
    let phrase = ctx.doc.slice(m.head).to_ascii_lowercase();
    let agent = lex.agents.iter().find(|a| a.phrase.to_ascii_lowercase() == phrase)?;
    if !agent.flags.person {
        return None;
    }
    let country = m
        .code
        .as_ref()
        .and_then(|c| c.get(..3))
        .filter(|c| lex.country(c).is_some());
    let generic = matches!(phrase.as_str(), "leader" | "head of state" | "head of government");
    for pm in prior.iter().rev() {
        let Some(ai) = pm.actor else { continue };
        let Some(&p) = person_of_actor.get(&ai) else { continue };
        let person = &lex.people[p as usize];
        if let Some(c) = country {
            if person.country != c {
                continue;
            }
        }
        let r = lex.resolve_person(p, ctx.date);
        let title = r.term.map(|t| t.title.to_ascii_lowercase()).unwrap_or_default();
        let fits = generic && r.code.ends_with("GOV")
            || title.contains(&phrase)
            || (phrase == "premier" && title.contains("prime minister"))
            || (phrase == "chancellor" && title.contains("chancellor"));
        if fits && actors[ai].actor.is_some() {
            return Some(ai);
        }
    }
    None
}

/// "he" at the start of a sentence or clause: first word, or after a comma, a closing quote, "and",
/// "but", "that" (reported clauses: `"…," he said`).
fn subject_position(ctx: &Ctx, ti: usize, si: usize) -> bool {
    let first = ctx.seg.sentence_tokens[si].start;
    if ti == first {
        return true;
    }
    let prev = ctx.tok(ti - 1);
    matches!(
        prev,
        "," | "\""
            | "\u{201D}"
            | ";"
            | "and"
            | "but"
            | "that"
            | "as"
            | "when"
            | "while"
            | "after"
            | "before"
            | "because"
            | "where"
            | "said"
            | "says"
            | "added"
            | "stressed"
            | "noted"
            | "warned"
            | "insisted"
            | "believes"
            | "hoped"
    )
}

/// The most recent compatible person who was the subject (first person outside quotes) of this or one of
/// the three previous sentences, or the speaker right after a quote.
fn resolve_pronoun(
    ctx: &Ctx,
    mentions: &[Mention],
    person_of_actor: &HashMap<usize, u32>,
    sentence: u32,
    at: u32,
    sex: &str,
) -> Option<usize> {
    let lo = sentence.saturating_sub(3);
    for s in (lo..=sentence).rev() {
        let subject = mentions
            .iter()
            .filter(|m| {
                m.sentence == s && !m.quoted && m.etype == EntityType::Person && (s < sentence || m.span.end <= at)
            })
            .filter_map(|m| m.actor)
            .find(|ai| {
                person_of_actor
                    .get(ai)
                    .is_some_and(|&p| matches!(person_sex(ctx.lex, p), "") || person_sex(ctx.lex, p) == sex)
            });
        if subject.is_some() {
            return subject;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use annalist_core::{Region, RegionKind};

    fn run(text: &str, date: &str) -> (Document, Actors) {
        let mut doc = Document::new("t", text);
        doc.date = Some(date.into());
        doc.regions.push(Region {
            kind: RegionKind::Body,
            span: Span::new(0, text.len()),
        });
        let seg = annalist_text::segment(&doc);
        let a = find(&doc, &seg, Lexicon::embedded());
        (doc, a)
    }

    fn code_of(doc: &Document, a: &Actors, surface: &str) -> Option<String> {
        a.mentions
            .iter()
            .find(|m| doc.slice(m.span) == surface || doc.slice(m.head) == surface)
            .and_then(|m| m.code.clone())
    }

    #[test]
    fn capitals_are_governments_as_subjects_and_places_after_prepositions() {
        let (d, a) = run("Moscow said it would send envoys to Beijing.", "2017-11-01");
        assert_eq!(code_of(&d, &a, "Moscow").as_deref(), Some("RUSGOV"));
        // As a place it names its country, not its government.
        assert_eq!(code_of(&d, &a, "Beijing").as_deref(), Some("CHN"));
        assert!(a.mentions.iter().any(|m| d.slice(m.span) == "Beijing" && m.is_place));
    }

    #[test]
    fn demonym_plus_role() {
        let (d, a) = run("Russian troops fired at Chinese police near the border.", "2017-11-01");
        assert_eq!(code_of(&d, &a, "Russian troops").as_deref(), Some("RUSMIL"));
        assert_eq!(code_of(&d, &a, "Chinese police").as_deref(), Some("CHNCOP"));
    }

    #[test]
    fn possessive_country_role() {
        let (d, a) = run("Iran's foreign ministry condemned the decision.", "2020-01-01");
        assert_eq!(code_of(&d, &a, "Iran's foreign ministry").as_deref(), Some("IRNGOV"));
    }
}
