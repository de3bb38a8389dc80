//! The pipeline: `Document -> sentences/tokens -> (actors, events, quotes, places) -> Annotated`, run over
//! a stream of documents on every core with the output in input order.
//!
//! Design decision: documents are processed in batches; each batch is annotated in parallel (rayon) and
//! handed to the sink in input order, so output is deterministic whatever the thread count. A fault inside
//! one document's annotation is caught and reported as that document's error; the others go on.
//!
//! ```
//! use annalist_core::Document;
//! use annalist_pipeline::Pipeline;
//! let p = Pipeline::new();
//! let doc = annalist_ingest::read_str("Talks open\n\nThe talks opened. Both sides spoke.", "x.txt", Default::default()).unwrap();
//! let a = p.annotate(doc).unwrap();
//! assert_eq!(a.sentences.len(), 3);
//! ```

use annalist_actors::Actors;
use std::sync::Arc;

use annalist_core::{output::OutputDoc, Annotated, Document, Event, Place, Quote};
use annalist_events::{EventCoder, EventsError};
use annalist_ingest::{DocResult, IngestError};
use annalist_lexicon::Lexicon;
use annalist_quotes::QuoteFinder;
use annalist_text::Segmented;
use rayon::prelude::*;

/// The version of annalist written into every record.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Why a document produced no record.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// A fault inside annalist while annotating one document (a bug: please report it with the input).
    #[error("{id}: internal error while annotating: {message}")]
    Internal { id: String, message: String },
}

/// The configured stages.
#[derive(Clone)]
pub struct Pipeline {
    lex: &'static Lexicon,
    coder: Arc<EventCoder>,
    quotes: Arc<QuoteFinder>,
    dict_version: String,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("dict_version", &self.dict_version)
            .finish()
    }
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline::new()
    }
}

impl Pipeline {
    /// A pipeline over the embedded dictionaries.
    pub fn new() -> Pipeline {
        Pipeline::with_lexicon(Lexicon::embedded())
    }

    /// A pipeline over other dictionaries (see [`Lexicon::with_user_dicts`]).
    ///
    /// Panics if the lexicon's event patterns name a CAMEO code that does not exist; use
    /// [`Pipeline::try_with_lexicon`] for user dictionaries.
    pub fn with_lexicon(lex: &'static Lexicon) -> Pipeline {
        Pipeline::try_with_lexicon(lex).expect("embedded patterns compile (checked by tests)")
    }

    /// A pipeline over other dictionaries, or why their patterns do not compile.
    pub fn try_with_lexicon(lex: &'static Lexicon) -> Result<Pipeline, EventsError> {
        Ok(Pipeline {
            lex,
            coder: Arc::new(EventCoder::new(lex)?),
            quotes: Arc::new(QuoteFinder::new(lex)),
            dict_version: lex.version().to_string(),
        })
    }

    /// The dictionaries in use.
    pub fn lexicon(&self) -> &'static Lexicon {
        self.lex
    }

    /// The stamp of the dictionaries in use.
    pub fn dict_version(&self) -> &str {
        &self.dict_version
    }

    /// Annotates one document. Never panics: a fault becomes [`PipelineError::Internal`].
    pub fn annotate(&self, doc: Document) -> Result<Annotated, PipelineError> {
        let id = doc.id.clone();
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.annotate_inner(doc))).map_err(|p| {
            let message = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string());
            PipelineError::Internal { id, message }
        })
    }

    fn annotate_inner(&self, doc: Document) -> Annotated {
        let seg = self.segment(&doc);
        let mut actors = self.actors(&doc, &seg);
        let quotes = self.quotes(&doc, &seg, &mut actors);
        let mut events = self.events(&doc, &seg, &actors, &quotes);
        link_quotes(&mut events, &quotes);
        let places = self.places(&doc, &seg, &actors, &mut events);
        Annotated {
            places,
            events,
            quotes,
            entities: actors.entities(&doc),
            actors: actors.actors,
            sentences: seg.sentences,
            dict_version: self.dict_version.clone(),
            doc,
        }
    }

    /// Stage: tokens and sentences.
    pub fn segment(&self, doc: &Document) -> Segmented {
        annalist_text::segment(doc)
    }

    /// Stage: quotations and speakers. Adds the speaker-side "we" and the addressed "you" inside direct
    /// quotes to the actor mentions, so that event patterns fire inside quotes.
    pub fn quotes(&self, doc: &Document, seg: &Segmented, actors: &mut Actors) -> Vec<Quote> {
        let found = self.quotes.find(doc, seg, actors);
        actors.mentions.extend(found.mentions);
        actors.mentions.sort_by_key(|m| (m.span.start, m.span.end));
        found.quotes
    }

    /// Stage: places (toponyms resolved against the embedded gazetteer, the dateline place) and the place of
    /// each event, each with the reason it was chosen.
    pub fn places(&self, doc: &Document, seg: &Segmented, actors: &Actors, events: &mut [Event]) -> Vec<Place> {
        let places = annalist_geo::find_places(doc, seg, actors, annalist_geo::Gazetteer::embedded());
        for e in events.iter_mut() {
            e.place = annalist_geo::event_place(e, &places, doc, seg, actors);
        }
        places
    }

    /// Stage: CAMEO events from the patterns.
    pub fn events(&self, doc: &Document, seg: &Segmented, actors: &Actors, quotes: &[Quote]) -> Vec<Event> {
        self.coder.code(doc, seg, actors, quotes, None)
    }

    /// The event coder in use.
    pub fn coder(&self) -> &EventCoder {
        &self.coder
    }

    /// A human-readable account of how each sentence was coded: tokens, actors, patterns tried, events.
    pub fn explain(&self, doc: &Document) -> String {
        use std::fmt::Write;
        let seg = self.segment(doc);
        let mut actors = self.actors(doc, &seg);
        let quotes = self.quotes(doc, &seg, &mut actors);
        let mut traces = Vec::new();
        let events = self.coder.code(doc, &seg, &actors, &quotes, Some(&mut traces));
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# {} ({} sentences, date {})",
            doc.id,
            seg.sentences.len(),
            doc.date.as_deref().unwrap_or("unknown")
        );
        for (si, s) in seg.sentences.iter().enumerate() {
            let _ = writeln!(out, "\n[{si}] {:?} {}", s.region, doc.slice(s.span));
            let toks: Vec<&str> = seg.tokens[seg.sentence_tokens[si].clone()]
                .iter()
                .map(|t| t.text(&doc.text))
                .collect();
            let _ = writeln!(out, "  tokens: {}", toks.join(" | "));
            for m in actors.mentions.iter().filter(|m| s.span.contains(m.span)) {
                let name = m.actor.map(|a| actors.actors[a].name.as_str()).unwrap_or("");
                let _ = writeln!(
                    out,
                    "  actor: {:?} {:?} {} {}{}",
                    doc.slice(m.span),
                    m.kind,
                    m.code.as_deref().unwrap_or("-"),
                    name,
                    if m.is_place { " (place)" } else { "" }
                );
            }
            for t in traces.iter().filter(|t| t.sentence as usize == si) {
                for l in &t.lines {
                    let _ = writeln!(out, "{l}");
                }
            }
            for e in events.iter().filter(|e| e.sentence as usize == si) {
                let _ = writeln!(
                    out,
                    "  EVENT {} {} -> {} rule {} evidence {:?}",
                    e.code,
                    e.source.actor.as_deref().unwrap_or("?"),
                    e.target.as_ref().and_then(|t| t.actor.as_deref()).unwrap_or("-"),
                    e.rule,
                    doc.slice(e.evidence)
                );
            }
        }
        out
    }

    /// Stage: actors (names, roles, pronouns) resolved on the document date.
    pub fn actors(&self, doc: &Document, seg: &Segmented) -> Actors {
        annalist_actors::find(doc, seg, self.lex)
    }

    /// The annalist JSON v1 record of an annotated document.
    pub fn to_output(&self, a: &Annotated) -> OutputDoc {
        OutputDoc::from_annotated(a, VERSION)
    }

    /// Runs the pipeline over `docs` in batches of `batch` documents, calling `sink` for each result in
    /// input order. Stops early (returning the sink's error) when the sink fails.
    pub fn run<I, E>(
        &self,
        docs: I,
        batch: usize,
        mut sink: impl FnMut(Result<Annotated, PipelineError>) -> Result<(), E>,
    ) -> Result<(), E>
    where
        I: Iterator<Item = DocResult> + Send,
    {
        let batch = batch.max(1);
        let mut docs = docs;
        let mut current: Vec<DocResult> = docs.by_ref().take(batch).collect();
        while !current.is_empty() {
            // Read the next batch while this one is annotated on the other threads.
            let (results, next): (Vec<Result<Annotated, PipelineError>>, Vec<DocResult>) = rayon::join(
                || {
                    std::mem::take(&mut current)
                        .into_par_iter()
                        .map(|r| r.map_err(PipelineError::from).and_then(|d| self.annotate(d)))
                        .collect()
                },
                || docs.by_ref().take(batch).collect(),
            );
            for r in results {
                sink(r)?;
            }
            current = next;
        }
        Ok(())
    }
}

/// Links each event said inside a quotation to that quote.
fn link_quotes(events: &mut [Event], quotes: &[Quote]) {
    for e in events {
        e.quote = quotes
            .iter()
            .position(|q| q.span.contains(e.evidence))
            .map(|i| i as u32);
    }
}

/// Sets the number of worker threads for the whole process (call before the first run).
pub fn set_threads(n: usize) -> Result<(), rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new().num_threads(n).build_global()
}

/// Serialises a record as one JSON line.
pub fn to_json_line(out: &OutputDoc) -> String {
    serde_json::to_string(out).expect("output records always serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_preserved_across_batches() {
        let p = Pipeline::new();
        let docs = (0..50).map(|i| Ok(Document::new(format!("d{i}"), format!("Sentence {i}."))));
        let mut ids = Vec::new();
        p.run(docs, 7, |r| -> Result<(), ()> {
            ids.push(r.unwrap().doc.id);
            Ok(())
        })
        .unwrap();
        let want: Vec<String> = (0..50).map(|i| format!("d{i}")).collect();
        assert_eq!(ids, want);
    }
}
