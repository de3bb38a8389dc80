//! The types that flow between annalist's stages, and the output contract (annalist JSON v1).
//!
//! Design decision: every span is a pair of **byte** offsets into [`Document::text`], the document's text
//! exactly as read. Nothing is ever cut out of or rewritten in `text`; boilerplate is excluded by listing
//! the coded [`Region`]s instead. Conversion to Unicode code-point offsets happens once, at the output edge
//! ([`output::OutputDoc::from_annotated`]).
//!
//! ```
//! use annalist_core::{Document, Region, RegionKind, Span};
//! let mut doc = Document::new("d1", "Russia and China signed a deal.");
//! doc.regions.push(Region { kind: RegionKind::Body, span: Span::new(0, doc.text.len()) });
//! assert_eq!(doc.slice(Span::new(0, 6)), "Russia");
//! ```

pub mod date;
pub mod output;

use serde::{Deserialize, Serialize};

/// The version of the output contract written by every stage.
pub const OUTPUT_VERSION: &str = "annalist-json-v1";

/// A half-open byte range `[start, end)` into a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (byte offsets). Panics in debug builds if `start > end`.
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Which part of an article a region of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionKind {
    /// The title / headline: coded with headline grammar.
    Headline,
    /// The standfirst or lead paragraph printed above the body.
    Lead,
    /// The article body, without its dateline opening.
    Body,
}

/// A part of the text that the later stages code. Text outside every region (navigation words, the
/// dateline line, the agency marker) is kept in [`Document::text`] but never coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub kind: RegionKind,
    pub span: Span,
}

/// The place and time line of a wire report ("BEIJING, November 1" / "November 01, 15:36 UTC+3 BEIJING").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dateline {
    /// The place as a reader would write it ("Beijing").
    pub place: String,
    /// Where the place is written in the text.
    pub span: Span,
}

/// Where a document came from, for error messages and provenance.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Origin {
    /// The file path, or `-` for standard input.
    pub path: String,
    /// 1-based line for line-oriented inputs (JSONL).
    pub line: Option<u64>,
}

/// One news document as read, before any analysis.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    /// The publishing agency or site ("TASS", "Reuters"), when known.
    pub source: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    /// Where the title sits in `text`, when it does.
    pub title_span: Option<Span>,
    pub section: Option<String>,
    pub author: Option<String>,
    /// ISO 8601 timestamp, with offset when known (`2017-11-01T15:36:00+03:00`), or a date alone.
    pub published: Option<String>,
    /// The publication date `YYYY-MM-DD`: the date actors and events are resolved against.
    pub date: Option<String>,
    pub dateline: Option<Dateline>,
    pub lead: Option<String>,
    /// The document's text exactly as read: every span points into it.
    pub text: String,
    /// The coded parts of `text`, in text order, not overlapping.
    pub regions: Vec<Region>,
    /// The reader that produced this document ("wire", "text", "html", "jsonl", "reuters-sgml").
    pub format: String,
    pub origin: Origin,
    /// Input fields the reader does not interpret, kept as they were (JSONL).
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Document {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Document {
        Document {
            id: id.into(),
            text: text.into(),
            ..Document::default()
        }
    }

    /// The text of a span. Spans are produced by annalist and always lie on char boundaries.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.range()]
    }

    /// The region a span falls in, if any.
    pub fn region_of(&self, span: Span) -> Option<&Region> {
        self.regions.iter().find(|r| r.span.contains(span))
    }
}

/// A sentence: a span inside one region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub span: Span,
    pub region: RegionKind,
    /// Index of the paragraph the sentence is in (counted over the whole document).
    pub paragraph: u32,
}

/// Entity types of the output contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityType {
    Person,
    Org,
    Loc,
    Misc,
}

/// A named entity mention, possibly resolved to an actor code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub span: Span,
    pub kind: EntityType,
    /// Canonical name when resolved.
    pub name: Option<String>,
    /// CAMEO actor code on the document date, when resolved.
    pub actor: Option<String>,
}

/// One actor of a document (a person, organisation, country or group) with every mention of it,
/// resolved through names, titles, roles and pronouns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub name: String,
    pub kind: EntityType,
    /// CAMEO actor code on the document date.
    pub actor: Option<String>,
    pub country: Option<String>,
    /// The office that gave the code on the document date, with its term.
    pub office: Option<String>,
    /// Why the code was chosen (dictionary entry and term, or context).
    pub reason: Option<String>,
    pub mentions: Vec<Span>,
}

/// An actor slot of an event or a quote's speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorRef {
    pub actor: Option<String>,
    pub name: Option<String>,
    pub span: Span,
}

/// A coded event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub source: ActorRef,
    pub target: Option<ActorRef>,
    pub code: String,
    pub root: String,
    pub goldstein: Option<f32>,
    pub quad_class: u8,
    pub plover: Option<String>,
    /// Index into the document's sentences.
    pub sentence: u32,
    pub evidence: Span,
    pub rule: String,
    pub dict_version: String,
    /// Further sources of a compound subject ("Russia and China signed"): one event, several sources.
    pub more_sources: Vec<ActorRef>,
    /// Further targets of a compound object.
    pub more_targets: Vec<ActorRef>,
    /// The region of the sentence (headline, lead, body).
    pub region: RegionKind,
    /// True when the same sentence opens the lead (the body repeats the lead).
    pub in_lead: bool,
    /// The date the event happened: the document date unless the sentence names another.
    pub date: Option<String>,
    /// Why `date` differs from the document date ("on Saturday" …).
    pub date_reason: Option<String>,
    /// The quote this event was said in, as an index into the document's quotes.
    pub quote: Option<u32>,
    /// Where the event happened, with the reason (`role` is `event`).
    pub place: Option<Place>,
}

/// Direct or indirect speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Indirect,
}

/// A quotation and who said it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The content (inside the quote marks for direct quotes).
    pub span: Span,
    pub kind: QuoteKind,
    pub speaker: Option<ActorRef>,
    pub cue: Option<Span>,
    /// First and last sentence index the content spans.
    pub sentences: (u32, u32),
    /// Why the speaker was chosen ("cue after the quote", "continues the previous quote" …).
    pub attribution: Option<String>,
    /// Who a direct quote is addressed to ("you" inside it): the person the speaker is meeting or answering.
    pub addressee: Option<ActorRef>,
}

/// Why a place is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceRole {
    Dateline,
    Mentioned,
    Event,
}

/// A place named in (or implied by) the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub name: String,
    pub geonameid: Option<u64>,
    /// CAMEO/ISO alpha-3 country code.
    pub country: Option<String>,
    /// First-level division code (GeoNames admin1) and name, when known.
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// `city`, `admin1` or `country`.
    pub precision: Option<String>,
    pub role: PlaceRole,
    pub mentions: Vec<Span>,
    /// Why this place was chosen for its name (population prior, dateline, other places named, admin context …).
    pub reason: Option<String>,
    /// The next-best candidate, for review ("Paris, US-TX (pop 25,000)").
    pub runner_up: Option<String>,
}

/// A document with everything the pipeline found in it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Annotated {
    pub doc: Document,
    pub sentences: Vec<Sentence>,
    pub entities: Vec<Entity>,
    pub actors: Vec<Actor>,
    pub events: Vec<Event>,
    pub quotes: Vec<Quote>,
    pub places: Vec<Place>,
    /// The stamp of the dictionaries used, written into every output record.
    pub dict_version: String,
}
