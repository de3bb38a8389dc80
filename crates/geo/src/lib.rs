//! Places: an embedded GeoNames gazetteer, toponyms in text, their resolution, the dateline place and the
//! place of each event.
//!
//! Design decision: recognition leans on the actor stage. Country names, demonyms and capitals come from
//! its dictionaries, and its metonymy decision stands: "Moscow said" is an actor (`RUSGOV`) and never a
//! place; "in Moscow" is a place. Gazetteer names the actor stage does not know become toponyms when the
//! text says they are places (a cue: "in", "near", "outside of", "X-based", "Paris, Texas") or when the
//! name is a division, a capital or a city of 100,000 or more that is not an English word. Every resolved
//! place records why it was chosen and the runner-up ([`annalist_core::Place::reason`],
//! [`annalist_core::Place::runner_up`]).
//!
//! ```
//! use annalist_core::{Document, Region, RegionKind, Span};
//! let mut doc = Document::new("d", "Moscow said talks would be held in Paris, Texas.");
//! doc.regions.push(Region { kind: RegionKind::Body, span: Span::new(0, doc.text.len()) });
//! let seg = annalist_text::segment(&doc);
//! let actors = annalist_actors::find(&doc, &seg, annalist_lexicon::Lexicon::embedded());
//! let places = annalist_geo::find_places(&doc, &seg, &actors, annalist_geo::Gazetteer::embedded());
//! let names: Vec<_> = places.iter().map(|p| (p.name.as_str(), p.admin1.as_deref())).collect();
//! assert_eq!(names, vec![("Paris", Some("US.TX Texas")), ("Texas", Some("US.TX Texas"))]); // no Moscow: a metonym
//! ```

pub mod gazetteer;
pub mod resolve;
pub mod toponyms;

use std::collections::HashMap;

use annalist_actors::{Actors, MentionKind};
use annalist_core::{Document, Event, Place, PlaceRole, Span};
use annalist_text::Segmented;

pub use gazetteer::{fold_key, Feature, Gazetteer, Kind};
pub use resolve::Resolved;
pub use toponyms::{find_toponyms, Toponym, ToponymKind};

/// Why the gazetteer could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error("gazetteer: cannot decompress: {0}")]
    Decode(String),
    #[error("gazetteer line {line}: {message}")]
    Format { line: usize, message: String },
}

/// Great-circle distance in km between `(lat, lon)` points.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    const R: f64 = 6371.0088;
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.1 - a.1).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// Country codes of the actor mentions (first three letters of codes that are countries).
fn actor_countries(actors: &Actors, gaz: &Gazetteer) -> Vec<String> {
    actors
        .mentions
        .iter()
        .filter_map(|m| m.code.as_deref())
        .filter(|c| c.len() >= 3 && c.is_char_boundary(3) && gaz.country(&c[..3]).is_some())
        .map(|c| c[..3].to_string())
        .collect()
}

/// A place of the output for a gazetteer feature.
pub fn place_of(gaz: &Gazetteer, ix: u32, role: PlaceRole) -> Place {
    let f = gaz.get(ix);
    let admin1 = match f.kind {
        Kind::City | Kind::Admin1 if !f.admin1.is_empty() => Some(match gaz.admin1_of(f) {
            Some(a) => format!("{}.{} {}", f.iso2, f.admin1, gaz.get(a).name),
            None => format!("{}.{}", f.iso2, f.admin1),
        }),
        _ => None,
    };
    Place {
        name: f.name.to_string(),
        geonameid: Some(f.geonameid),
        country: (!f.country.is_empty()).then(|| f.country.to_string()),
        admin1,
        lat: Some(f.lat),
        lon: Some(f.lon),
        precision: f.kind.precision().map(str::to_string),
        role,
        mentions: Vec::new(),
        reason: None,
        runner_up: None,
    }
}

/// The toponyms of a document, resolved: `(toponym, resolution)` in text order, the dateline first.
pub fn resolve_toponyms(doc: &Document, seg: &Segmented, actors: &Actors, gaz: &Gazetteer) -> Vec<(Toponym, Resolved)> {
    let tops = find_toponyms(doc, seg, actors, gaz);
    let countries = actor_countries(actors, gaz);
    let base = resolve::context(gaz, &[], &countries, None);
    let dateline = tops
        .iter()
        .find(|t| t.kind == ToponymKind::Dateline)
        .and_then(|t| resolve::resolve(gaz, t, &base));
    let dl = dateline.as_ref().map(|r| r.feature);
    let first = resolve::context(gaz, &[], &countries, dl);
    let anchors: Vec<u32> = tops
        .iter()
        .filter(|t| t.kind != ToponymKind::Dateline)
        .filter_map(|t| resolve::resolve(gaz, t, &first))
        .filter(|r| r.margin >= 3.0)
        .map(|r| r.feature)
        .collect();
    let ctx = resolve::context(gaz, &anchors, &countries, dl);
    tops.into_iter()
        .filter_map(|t| {
            let r = if t.kind == ToponymKind::Dateline {
                dateline.clone()
            } else {
                resolve::resolve(gaz, &t, &ctx)
            };
            r.map(|r| (t, r))
        })
        .collect()
}

/// The places of a document: the dateline place first (role `dateline`, with its mentions in the text),
/// then every other place named (role `mentioned`) in order of first mention. Metonymic capitals ("Moscow
/// said") are not places.
pub fn find_places(doc: &Document, seg: &Segmented, actors: &Actors, gaz: &Gazetteer) -> Vec<Place> {
    let mut places: Vec<Place> = Vec::new();
    let mut index: HashMap<u32, usize> = HashMap::new();
    for (t, r) in resolve_toponyms(doc, seg, actors, gaz) {
        let i = *index.entry(r.feature).or_insert_with(|| {
            let role = if t.kind == ToponymKind::Dateline {
                PlaceRole::Dateline
            } else {
                PlaceRole::Mentioned
            };
            let mut p = place_of(gaz, r.feature, role);
            p.reason = Some(r.reason.clone());
            p.runner_up = r.runner_up.clone();
            places.push(p);
            places.len() - 1
        });
        places[i].mentions.push(t.span);
    }
    for p in &mut places {
        p.mentions.sort();
        p.mentions.dedup();
    }
    places
}

/// Clause delimiters inside a sentence.
fn is_clause_break(tok: &str) -> bool {
    matches!(
        tok,
        ";" | ":" | "\u{2014}" | "\u{2013}" | "--" | "\"" | "\u{201C}" | "\u{201D}"
    )
}

/// The clause of a sentence that holds `at`: the tokens between clause delimiters.
fn clause_of(doc: &Document, seg: &Segmented, sentence: usize, at: Span) -> Span {
    let range = seg.sentence_tokens[sentence].clone();
    let sent = seg.sentences[sentence].span;
    let toks = &seg.tokens[range];
    let text = &doc.text;
    let (mut start, mut end) = (sent.start, sent.end);
    for t in toks {
        if is_clause_break(t.text(text)) {
            if t.span.end <= at.start {
                start = t.span.end;
            } else if t.span.start >= at.end && t.span.start < end {
                end = t.span.start;
            }
        }
    }
    Span { start, end }
}

/// The place of an event (role `event`, with the reason):
/// 1. a place named in the event's clause, else in its sentence, that is not one of the event's actors
///    (a place after "in", "at", "near" … first; a city before a division before a country);
/// 2. else the dateline place when the event is local (an actor of the event belongs to the dateline's
///    country, or no actor has a country);
/// 3. else the country of the source actor (then of the target).
pub fn event_place(event: &Event, places: &[Place], doc: &Document, seg: &Segmented, actors: &Actors) -> Option<Place> {
    let gaz = Gazetteer::embedded();
    let si = event.sentence as usize;
    let sent = seg.sentences.get(si)?.span;
    let actor_spans: Vec<Span> = std::iter::once(event.source.span)
        .chain(event.target.iter().map(|t| t.span))
        .chain(event.more_sources.iter().map(|t| t.span))
        .chain(event.more_targets.iter().map(|t| t.span))
        .collect();
    let clause = clause_of(doc, seg, si, event.evidence);
    let scan = toponyms::Scan { doc, seg, gaz };
    let mut best: Option<(i32, &Place, Span, Option<String>, bool)> = None;
    for p in places.iter().filter(|p| p.role != PlaceRole::Event) {
        for &m in &p.mentions {
            if !sent.contains(m) || actor_spans.iter().any(|a| a.overlaps(m)) {
                continue;
            }
            let demonym = actors
                .mentions
                .iter()
                .any(|am| am.head == m && am.kind == MentionKind::Adjective);
            if demonym {
                continue;
            }
            let cue = scan.locative_before(m.start);
            let acts = actors
                .mentions
                .iter()
                .any(|am| am.head.contains(m) && am.code.is_some() && !am.is_place);
            if acts && cue.is_none() {
                continue; // "Russia signed": an actor of some event, not where this one happened
            }
            let in_clause = clause.contains(m);
            let precision = match p.precision.as_deref() {
                Some("city") => 3,
                Some("admin1") => 2,
                Some("country") => 1,
                _ => 0,
            };
            // Nearer the evidence is better within the same standing.
            let dist = (m.start as i64 - event.evidence.start as i64).unsigned_abs().min(9999) as i32;
            let score = i32::from(in_clause) * 100_000 + i32::from(cue.is_some()) * 50_000 + precision * 10_000 - dist;
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, p, m, cue, in_clause));
            }
        }
    }
    if let Some((_, p, m, cue, in_clause)) = best {
        let mut out = p.clone();
        out.role = PlaceRole::Event;
        out.mentions = vec![m];
        let how = cue.unwrap_or_else(|| "named".into());
        out.reason = Some(format!(
            "{:?} ({how}) in the same {} as the event",
            doc.slice(m),
            if in_clause { "clause" } else { "sentence" }
        ));
        out.runner_up = None;
        return Some(out);
    }
    let codes: Vec<String> = std::iter::once(&event.source)
        .chain(event.target.iter())
        .chain(event.more_sources.iter())
        .chain(event.more_targets.iter())
        .filter_map(|a| a.actor.as_deref())
        .filter(|c| c.len() >= 3 && c.is_char_boundary(3) && gaz.country(&c[..3]).is_some())
        .map(|c| c[..3].to_string())
        .collect();
    if let Some(dl) = places.iter().find(|p| p.role == PlaceRole::Dateline) {
        let local = match dl.country.as_deref() {
            Some(c) if codes.iter().any(|x| x == c) => Some(format!("an actor of the event is of {c}")),
            _ if codes.is_empty() => Some("no actor of the event has a country".into()),
            _ => None,
        };
        if let Some(why) = local {
            let mut out = dl.clone();
            out.role = PlaceRole::Event;
            out.reason = Some(format!(
                "no place named in the sentence; dateline {} and the event is local ({why})",
                dl.name
            ));
            out.runner_up = None;
            return Some(out);
        }
    }
    let (which, code) = [("source", &Some(event.source.clone())), ("target", &event.target)]
        .into_iter()
        .find_map(|(w, a)| {
            let c = a.as_ref()?.actor.as_deref()?;
            (c.len() >= 3 && c.is_char_boundary(3) && gaz.country(&c[..3]).is_some()).then(|| (w, c.to_string()))
        })?;
    let mut out = place_of(gaz, gaz.country(&code[..3])?, PlaceRole::Event);
    out.reason = Some(format!(
        "no place named in the sentence{}; country of the {which} actor {code}",
        if places.iter().any(|p| p.role == PlaceRole::Dateline) {
            " and the dateline is not local"
        } else {
            ""
        }
    ));
    Some(out)
}
