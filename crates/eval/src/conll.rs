//! Named entities scored against CoNLL-2003 (`eng.testa`, `eng.train`: one token a line,
//! `token POS chunk NER`, blank lines between sentences, `-DOCSTART-` between documents, IOB1 tags).
//!
//! Each document's text is rebuilt by joining its tokens with single spaces and its sentences with `\n`;
//! gold entities become byte spans of that text. annalist's entities are compared with them by exact span
//! and type (`PERSON`→`PER`, `ORG`, `LOC`, `MISC`), as `conlleval` does: precision, recall and F1 per type
//! and micro-averaged, also without `MISC` and with types ignored (boundaries only).
//!
//! Design decision: the gold reader ([`parse`]) and the scorer ([`score`]) are pure functions over
//! strings and spans; [`evaluate`] is the only part that touches files and the pipeline. CoNLL has no
//! dates, so every document is coded as of [`CONLL_DATE`] (the RCV1 stories are from August 1996).
//!
//! ```
//! use annalist_eval::conll::{parse, score, Labeled, NerType};
//! let docs = parse("EU NNP I-NP I-ORG\nrejects VBZ I-VP O\n").unwrap();
//! assert_eq!(docs[0].text, "EU rejects");
//! let gold = &docs[0].entities;
//! let pred = vec![Labeled { span: gold[0].span, kind: NerType::Org }];
//! let r = score([(gold.as_slice(), pred.as_slice())]);
//! assert_eq!(r.overall.f1, 1.0);
//! ```

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::Instant;

use annalist_core::{Annotated, Document, EntityType, Region, RegionKind, Span};
use annalist_pipeline::Pipeline;
use serde::Serialize;

use crate::report::{annotate_in_order, read_to_string, Counts, EvalError, Metric, Prf, Scored, Table};

/// The date CoNLL documents are coded as of (the test stories are from 22–31 August 1996).
pub const CONLL_DATE: &str = "1996-08-22";

/// The four CoNLL entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum NerType {
    #[serde(rename = "PER")]
    Per,
    #[serde(rename = "ORG")]
    Org,
    #[serde(rename = "LOC")]
    Loc,
    #[serde(rename = "MISC")]
    Misc,
}

impl NerType {
    pub const ALL: [NerType; 4] = [NerType::Per, NerType::Org, NerType::Loc, NerType::Misc];

    pub fn as_str(self) -> &'static str {
        match self {
            NerType::Per => "PER",
            NerType::Org => "ORG",
            NerType::Loc => "LOC",
            NerType::Misc => "MISC",
        }
    }

    fn from_tag(s: &str) -> Option<NerType> {
        Some(match s {
            "PER" => NerType::Per,
            "ORG" => NerType::Org,
            "LOC" => NerType::Loc,
            "MISC" => NerType::Misc,
            _ => return None,
        })
    }
}

impl From<EntityType> for NerType {
    fn from(t: EntityType) -> NerType {
        match t {
            EntityType::Person => NerType::Per,
            EntityType::Org => NerType::Org,
            EntityType::Loc => NerType::Loc,
            EntityType::Misc => NerType::Misc,
        }
    }
}

/// An entity: a byte span of the rebuilt text and its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Labeled {
    pub span: Span,
    pub kind: NerType,
}

/// One gold document with its rebuilt text.
#[derive(Debug, Clone, PartialEq)]
pub struct ConllDoc {
    /// 1-based position in the file.
    pub number: usize,
    /// Tokens joined by single spaces, sentences by `\n`.
    pub text: String,
    /// Every token's byte span in `text`.
    pub tokens: Vec<Span>,
    /// Every sentence's byte span in `text`.
    pub sentences: Vec<Span>,
    /// Gold entities in text order.
    pub entities: Vec<Labeled>,
}

/// A line that does not parse, with its 1-based number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

/// Reads a CoNLL-2003 file's text into documents. Documents without tokens (a `-DOCSTART-` at the end of
/// the file, two in a row) are dropped; a file that does not open with `-DOCSTART-` starts with a document.
pub fn parse(input: &str) -> Result<Vec<ConllDoc>, ParseError> {
    let mut docs = Vec::new();
    let mut cur = DocBuilder::default();
    for (i, raw) in input.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.starts_with("-DOCSTART-") {
            cur.finish_into(&mut docs);
            continue;
        }
        if line.trim().is_empty() {
            cur.end_sentence();
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        let (Some(token), Some(tag)) = (cols.first(), cols.last().filter(|_| cols.len() >= 2)) else {
            return Err(ParseError {
                line: i + 1,
                message: format!("expected `token ... tag`, found {line:?}"),
            });
        };
        let tag = parse_tag(tag).ok_or_else(|| ParseError {
            line: i + 1,
            message: format!("unknown NER tag {tag:?}"),
        })?;
        cur.push(token, tag);
    }
    cur.finish_into(&mut docs);
    Ok(docs)
}

/// Reads a CoNLL-2003 file.
pub fn read(path: &Path) -> Result<Vec<ConllDoc>, EvalError> {
    let text = read_to_string(path)?;
    parse(&text).map_err(|e| EvalError::format(path, e.line, e.message))
}

/// A tag: `O`, or a prefix (`I`, `B`) and a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Outside,
    Inside(NerType),
    Begin(NerType),
}

fn parse_tag(s: &str) -> Option<Tag> {
    if s == "O" {
        return Some(Tag::Outside);
    }
    let (prefix, kind) = s.split_once('-')?;
    let kind = NerType::from_tag(kind)?;
    match prefix {
        "I" => Some(Tag::Inside(kind)),
        "B" => Some(Tag::Begin(kind)),
        _ => None,
    }
}

#[derive(Default)]
struct DocBuilder {
    text: String,
    tokens: Vec<Span>,
    sentences: Vec<Span>,
    entities: Vec<Labeled>,
    /// Start of the current sentence (byte), when it has a token.
    sentence_start: Option<usize>,
    /// The entity being read: its type and first token's start.
    open: Option<(NerType, usize)>,
}

impl DocBuilder {
    fn push(&mut self, token: &str, tag: Tag) {
        if self.sentence_start.is_none() {
            if !self.text.is_empty() {
                self.text.push('\n');
            }
            self.sentence_start = Some(self.text.len());
        } else {
            self.text.push(' ');
        }
        let start = self.text.len();
        self.text.push_str(token);
        // IOB1 (conlleval): I-X continues an entity of type X; B-X, a change of type or O ends it.
        match tag {
            Tag::Outside => self.close(),
            Tag::Inside(k) => match self.open {
                Some((open, _)) if open == k => {}
                _ => {
                    self.close();
                    self.open = Some((k, start));
                }
            },
            Tag::Begin(k) => {
                self.close();
                self.open = Some((k, start));
            }
        }
        self.tokens.push(Span::new(start, self.text.len()));
    }

    /// Ends the open entity at the end of the last token pushed.
    fn close(&mut self) {
        if let Some((kind, start)) = self.open.take() {
            let end = self.tokens.last().map_or(start, |t| t.end as usize);
            self.entities.push(Labeled {
                span: Span::new(start, end),
                kind,
            });
        }
    }

    fn end_sentence(&mut self) {
        self.close();
        if let Some(s) = self.sentence_start.take() {
            self.sentences.push(Span::new(s, self.text.len()));
        }
    }

    fn finish_into(&mut self, docs: &mut Vec<ConllDoc>) {
        self.end_sentence();
        let done = std::mem::take(self);
        if !done.tokens.is_empty() {
            docs.push(ConllDoc {
                number: docs.len() + 1,
                text: done.text,
                tokens: done.tokens,
                sentences: done.sentences,
                entities: done.entities,
            });
        }
    }
}

/// annalist's entities as CoNLL entities.
pub fn predicted(a: &Annotated) -> Vec<Labeled> {
    a.entities
        .iter()
        .map(|e| Labeled {
            span: e.span,
            kind: e.kind.into(),
        })
        .collect()
}

/// Scores of one CoNLL file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConllResult {
    /// The gold file's name.
    pub file: String,
    pub documents: usize,
    pub sentences: usize,
    pub tokens: usize,
    /// Documents annalist failed to annotate (scored as predicting nothing).
    pub failures: usize,
    /// Wall time of reading, annotating and scoring.
    pub seconds: f64,
    /// Micro-averaged over the four types, exact span and type.
    pub overall: Prf,
    /// Micro-averaged over PER, ORG and LOC (MISC gold and predictions left out).
    pub overall_no_misc: Prf,
    /// Exact span, type ignored.
    pub untyped: Prf,
    /// Exact span and type, per type (`PER`, `ORG`, `LOC`, `MISC`).
    pub per_type: BTreeMap<NerType, Prf>,
}

/// Scores `(gold, predicted)` entity lists, one pair per document. Duplicate predictions (same span and
/// type) count once.
pub fn score<'a>(docs: impl IntoIterator<Item = (&'a [Labeled], &'a [Labeled])>) -> ConllResult {
    let mut per_type: BTreeMap<NerType, Counts> = NerType::ALL.iter().map(|&t| (t, Counts::default())).collect();
    let mut untyped = Counts::default();
    let mut documents = 0;
    for (gold, pred) in docs {
        documents += 1;
        let g: HashSet<Labeled> = gold.iter().copied().collect();
        let p: HashSet<Labeled> = pred.iter().copied().collect();
        for e in &p {
            let c = per_type.get_mut(&e.kind).expect("all types present");
            if g.contains(e) {
                c.tp += 1;
            } else {
                c.fp += 1;
            }
        }
        for e in g.difference(&p) {
            per_type.get_mut(&e.kind).expect("all types present").fn_ += 1;
        }
        let gs: HashSet<Span> = gold.iter().map(|e| e.span).collect();
        let ps: HashSet<Span> = pred.iter().map(|e| e.span).collect();
        let tp = gs.intersection(&ps).count();
        untyped.add(Counts {
            tp,
            fp: ps.len() - tp,
            fn_: gs.len() - tp,
        });
    }
    let mut overall = Counts::default();
    let mut no_misc = Counts::default();
    for (t, c) in &per_type {
        overall.add(*c);
        if *t != NerType::Misc {
            no_misc.add(*c);
        }
    }
    ConllResult {
        file: String::new(),
        documents,
        sentences: 0,
        tokens: 0,
        failures: 0,
        seconds: 0.0,
        overall: overall.prf(),
        overall_no_misc: no_misc.prf(),
        untyped: untyped.prf(),
        per_type: per_type.into_iter().map(|(t, c)| (t, c.prf())).collect(),
    }
}

/// The document annalist codes for a gold document: the rebuilt text as one body region.
pub fn document(doc: &ConllDoc, name: &str) -> Document {
    let mut d = Document::new(format!("{name}#{}", doc.number), doc.text.clone());
    d.regions.push(Region {
        kind: RegionKind::Body,
        span: Span::new(0, d.text.len()),
    });
    d.date = Some(CONLL_DATE.to_string());
    d.format = "conll".to_string();
    d
}

/// Reads `path`, codes its first `limit` documents with `pipeline` and scores the entities.
pub fn evaluate(path: &Path, pipeline: &Pipeline, limit: Option<usize>) -> Result<ConllResult, EvalError> {
    let started = Instant::now();
    let mut gold = read(path)?;
    if let Some(n) = limit {
        gold.truncate(n);
    }
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let docs = gold.iter().map(|g| document(g, &name)).collect();
    let (pred, failures) = annotate_in_order(pipeline, docs, predicted);
    let pred: Vec<Vec<Labeled>> = pred.into_iter().map(Option::unwrap_or_default).collect();
    let mut r = score(
        gold.iter()
            .zip(&pred)
            .map(|(g, p)| (g.entities.as_slice(), p.as_slice())),
    );
    r.file = name;
    r.sentences = gold.iter().map(|d| d.sentences.len()).sum();
    r.tokens = gold.iter().map(|d| d.tokens.len()).sum();
    r.failures = failures;
    r.seconds = started.elapsed().as_secs_f64();
    Ok(r)
}

impl Scored for ConllResult {
    fn set(&self) -> &'static str {
        "conll"
    }

    fn tables(&self) -> Vec<Table> {
        let mut t = Table::prf(
            format!(
                "conll: entities in {} ({} documents, {} sentences, {} failed, {:.1} s), exact span and type",
                self.file, self.documents, self.sentences, self.failures, self.seconds
            ),
            "type",
        );
        for (k, p) in &self.per_type {
            t.prf_row(k.as_str(), p);
        }
        t.prf_row("overall", &self.overall);
        t.prf_row("no MISC", &self.overall_no_misc);
        t.prf_row("untyped", &self.untyped);
        vec![t]
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("results always serialise")
    }

    fn metrics(&self) -> Vec<Metric> {
        let mut m = vec![
            Metric::new("conll", self.overall.f1),
            Metric::new("conll.no_misc", self.overall_no_misc.f1),
            Metric::new("conll.untyped", self.untyped.f1),
        ];
        for (k, p) in &self.per_type {
            m.push(Metric::new(format!("conll.{}", k.as_str()), p.f1));
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Made-up sentences in the CoNLL-2003 layout (token POS chunk NER).
    const MINI: &str = "\
Zorvia NNP I-NP I-LOC
beat VBD I-VP O
Kestrel NNP I-NP I-ORG
United NNP I-NP I-ORG
. . O O

Ana NNP I-NP I-PER
Ruiz NNP I-NP I-PER
Bela NNP I-NP B-PER
Tomic NNP I-NP I-PER
spoke VBD I-VP O

-DOCSTART- -X- O O

Quellish JJ I-NP I-MISC
fans NNS I-NP O
-DOCSTART- -X- O O
";

    fn text_of<'a>(d: &'a ConllDoc, e: &Labeled) -> &'a str {
        &d.text[e.span.range()]
    }

    #[test]
    fn rebuilds_text_and_iob1_entities() {
        let docs = parse(MINI).unwrap();
        // No -DOCSTART- before the first document, one after the last: two documents.
        assert_eq!(docs.len(), 2);
        let d = &docs[0];
        assert_eq!(d.text, "Zorvia beat Kestrel United .\nAna Ruiz Bela Tomic spoke");
        assert_eq!(d.sentences.len(), 2);
        assert_eq!(d.tokens.len(), 10);
        let ents: Vec<(&str, NerType)> = d.entities.iter().map(|e| (text_of(d, e), e.kind)).collect();
        assert_eq!(
            ents,
            vec![
                ("Zorvia", NerType::Loc),
                ("Kestrel United", NerType::Org),
                // B- splits two adjacent entities of one type.
                ("Ana Ruiz", NerType::Per),
                ("Bela Tomic", NerType::Per),
            ]
        );
        assert_eq!(docs[1].text, "Quellish fans");
        assert_eq!(docs[1].number, 2);
        assert_eq!(text_of(&docs[1], &docs[1].entities[0]), "Quellish");
    }

    #[test]
    fn entity_at_sentence_end_closes_at_boundary() {
        let docs = parse("A NNP I-NP I-ORG\n\nB NNP I-NP I-ORG\n").unwrap();
        // Two entities, not one running across the sentence break.
        assert_eq!(docs[0].entities.len(), 2);
        assert_eq!(docs[0].text, "A\nB");
    }

    #[test]
    fn type_change_starts_new_entity() {
        let docs = parse("Paris NNP I-NP I-LOC\nSaint NNP I-NP I-ORG\nGermain NNP I-NP I-ORG\n").unwrap();
        let kinds: Vec<NerType> = docs[0].entities.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, vec![NerType::Loc, NerType::Org]);
    }

    #[test]
    fn bad_tag_names_line() {
        let e = parse("ok NN I-NP O\nbad NN I-NP I-FOO\n").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn scores_per_type_and_micro() {
        let s = |a, b| Span::new(a, b);
        let gold = vec![
            Labeled {
                span: s(0, 6),
                kind: NerType::Loc,
            },
            Labeled {
                span: s(12, 26),
                kind: NerType::Org,
            },
            Labeled {
                span: s(29, 37),
                kind: NerType::Per,
            },
            Labeled {
                span: s(38, 48),
                kind: NerType::Misc,
            },
        ];
        let pred = vec![
            Labeled {
                span: s(0, 6),
                kind: NerType::Loc,
            }, // right
            Labeled {
                span: s(12, 19),
                kind: NerType::Org,
            }, // boundary wrong
            Labeled {
                span: s(29, 37),
                kind: NerType::Org,
            }, // type wrong
            Labeled {
                span: s(29, 37),
                kind: NerType::Org,
            }, // duplicate: counted once
            Labeled {
                span: s(38, 48),
                kind: NerType::Misc,
            },
        ];
        let r = score([(gold.as_slice(), pred.as_slice())]);
        assert_eq!(r.overall.tp, 2);
        assert_eq!(r.overall.fp, 2);
        assert_eq!(r.overall.fn_, 2);
        assert_eq!(r.per_type[&NerType::Per].fn_, 1);
        assert_eq!(r.per_type[&NerType::Org].fp, 2);
        assert_eq!(r.per_type[&NerType::Loc].f1, 1.0);
        // Without MISC: LOC right, ORG 2 fp 1 fn, PER 1 fn.
        assert_eq!(
            (r.overall_no_misc.tp, r.overall_no_misc.fp, r.overall_no_misc.fn_),
            (1, 2, 2)
        );
        // Span only: the type error becomes right.
        assert_eq!((r.untyped.tp, r.untyped.fp, r.untyped.fn_), (3, 1, 1));
    }

    #[test]
    fn nothing_predicted_scores_zero_recall() {
        let docs = parse(MINI).unwrap();
        let r = score(docs.iter().map(|d| (d.entities.as_slice(), &[][..])));
        assert_eq!(r.overall.recall, 0.0);
        assert_eq!(r.overall.fn_, 5);
        assert_eq!(r.documents, 2);
    }

    #[test]
    fn evaluate_runs_the_pipeline_on_a_file() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/conll/mini.conll");
        let r = evaluate(&path, &Pipeline::new(), None).unwrap();
        assert_eq!(r.documents, 2);
        assert_eq!(r.failures, 0);
        assert_eq!(r.overall.tp + r.overall.fn_, 5);
        let r = evaluate(&path, &Pipeline::new(), Some(1)).unwrap();
        assert_eq!(r.documents, 1);
        assert!(matches!(
            evaluate(Path::new("/nonexistent/eng.testa"), &Pipeline::new(), None),
            Err(EvalError::Missing { .. })
        ));
    }
}
