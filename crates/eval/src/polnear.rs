//! Quotations and speakers scored against PolNeAR attributions (brat standoff).
//!
//! Layout under the PolNeAR folder: `data/<split>/text/<article>.txt`,
//! `data/<split>/attributions/<article>_<annotator>.ann` and `data/metadata.tsv` (publication dates).
//! An attribution is an event line `E# Attribution:T Content:T Cue:T Source:T` (also `Content2:`, and
//! `Attribution-no-source:` without a source) over text-bound lines `T# Type start end[;start end…]`, whose
//! offsets count Unicode characters; they are turned into byte spans here. Articles annotated by several
//! annotators are scored against the first annotation file in name order.
//!
//! Scoring: a predicted quote (its span) matches a gold attribution when it overlaps the gold content,
//! one to one, the largest overlaps first. Content precision/recall/F1 count those matches. Among matched
//! pairs, the speaker is right when the predicted speaker span overlaps the gold source; `speaker` gives
//! precision over matched pairs with a predicted speaker and recall over matched pairs with a gold source,
//! and `attribution` counts a right content-and-speaker pair against all predictions and all gold.
//!
//! ```
//! use annalist_eval::polnear::{parse_ann, score_doc, PredQuote};
//! use annalist_core::Span;
//! let text = "Ola said it rained.";
//! let ann = "T1\tSource 0 3\tOla\nT2\tCue 4 8\tsaid\nT3\tContent 9 18\tit rained\n\
//!            E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n";
//! let gold = parse_ann(ann, text).unwrap();
//! let pred = [PredQuote { content: Span::new(9, 18), speaker: Some(Span::new(0, 3)) }];
//! let t = score_doc(&gold.attributions, &pred);
//! assert_eq!((t.matched, t.speaker_correct), (1, 1));
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use annalist_core::{Annotated, Document, Region, RegionKind, Span};
use annalist_ingest::{read_str, InputFormat};
use annalist_pipeline::Pipeline;
use serde::Serialize;

use crate::report::{
    annotate_in_order, greedy_match, overlap_len, ratio, read_to_string, Counts, EvalError, Metric, Prf, Scored, Table,
};

/// A brat text-bound annotation (`T12<TAB>Content 575 842;843 1076<TAB>text`), offsets in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextBound {
    pub id: String,
    pub kind: String,
    /// `(start, end)` character offsets, one pair per fragment, as written.
    pub fragments: Vec<(usize, usize)>,
}

/// True when `line` is a brat annotation whose id is `kind` and a number (`T12<TAB>…`, `E3<TAB>…`,
/// `#1<TAB>…`). Other lines are continuations of an annotation text that spans a line break.
pub fn is_annotation(line: &str, kind: char) -> bool {
    let id = line.split('\t').next().unwrap_or("");
    id.strip_prefix(kind)
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && line.len() > id.len()
}

/// Parses a brat text-bound line; `None` when the line is not one (or is malformed).
pub fn parse_text_bound(line: &str) -> Option<TextBound> {
    let mut cols = line.splitn(3, '\t');
    let id = cols.next()?;
    if !id.starts_with('T') {
        return None;
    }
    let (kind, offsets) = cols.next()?.split_once(' ')?;
    let mut fragments = Vec::new();
    for frag in offsets.split(';') {
        let (s, e) = frag.trim().split_once(' ')?;
        fragments.push((s.parse().ok()?, e.parse().ok()?));
    }
    Some(TextBound {
        id: id.to_string(),
        kind: kind.to_string(),
        fragments,
    })
}

/// Character offsets of a text turned into byte offsets.
#[derive(Debug, Clone)]
pub struct CharOffsets {
    /// Byte offset of every character, then the text's length.
    bytes: Vec<usize>,
}

impl CharOffsets {
    pub fn new(text: &str) -> CharOffsets {
        let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bytes.push(text.len());
        CharOffsets { bytes }
    }

    /// The byte span of characters `start..end`; `None` when reversed or past the end of the text.
    pub fn span(&self, start: usize, end: usize) -> Option<Span> {
        if start > end {
            return None;
        }
        Some(Span::new(*self.bytes.get(start)?, *self.bytes.get(end)?))
    }
}

/// One gold attribution, as byte spans of the article text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GoldAttribution {
    /// The content (what was said or thought), possibly in several fragments.
    pub content: Vec<Span>,
    /// Who said it (empty for `Attribution-no-source`).
    pub source: Vec<Span>,
    pub cue: Vec<Span>,
    /// The content holds a quotation mark: a direct quote (in whole or in part).
    pub direct: bool,
}

/// The gold attributions of one annotation file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GoldAnn {
    pub attributions: Vec<GoldAttribution>,
    /// Attributions with no content span (left out of scoring).
    pub without_content: usize,
    /// Text-bound fragments whose offsets fall outside the text (left out).
    pub bad_offsets: usize,
}

/// A line that does not parse, with its 1-based number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

/// Reads one PolNeAR `.ann` file against its article text.
pub fn parse_ann(ann: &str, text: &str) -> Result<GoldAnn, ParseError> {
    let offsets = CharOffsets::new(text);
    let mut out = GoldAnn::default();
    let mut bounds: HashMap<String, Vec<Span>> = HashMap::new();
    for (i, line) in ann.lines().enumerate() {
        if !is_annotation(line, 'T') {
            continue;
        }
        let tb = parse_text_bound(line).ok_or_else(|| ParseError {
            line: i + 1,
            message: format!("malformed text-bound annotation {line:?}"),
        })?;
        let mut spans = Vec::new();
        for (s, e) in tb.fragments {
            match offsets.span(s, e) {
                Some(sp) => spans.push(sp),
                None => out.bad_offsets += 1,
            }
        }
        spans.sort();
        bounds.insert(tb.id, spans);
    }
    for (i, line) in ann.lines().enumerate() {
        if !is_annotation(line, 'E') {
            continue;
        }
        let args = line.split('\t').nth(1).unwrap_or("");
        let mut a = GoldAttribution::default();
        for arg in args.split_whitespace() {
            let (role, id) = arg.split_once(':').ok_or_else(|| ParseError {
                line: i + 1,
                message: format!("malformed argument {arg:?}"),
            })?;
            let spans = bounds.get(id).ok_or_else(|| ParseError {
                line: i + 1,
                message: format!("{id} is not defined"),
            })?;
            // Roles repeat with a number (`Content2`); `Attribution`/`Attribution-no-source` is the relation.
            match role.trim_end_matches(|c: char| c.is_ascii_digit()) {
                "Content" => a.content.extend(spans),
                "Source" => a.source.extend(spans),
                "Cue" => a.cue.extend(spans),
                _ => {}
            }
        }
        if a.content.is_empty() {
            out.without_content += 1;
            continue;
        }
        a.content.sort();
        a.source.sort();
        a.cue.sort();
        a.direct = a
            .content
            .iter()
            .any(|s| text[s.range()].contains(['"', '\u{201c}', '\u{201d}']));
        out.attributions.push(a);
    }
    Ok(out)
}

/// A predicted quotation: its span and its speaker's span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PredQuote {
    pub content: Span,
    pub speaker: Option<Span>,
}

/// annalist's quotes.
pub fn predicted(a: &Annotated) -> Vec<PredQuote> {
    a.quotes
        .iter()
        .map(|q| PredQuote {
            content: q.span,
            speaker: q.speaker.as_ref().map(|s| s.span),
        })
        .collect()
}

/// Counts of one document (or, summed, of a set).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QuoteTally {
    pub gold: usize,
    pub gold_with_source: usize,
    pub gold_direct: usize,
    pub pred: usize,
    pub pred_with_speaker: usize,
    /// Matched (gold, predicted) pairs.
    pub matched: usize,
    pub matched_direct: usize,
    pub matched_with_gold_source: usize,
    pub matched_with_pred_speaker: usize,
    /// Matched pairs whose predicted speaker overlaps the gold source.
    pub speaker_correct: usize,
    /// Sum over matched pairs of the content's overlap / union (bytes).
    pub jaccard_sum: f64,
}

impl QuoteTally {
    pub fn add(&mut self, o: &QuoteTally) {
        self.gold += o.gold;
        self.gold_with_source += o.gold_with_source;
        self.gold_direct += o.gold_direct;
        self.pred += o.pred;
        self.pred_with_speaker += o.pred_with_speaker;
        self.matched += o.matched;
        self.matched_direct += o.matched_direct;
        self.matched_with_gold_source += o.matched_with_gold_source;
        self.matched_with_pred_speaker += o.matched_with_pred_speaker;
        self.speaker_correct += o.speaker_correct;
        self.jaccard_sum += o.jaccard_sum;
    }
}

/// Matches predictions to gold attributions by content overlap (one to one, largest overlap first) and
/// counts content and speaker agreement.
pub fn score_doc(gold: &[GoldAttribution], pred: &[PredQuote]) -> QuoteTally {
    let mut candidates = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        for (pi, p) in pred.iter().enumerate() {
            let o = overlap_len(p.content, &g.content);
            if o > 0 {
                candidates.push((o, gi, pi));
            }
        }
    }
    let mut t = QuoteTally {
        gold: gold.len(),
        gold_with_source: gold.iter().filter(|g| !g.source.is_empty()).count(),
        gold_direct: gold.iter().filter(|g| g.direct).count(),
        pred: pred.len(),
        pred_with_speaker: pred.iter().filter(|p| p.speaker.is_some()).count(),
        ..QuoteTally::default()
    };
    for (gi, pi) in greedy_match(candidates) {
        let (g, p) = (&gold[gi], &pred[pi]);
        t.matched += 1;
        t.matched_direct += usize::from(g.direct);
        let inter = overlap_len(p.content, &g.content);
        let gold_len: usize = g.content.iter().map(|s| s.len()).sum();
        t.jaccard_sum += ratio(inter, p.content.len() + gold_len - inter);
        t.matched_with_gold_source += usize::from(!g.source.is_empty());
        if let Some(sp) = p.speaker {
            t.matched_with_pred_speaker += 1;
            if overlap_len(sp, &g.source) > 0 {
                t.speaker_correct += 1;
            }
        }
    }
    t
}

/// Scores of one PolNeAR split.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolnearResult {
    pub split: String,
    pub documents: usize,
    /// Documents annalist failed to annotate (scored as predicting nothing).
    pub failures: usize,
    pub seconds: f64,
    pub gold_attributions: usize,
    pub gold_with_source: usize,
    pub predicted_quotes: usize,
    pub predicted_with_speaker: usize,
    /// Quotes matched to gold attributions by content overlap.
    pub content: Prf,
    /// Mean overlap/union of the matched content spans (how well the boundaries agree).
    pub content_jaccard: f64,
    /// Gold attributions whose content holds a quotation mark, and the share of them matched.
    pub gold_direct: usize,
    pub direct_recall: f64,
    /// Speakers among matched pairs: precision over pairs with a predicted speaker, recall over pairs
    /// with a gold source.
    pub speaker: Prf,
    /// Content and speaker both right, against every prediction and every gold attribution.
    pub attribution: Prf,
    /// Gold attributions without content (left out), and text-bound offsets outside their text.
    pub skipped_without_content: usize,
    pub bad_offsets: usize,
}

/// Turns summed counts into a result.
pub fn summarize(t: &QuoteTally, split: &str, documents: usize) -> PolnearResult {
    PolnearResult {
        split: split.to_string(),
        documents,
        failures: 0,
        seconds: 0.0,
        gold_attributions: t.gold,
        gold_with_source: t.gold_with_source,
        predicted_quotes: t.pred,
        predicted_with_speaker: t.pred_with_speaker,
        content: Counts {
            tp: t.matched,
            fp: t.pred - t.matched,
            fn_: t.gold - t.matched,
        }
        .prf(),
        content_jaccard: if t.matched == 0 {
            0.0
        } else {
            t.jaccard_sum / t.matched as f64
        },
        gold_direct: t.gold_direct,
        direct_recall: ratio(t.matched_direct, t.gold_direct),
        speaker: Counts {
            tp: t.speaker_correct,
            fp: t.matched_with_pred_speaker - t.speaker_correct,
            fn_: t.matched_with_gold_source - t.speaker_correct,
        }
        .prf(),
        attribution: Counts {
            tp: t.speaker_correct,
            fp: t.pred - t.speaker_correct,
            fn_: t.gold - t.speaker_correct,
        }
        .prf(),
        skipped_without_content: 0,
        bad_offsets: 0,
    }
}

/// One gold article.
#[derive(Debug, Clone)]
pub struct PolnearDoc {
    /// The article's file name without `.txt`.
    pub name: String,
    /// The annotator id whose file is used.
    pub annotator: String,
    pub date: Option<String>,
    pub text: String,
    pub gold: GoldAnn,
}

/// Reads a split (`dev`, `train`) of the PolNeAR folder `root` (the one holding `data/`).
pub fn read_split(root: &Path, split: &str) -> Result<Vec<PolnearDoc>, EvalError> {
    let data = root.join("data");
    let ann_dir = data.join(split).join("attributions");
    let text_dir = data.join(split).join("text");
    let entries = std::fs::read_dir(&ann_dir).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            EvalError::Missing {
                path: ann_dir.clone(),
                what: "PolNeAR attributions folder",
            }
        } else {
            EvalError::io(&ann_dir, e)
        }
    })?;
    // The first annotation file of each article, in name order.
    let mut files: Vec<PathBuf> = Vec::new();
    for e in entries {
        let p = e.map_err(|e| EvalError::io(&ann_dir, e))?.path();
        if p.extension().is_some_and(|x| x == "ann") {
            files.push(p);
        }
    }
    files.sort();
    let mut first: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    for p in files {
        let stem = p.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let Some((article, annotator)) = stem.rsplit_once('_') else {
            return Err(EvalError::format(&p, 0, "expected <article>_<annotator>.ann"));
        };
        first
            .entry(article.to_string())
            .or_insert_with(|| (annotator.to_string(), p.clone()));
    }
    let dates = read_dates(&data.join("metadata.tsv"))?;
    let mut docs = Vec::with_capacity(first.len());
    for (name, (annotator, ann_path)) in first {
        let text_path = text_dir.join(format!("{name}.txt"));
        // The split is there: a missing article is broken data, not an absent set.
        let text = read_to_string(&text_path).map_err(|e| match e {
            EvalError::Missing { .. } => EvalError::format(&ann_path, 0, format!("no text {}", text_path.display())),
            e => e,
        })?;
        let ann = read_to_string(&ann_path)?;
        let gold = parse_ann(&ann, &text).map_err(|e| EvalError::format(&ann_path, e.line, e.message))?;
        docs.push(PolnearDoc {
            date: dates.get(&name).cloned(),
            name,
            annotator,
            text,
            gold,
        });
    }
    Ok(docs)
}

/// `filename -> publication_date` from `metadata.tsv`; empty when the file is absent.
fn read_dates(path: &Path) -> Result<HashMap<String, String>, EvalError> {
    let text = match read_to_string(path) {
        Ok(t) => t,
        Err(EvalError::Missing { .. }) => return Ok(HashMap::new()),
        Err(e) => return Err(e),
    };
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| EvalError::format(path, 1, format!("no `{name}` column")))
    };
    let (fcol, dcol) = (col("filename")?, col("publication_date")?);
    Ok(lines
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Some((cols.get(fcol)?.to_string(), cols.get(dcol)?.to_string()))
        })
        .filter(|(_, d)| d.len() == 10)
        .collect())
}

/// The document annalist codes for an article: read as plain text (title line, paragraphs).
pub fn document(doc: &PolnearDoc) -> Document {
    let mut d = read_str(&doc.text, &format!("{}.txt", doc.name), InputFormat::Text).unwrap_or_else(|_| {
        let mut d = Document::new(doc.name.clone(), doc.text.clone());
        d.regions.push(Region {
            kind: RegionKind::Body,
            span: Span::new(0, d.text.len()),
        });
        d
    });
    d.id = doc.name.clone();
    if doc.date.is_some() {
        d.date = doc.date.clone();
    }
    d
}

/// Reads split `split` under the PolNeAR folder `root`, codes its first `limit` articles and scores the
/// quotes.
pub fn evaluate(
    root: &Path,
    split: &str,
    pipeline: &Pipeline,
    limit: Option<usize>,
) -> Result<PolnearResult, EvalError> {
    let started = Instant::now();
    let mut gold = read_split(root, split)?;
    if let Some(n) = limit {
        gold.truncate(n);
    }
    let (pred, failures) = annotate_in_order(pipeline, gold.iter().map(document).collect(), predicted);
    let mut total = QuoteTally::default();
    for (g, p) in gold.iter().zip(&pred) {
        total.add(&score_doc(&g.gold.attributions, p.as_deref().unwrap_or_default()));
    }
    let mut r = summarize(&total, split, gold.len());
    r.failures = failures;
    r.skipped_without_content = gold.iter().map(|d| d.gold.without_content).sum();
    r.bad_offsets = gold.iter().map(|d| d.gold.bad_offsets).sum();
    r.seconds = started.elapsed().as_secs_f64();
    Ok(r)
}

impl Scored for PolnearResult {
    fn set(&self) -> &'static str {
        "polnear"
    }

    fn tables(&self) -> Vec<Table> {
        let mut t = Table::prf(
            format!(
                "polnear: quotes in {} ({} articles, {} gold attributions, {} predicted, {} failed, {:.1} s)",
                self.split, self.documents, self.gold_attributions, self.predicted_quotes, self.failures, self.seconds
            ),
            "measure",
        );
        t.prf_row("content (overlap)", &self.content);
        t.prf_row("speaker | matched", &self.speaker);
        t.prf_row("content + speaker", &self.attribution);
        let mut more = Table::new("polnear: content and direct quotes", &["measure", "value"]);
        more.row(vec![
            "matched content, mean overlap/union".into(),
            crate::report::score(self.content_jaccard),
        ]);
        more.row(vec!["gold with a quotation mark".into(), self.gold_direct.to_string()]);
        more.row(vec![
            "  recall on those".into(),
            crate::report::score(self.direct_recall),
        ]);
        more.row(vec!["gold with a source".into(), self.gold_with_source.to_string()]);
        more.row(vec![
            "predicted with a speaker".into(),
            self.predicted_with_speaker.to_string(),
        ]);
        vec![t, more]
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("results always serialise")
    }

    fn metrics(&self) -> Vec<Metric> {
        vec![
            Metric::new("polnear", self.content.f1),
            Metric::new("polnear.speaker", self.speaker.f1),
            Metric::new("polnear.attribution", self.attribution.f1),
            Metric::new("polnear.direct_recall", self.direct_recall),
            Metric::new("polnear.jaccard", self.content_jaccard),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A made-up article and annotation in the PolNeAR layout.
    const TEXT: &str = "Mayor Lind said the bridge “will open in May.” Critics doubt it, according to Nord.";
    // Character offsets: “ and ” are one character each but three bytes.
    const ANN: &str = "T1\tSource 0 10\tMayor Lind\n\
T2\tCue 11 15\tsaid\n\
T3\tContent 16 46\tthe bridge “will open in May.”\n\
T4\tAttribution 11 15\tsaid\n\
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n\
T5\tContent 47 63\tCritics doubt it\n\
T6\tCue 65 77\taccording to\n\
T7\tSource 78 82\tNord\n\
T8\tContent 0 5;6 10\tMayor Lind\n\
E2\tAttribution:T6 Content:T5 Cue:T6 Source:T7 Content2:T8\n\
T9\tCue 200 204\tgone\n\
E3\tAttribution-no-source:T9 Cue:T9\n\
T10\tDiscard 0 5\tMayor\n";

    fn span_text(s: Span) -> &'static str {
        &TEXT[s.range()]
    }

    #[test]
    fn parses_attributions_with_char_offsets_and_fragments() {
        let g = parse_ann(ANN, TEXT).unwrap();
        assert_eq!(g.attributions.len(), 2);
        assert_eq!(g.without_content, 1);
        assert_eq!(g.bad_offsets, 1);
        let a = &g.attributions[0];
        assert_eq!(span_text(a.content[0]), "the bridge “will open in May.”");
        assert_eq!(span_text(a.source[0]), "Mayor Lind");
        assert!(a.direct);
        let b = &g.attributions[1];
        // Content2 adds a fragment; fragments are kept in text order.
        assert_eq!(b.content.len(), 3);
        assert_eq!(span_text(b.content[0]), "Mayor");
        assert_eq!(span_text(b.content[2]), "Critics doubt it");
        assert_eq!(span_text(b.source[0]), "Nord");
        assert!(!b.direct);
    }

    #[test]
    fn undefined_reference_is_an_error() {
        let e = parse_ann("T1\tContent 0 3\tabc\nE1\tAttribution:T9 Content:T1\n", "abcdef").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn continuation_lines_are_not_annotations() {
        // An annotation text across a line break continues on the next line, which may start with T or E.
        let text = "Hi.\n\nThe end came. Every one said so.";
        let ann = "T1\tContent 0 17\tHi.\n\nThe end came\nT2\tCue 29 33\tsaid\nE1\tAttribution:T2 Content:T1 Cue:T2\n";
        let g = parse_ann(ann, text).unwrap();
        assert_eq!(g.attributions.len(), 1);
        assert!(is_annotation("T12\tContent 1 2\tx", 'T'));
        assert!(!is_annotation("The end came", 'T'));
        assert!(!is_annotation("T\tx", 'T'));
        assert!(!is_annotation("E1", 'E'));
    }

    #[test]
    fn text_bound_parsing() {
        let tb = parse_text_bound("T3\tContent 13 98\tA title; with a semicolon").unwrap();
        assert_eq!(tb.fragments, vec![(13, 98)]);
        let tb = parse_text_bound("T9\tContent 315 448;463 553\tx").unwrap();
        assert_eq!(tb.fragments, vec![(315, 448), (463, 553)]);
        assert!(parse_text_bound("E1\tAttribution:T1").is_none());
        assert!(parse_text_bound("T1\tContent x y\tz").is_none());
    }

    #[test]
    fn scores_content_and_speaker() {
        let g = parse_ann(ANN, TEXT).unwrap();
        let find = |s: &str| {
            let i = TEXT.find(s).unwrap();
            Span::new(i, i + s.len())
        };
        let pred = [
            // Matches attribution 1 (partial content), speaker right.
            PredQuote {
                content: find("“will open in May.”"),
                speaker: Some(find("Lind")),
            },
            // Overlaps attribution 1 less: left unmatched once the first took it.
            PredQuote {
                content: find("bridge"),
                speaker: None,
            },
            // Matches attribution 2, speaker wrong.
            PredQuote {
                content: find("doubt"),
                speaker: Some(find("Critics")),
            },
        ];
        let t = score_doc(&g.attributions, &pred);
        assert_eq!(t.matched, 2);
        assert_eq!(t.speaker_correct, 1);
        assert_eq!(t.matched_direct, 1);
        let r = summarize(&t, "dev", 1);
        assert_eq!((r.content.tp, r.content.fp, r.content.fn_), (2, 1, 0));
        assert_eq!((r.speaker.tp, r.speaker.fp, r.speaker.fn_), (1, 1, 1));
        assert_eq!((r.attribution.tp, r.attribution.fp, r.attribution.fn_), (1, 2, 1));
        assert_eq!(r.direct_recall, 1.0);
        assert!(r.content_jaccard > 0.0 && r.content_jaccard < 1.0);
    }

    #[test]
    fn no_predictions() {
        let g = parse_ann(ANN, TEXT).unwrap();
        let r = summarize(&score_doc(&g.attributions, &[]), "dev", 1);
        assert_eq!(r.content.recall, 0.0);
        assert_eq!(r.content.fn_, 2);
        assert_eq!(r.speaker.fn_, 0);
    }

    #[test]
    fn evaluate_reads_the_layout() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/polnear");
        let docs = read_split(&root, "dev").unwrap();
        // Two annotators for the same article: the first file in name order is used.
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].annotator, "aaaa");
        assert_eq!(docs[0].date.as_deref(), Some("2016-10-02"));
        assert_eq!(docs[0].gold.attributions.len(), 2);
        let r = evaluate(&root, "dev", &Pipeline::new(), None).unwrap();
        assert_eq!((r.documents, r.gold_attributions, r.failures), (1, 2, 0));
        assert!(matches!(
            evaluate(&root, "test", &Pipeline::new(), None),
            Err(EvalError::Missing { .. })
        ));
    }
}
