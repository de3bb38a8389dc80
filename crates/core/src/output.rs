//! annalist JSON v1: the record written for each document.
//!
//! Internally spans are byte offsets; here they become Unicode code-point offsets into `text`, which is
//! what Python, JavaScript (for BMP text) and most annotation tools index by.

use serde::Serialize;

use crate::{Annotated, EntityType, PlaceRole, QuoteKind, RegionKind, Span, OUTPUT_VERSION};

/// Converts byte offsets of one text to code-point offsets.
pub struct CharIndex {
    /// Byte offset of every char start, or empty when the text is ASCII (identity mapping).
    starts: Vec<u32>,
    len_bytes: u32,
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        let starts = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i as u32).collect()
        };
        CharIndex {
            starts,
            len_bytes: text.len() as u32,
        }
    }

    /// The code-point offset of a byte offset that lies on a char boundary (or at the end).
    pub fn char_offset(&self, byte: u32) -> u32 {
        if self.starts.is_empty() {
            return byte;
        }
        if byte >= self.len_bytes {
            return self.starts.len() as u32;
        }
        match self.starts.binary_search(&byte) {
            Ok(i) => i as u32,
            // Not a boundary: round down to the char containing it (never produced by annalist).
            Err(i) => i.saturating_sub(1) as u32,
        }
    }

    pub fn span(&self, span: Span) -> (u32, u32) {
        (self.char_offset(span.start), self.char_offset(span.end))
    }
}

#[derive(Debug, Serialize)]
pub struct OutSpan {
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Serialize)]
pub struct OutDateline {
    pub place: String,
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Serialize)]
pub struct OutRegion {
    pub kind: RegionKind,
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Serialize)]
pub struct OutSentence {
    pub start: u32,
    pub end: u32,
    pub region: RegionKind,
    pub paragraph: u32,
}

#[derive(Debug, Serialize)]
pub struct OutEntity {
    pub start: u32,
    pub end: u32,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct OutMention {
    pub start: u32,
    pub end: u32,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct OutDocActor {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub mentions: Vec<OutMention>,
}

#[derive(Debug, Serialize)]
pub struct OutActor {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub text: String,
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Serialize)]
pub struct OutEvent {
    pub source: OutActor,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<OutActor>,
    pub code: String,
    pub root: String,
    pub goldstein: Option<f32>,
    pub quad_class: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plover: Option<String>,
    pub sentence: u32,
    pub evidence: OutSpan,
    pub rule: String,
    pub dict_version: String,
    /// Every source when the subject is compound.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<OutActor>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<OutActor>,
    /// Every (source, target) pair of codes of a compound event.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dyads: Vec<(String, String)>,
    pub headline: bool,
    pub lead: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<OutPlace>,
}

#[derive(Debug, Serialize)]
pub struct OutQuote {
    pub start: u32,
    pub end: u32,
    pub kind: QuoteKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<OutActor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<OutSpan>,
    pub text: String,
    pub sentences: [u32; 2],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addressee: Option<OutActor>,
}

#[derive(Debug, Serialize)]
pub struct OutPlace {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geonameid: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<String>,
    pub role: PlaceRole,
    pub mentions: Vec<OutSpan>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runner_up: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct OutStamp {
    pub version: String,
    pub dict_version: String,
    pub format: &'static str,
}

/// One annalist JSON v1 record.
#[derive(Debug, Serialize)]
pub struct OutputDoc {
    pub id: String,
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub published: Option<String>,
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dateline: Option<OutDateline>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    pub text: String,
    pub input_format: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    pub regions: Vec<OutRegion>,
    pub sentences: Vec<OutSentence>,
    pub entities: Vec<OutEntity>,
    pub actors: Vec<OutDocActor>,
    pub events: Vec<OutEvent>,
    pub quotes: Vec<OutQuote>,
    pub places: Vec<OutPlace>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub annalist: OutStamp,
}

impl OutputDoc {
    /// Builds the output record of an annotated document, converting every span to code points.
    pub fn from_annotated(a: &Annotated, version: &str) -> OutputDoc {
        let doc = &a.doc;
        let ix = CharIndex::new(&doc.text);
        let out_span = |s: Span| {
            let (start, end) = ix.span(s);
            OutSpan { start, end }
        };
        let out_place = |p: &crate::Place| OutPlace {
            name: p.name.clone(),
            geonameid: p.geonameid,
            country: p.country.clone(),
            admin1: p.admin1.clone(),
            lat: p.lat,
            lon: p.lon,
            precision: p.precision.clone(),
            role: p.role,
            mentions: p.mentions.iter().map(|&m| out_span(m)).collect(),
            reason: p.reason.clone(),
            runner_up: p.runner_up.clone(),
        };
        let actor = |r: &crate::ActorRef| {
            let (start, end) = ix.span(r.span);
            OutActor {
                actor: r.actor.clone(),
                name: r.name.clone(),
                text: doc.slice(r.span).to_string(),
                start,
                end,
            }
        };
        OutputDoc {
            id: doc.id.clone(),
            source: doc.source.clone(),
            url: doc.url.clone(),
            title: doc.title.clone(),
            section: doc.section.clone(),
            author: doc.author.clone(),
            published: doc.published.clone(),
            date: doc.date.clone(),
            dateline: doc.dateline.as_ref().map(|d| {
                let (start, end) = ix.span(d.span);
                OutDateline {
                    place: d.place.clone(),
                    start,
                    end,
                }
            }),
            lead: doc.lead.clone(),
            text: doc.text.clone(),
            input_format: doc.format.clone(),
            origin: if doc.origin.path.is_empty() {
                None
            } else {
                Some(match doc.origin.line {
                    Some(l) => format!("{}:{}", doc.origin.path, l),
                    None => doc.origin.path.clone(),
                })
            },
            regions: doc
                .regions
                .iter()
                .map(|r| {
                    let (start, end) = ix.span(r.span);
                    OutRegion {
                        kind: r.kind,
                        start,
                        end,
                    }
                })
                .collect(),
            sentences: a
                .sentences
                .iter()
                .map(|s| {
                    let (start, end) = ix.span(s.span);
                    OutSentence {
                        start,
                        end,
                        region: s.region,
                        paragraph: s.paragraph,
                    }
                })
                .collect(),
            entities: a
                .entities
                .iter()
                .map(|e| {
                    let (start, end) = ix.span(e.span);
                    OutEntity {
                        start,
                        end,
                        text: doc.slice(e.span).to_string(),
                        kind: e.kind,
                        name: e.name.clone(),
                        actor: e.actor.clone(),
                    }
                })
                .collect(),
            actors: a
                .actors
                .iter()
                .map(|x| OutDocActor {
                    name: x.name.clone(),
                    kind: x.kind,
                    actor: x.actor.clone(),
                    country: x.country.clone(),
                    office: x.office.clone(),
                    reason: x.reason.clone(),
                    mentions: x
                        .mentions
                        .iter()
                        .map(|&m| {
                            let (start, end) = ix.span(m);
                            OutMention {
                                start,
                                end,
                                text: doc.slice(m).to_string(),
                            }
                        })
                        .collect(),
                })
                .collect(),
            events: a
                .events
                .iter()
                .map(|e| OutEvent {
                    source: actor(&e.source),
                    target: e.target.as_ref().map(actor),
                    code: e.code.clone(),
                    root: e.root.clone(),
                    goldstein: e.goldstein,
                    quad_class: e.quad_class,
                    plover: e.plover.clone(),
                    sentence: e.sentence,
                    evidence: out_span(e.evidence),
                    rule: e.rule.clone(),
                    dict_version: e.dict_version.clone(),
                    sources: if e.more_sources.is_empty() {
                        Vec::new()
                    } else {
                        std::iter::once(&e.source).chain(&e.more_sources).map(actor).collect()
                    },
                    targets: if e.more_targets.is_empty() {
                        Vec::new()
                    } else {
                        e.target.iter().chain(&e.more_targets).map(actor).collect()
                    },
                    dyads: if e.more_sources.is_empty() && e.more_targets.is_empty() {
                        Vec::new()
                    } else {
                        let code = |r: &crate::ActorRef| r.actor.clone().unwrap_or_default();
                        let mut v = Vec::new();
                        for s in std::iter::once(&e.source).chain(&e.more_sources) {
                            for t in e.target.iter().chain(&e.more_targets) {
                                v.push((code(s), code(t)));
                            }
                        }
                        v
                    },
                    headline: e.region == RegionKind::Headline,
                    lead: e.region == RegionKind::Lead || e.in_lead,
                    date: e.date.clone(),
                    date_reason: e.date_reason.clone(),
                    quote: e.quote,
                    place: e.place.as_ref().map(&out_place),
                })
                .collect(),
            quotes: a
                .quotes
                .iter()
                .map(|q| {
                    let (start, end) = ix.span(q.span);
                    OutQuote {
                        start,
                        end,
                        kind: q.kind,
                        speaker: q.speaker.as_ref().map(actor),
                        cue: q.cue.map(out_span),
                        text: doc.slice(q.span).to_string(),
                        sentences: [q.sentences.0, q.sentences.1],
                        attribution: q.attribution.clone(),
                        addressee: q.addressee.as_ref().map(actor),
                    }
                })
                .collect(),
            places: a.places.iter().map(&out_place).collect(),
            extra: doc.extra.clone(),
            annalist: OutStamp {
                version: version.to_string(),
                dict_version: a.dict_version.clone(),
                format: OUTPUT_VERSION,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_index_ascii_is_identity() {
        let ix = CharIndex::new("hello");
        assert_eq!(ix.span(Span::new(1, 4)), (1, 4));
    }

    #[test]
    fn char_index_counts_code_points() {
        // "Moscow’s" : the apostrophe is 3 bytes.
        let text = "Moscow’s ties";
        let ix = CharIndex::new(text);
        let ties = text.find("ties").unwrap();
        assert_eq!(ix.char_offset(ties as u32), 9);
        assert_eq!(ix.char_offset(text.len() as u32), 13);
    }
}
