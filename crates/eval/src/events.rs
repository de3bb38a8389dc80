//! Coded events scored against a table of sentences with the events they should give.
//!
//! Format: JSON Lines, one object a line:
//! `{"text": "...", "date": "YYYY-MM-DD", "expected": [{"source": "RUS", "target": "CHN", "code": "057"}]}`
//! (`target` may be `null` or left out for events without a target; `id` is optional and other fields
//! are ignored). Each line is coded as one document on its `date`.
//!
//! Scoring compares (source actor, target actor, CAMEO code) triples per line as multisets: a triple
//! predicted twice and expected once counts one right and one wrong. The same comparison is made at three
//! more levels: root code (its first two digits), country-only actors (the first three letters of each
//! actor code, `RUSGOV` → `RUS`), and both. An actor annalist found but could not resolve is `?`, which
//! matches nothing.
//!
//! ```
//! use annalist_eval::events::{score_line, Triple};
//! let gold = [Triple::new("RUSGOV", Some("CHN"), "0571")];
//! let pred = [Triple::new("RUSMIL", Some("CHN"), "057")];
//! let t = score_line(&gold, &pred);
//! assert_eq!((t.code.tp, t.root.tp, t.country.tp, t.country_root.tp), (0, 0, 0, 1));
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use annalist_core::{Annotated, Document, Region, RegionKind, Span};
use annalist_pipeline::Pipeline;
use serde::{Deserialize, Serialize};

use crate::report::{annotate_in_order, read_to_string, Counts, EvalError, Metric, Prf, Scored, Table};

/// The actor of a slot annalist filled but could not resolve to a code.
pub const UNRESOLVED: &str = "?";

/// One event as (source, target, code); an absent target is the empty string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Triple {
    pub source: String,
    pub target: String,
    pub code: String,
}

impl Triple {
    pub fn new(source: &str, target: Option<&str>, code: &str) -> Triple {
        Triple {
            source: source.trim().to_string(),
            // No target: absent, null, empty or "-" (the convention of pattern examples).
            target: target.map(str::trim).filter(|t| *t != "-").unwrap_or("").to_string(),
            code: code.trim().to_string(),
        }
    }

    /// The triple with the code cut to its root (first two characters).
    pub fn root(&self) -> Triple {
        Triple {
            code: prefix(&self.code, 2).to_string(),
            ..self.clone()
        }
    }

    /// The triple with each actor cut to its country (first three characters).
    pub fn country(&self) -> Triple {
        Triple {
            source: prefix(&self.source, 3).to_string(),
            target: prefix(&self.target, 3).to_string(),
            code: self.code.clone(),
        }
    }
}

fn prefix(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// An expected event as written in the file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Expected {
    pub source: String,
    #[serde(default)]
    pub target: Option<String>,
    pub code: String,
}

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Line {
    #[serde(default)]
    pub id: Option<String>,
    pub text: String,
    #[serde(default)]
    pub date: Option<String>,
    pub expected: Vec<Expected>,
}

impl Line {
    pub fn triples(&self) -> Vec<Triple> {
        self.expected
            .iter()
            .map(|e| Triple::new(&e.source, e.target.as_deref(), &e.code))
            .collect()
    }
}

/// A gold line with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldLine {
    /// `file:line`, or the line's `id`.
    pub id: String,
    pub line: Line,
}

/// Reads one JSONL file (blank lines skipped).
pub fn parse(input: &str, name: &str) -> Result<Vec<GoldLine>, (usize, String)> {
    let mut out = Vec::new();
    for (i, l) in input.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(l).map_err(|e| (i + 1, e.to_string()))?;
        let id = line.id.clone().unwrap_or_else(|| format!("{name}:{}", i + 1));
        out.push(GoldLine { id, line });
    }
    Ok(out)
}

/// Reads JSONL files and folders of them (`.jsonl`, `.ndjson`, in name order).
pub fn read(paths: &[PathBuf]) -> Result<Vec<GoldLine>, EvalError> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| EvalError::io(p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "jsonl" || x == "ndjson"))
                .collect();
            inner.sort();
            if inner.is_empty() {
                return Err(EvalError::Missing {
                    path: p.clone(),
                    what: "no .jsonl files in the events folder",
                });
            }
            files.extend(inner);
        } else {
            files.push(p.clone());
        }
    }
    if files.is_empty() {
        return Err(EvalError::Missing {
            path: PathBuf::from("events"),
            what: "no events files given",
        });
    }
    let mut out = Vec::new();
    for f in files {
        let text = read_to_string(&f)?;
        let name = f
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        out.extend(parse(&text, &name).map_err(|(line, m)| EvalError::format(&f, line, m))?);
    }
    Ok(out)
}

/// annalist's events as triples.
pub fn predicted(a: &Annotated) -> Vec<Triple> {
    let actor = |r: &annalist_core::ActorRef| r.actor.clone().unwrap_or_else(|| UNRESOLVED.to_string());
    let mut out = Vec::new();
    for e in &a.events {
        // A compound event counts once per dyad ("Russia and China signed" -> RUS and CHN).
        let targets: Vec<String> = if e.target.is_none() {
            vec![String::new()]
        } else {
            e.target.iter().chain(&e.more_targets).map(actor).collect()
        };
        for s in std::iter::once(&e.source).chain(&e.more_sources) {
            for t in &targets {
                out.push(Triple {
                    source: actor(s),
                    target: t.clone(),
                    code: e.code.clone(),
                });
            }
        }
    }
    out
}

/// Counts of one line (or, summed, of a set) at the four levels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventTally {
    pub code: Counts,
    pub root: Counts,
    pub country: Counts,
    pub country_root: Counts,
}

impl EventTally {
    pub fn add(&mut self, o: &EventTally) {
        self.code.add(o.code);
        self.root.add(o.root);
        self.country.add(o.country);
        self.country_root.add(o.country_root);
    }
}

/// Multiset comparison of gold and predicted triples.
pub fn compare(gold: impl IntoIterator<Item = Triple>, pred: impl IntoIterator<Item = Triple>) -> Counts {
    let mut want: HashMap<Triple, usize> = HashMap::new();
    let mut n_gold = 0;
    for g in gold {
        *want.entry(g).or_default() += 1;
        n_gold += 1;
    }
    let (mut tp, mut n_pred) = (0, 0);
    for p in pred {
        n_pred += 1;
        if let Some(n) = want.get_mut(&p).filter(|n| **n > 0) {
            *n -= 1;
            tp += 1;
        }
    }
    Counts {
        tp,
        fp: n_pred - tp,
        fn_: n_gold - tp,
    }
}

/// Scores one line at every level.
pub fn score_line(gold: &[Triple], pred: &[Triple]) -> EventTally {
    EventTally {
        code: compare(gold.iter().cloned(), pred.iter().cloned()),
        root: compare(gold.iter().map(Triple::root), pred.iter().map(Triple::root)),
        country: compare(gold.iter().map(Triple::country), pred.iter().map(Triple::country)),
        country_root: compare(
            gold.iter().map(|t| t.country().root()),
            pred.iter().map(|t| t.country().root()),
        ),
    }
}

/// Scores of an events table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventsResult {
    /// The files read.
    pub files: Vec<String>,
    /// Lines (documents) scored.
    pub documents: usize,
    /// Lines annalist failed to annotate (scored as predicting nothing).
    pub failures: usize,
    pub seconds: f64,
    pub expected_events: usize,
    pub predicted_events: usize,
    /// Full (source, target, code).
    pub code: Prf,
    /// Root code.
    pub root: Prf,
    /// Country-only actors, full code.
    pub country: Prf,
    /// Country-only actors, root code.
    pub country_root: Prf,
}

/// Turns summed counts into a result.
pub fn summarize(t: &EventTally, documents: usize) -> EventsResult {
    EventsResult {
        files: Vec::new(),
        documents,
        failures: 0,
        seconds: 0.0,
        expected_events: t.code.tp + t.code.fn_,
        predicted_events: t.code.tp + t.code.fp,
        code: t.code.prf(),
        root: t.root.prf(),
        country: t.country.prf(),
        country_root: t.country_root.prf(),
    }
}

/// The document annalist codes for a line: its text as one body region, on its date.
pub fn document(g: &GoldLine) -> Document {
    let mut d = Document::new(g.id.clone(), g.line.text.clone());
    d.regions.push(Region {
        kind: RegionKind::Body,
        span: Span::new(0, d.text.len()),
    });
    d.date = g.line.date.clone();
    d.format = "events".to_string();
    d
}

/// Reads the events files (or folders) `paths`, codes the first `limit` lines and scores the events.
pub fn evaluate(paths: &[PathBuf], pipeline: &Pipeline, limit: Option<usize>) -> Result<EventsResult, EvalError> {
    let started = Instant::now();
    let mut gold = read(paths)?;
    if let Some(n) = limit {
        gold.truncate(n);
    }
    let (pred, failures) = annotate_in_order(pipeline, gold.iter().map(document).collect(), predicted);
    let mut total = EventTally::default();
    for (g, p) in gold.iter().zip(&pred) {
        total.add(&score_line(&g.line.triples(), p.as_deref().unwrap_or_default()));
    }
    let mut r = summarize(&total, gold.len());
    r.files = paths.iter().map(|p| p.display().to_string()).collect();
    r.failures = failures;
    r.seconds = started.elapsed().as_secs_f64();
    Ok(r)
}

/// The default place of events tables under a data folder.
pub fn default_path(data: &Path) -> PathBuf {
    data.join("events")
}

impl Scored for EventsResult {
    fn set(&self) -> &'static str {
        "events"
    }

    fn tables(&self) -> Vec<Table> {
        let mut t = Table::prf(
            format!(
                "events: (source, target, code) in {} ({} sentences, {} expected, {} predicted, {} failed, {:.1} s)",
                self.files.join(", "),
                self.documents,
                self.expected_events,
                self.predicted_events,
                self.failures,
                self.seconds
            ),
            "level",
        );
        t.prf_row("code", &self.code);
        t.prf_row("root code", &self.root);
        t.prf_row("country actors", &self.country);
        t.prf_row("country, root", &self.country_root);
        vec![t]
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("results always serialise")
    }

    fn metrics(&self) -> Vec<Metric> {
        vec![
            Metric::new("events", self.code.f1),
            Metric::new("events.root", self.root.f1),
            Metric::new("events.country", self.country.f1),
            Metric::new("events.country_root", self.country_root.f1),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn testdata() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/events.jsonl")
    }

    #[test]
    fn levels() {
        let t = Triple::new("RUSGOV", Some("UKRMIL"), "1823");
        assert_eq!(t.root().code, "18");
        assert_eq!(t.country().source, "RUS");
        assert_eq!(t.country().target, "UKR");
        // No target stays no target; short codes stay as they are.
        let u = Triple::new("US", None, "0");
        assert_eq!((u.country().source.as_str(), u.country().target.as_str()), ("US", ""));
        assert_eq!(u.root().code, "0");
    }

    #[test]
    fn multiset_counts() {
        let a = Triple::new("USA", Some("CHN"), "036");
        let b = Triple::new("CHN", Some("USA"), "036");
        let c = compare([a.clone(), b.clone()], [a.clone(), a.clone()]);
        assert_eq!((c.tp, c.fp, c.fn_), (1, 1, 1));
        // Source and target are not interchangeable.
        let c = compare([a], [b]);
        assert_eq!(c.tp, 0);
    }

    #[test]
    fn scores_each_level() {
        let gold = [
            Triple::new("RUSGOV", Some("CHNGOV"), "0571"),
            Triple::new("FRA", None, "010"),
        ];
        let pred = [
            Triple::new("RUSGOV", Some("CHNGOV"), "0571"),
            Triple::new("FRAGOV", None, "012"),
            Triple::new(UNRESOLVED, Some("FRA"), "010"),
        ];
        let t = score_line(&gold, &pred);
        assert_eq!((t.code.tp, t.code.fp, t.code.fn_), (1, 2, 1));
        assert_eq!(t.root.tp, 1); // "01" for FRAGOV still differs in source
        assert_eq!(t.country.tp, 1); // FRA/010 vs FRA/012: code differs
        assert_eq!(t.country_root.tp, 2);
        let r = summarize(&t, 1);
        assert_eq!((r.expected_events, r.predicted_events), (2, 3));
        assert_eq!(r.country_root.recall, 1.0);
    }

    #[test]
    fn parses_the_example_file() {
        let lines = read(&[testdata()]).unwrap();
        assert!(lines.len() >= 3);
        assert!(lines.iter().all(|l| l.line.date.is_some()));
        assert!(lines.iter().any(|l| l.line.expected.iter().any(|e| e.target.is_none())));
        assert!(lines[0].id.starts_with("events.jsonl:"));
    }

    #[test]
    fn malformed_line_is_named() {
        let e = parse("{\"text\":\"a\",\"expected\":[]}\n\n{\"text\": 3}\n", "x.jsonl").unwrap_err();
        assert_eq!(e.0, 3);
    }

    #[test]
    fn evaluate_runs_the_pipeline() {
        let r = evaluate(&[testdata()], &Pipeline::new(), None).unwrap();
        assert_eq!(r.failures, 0);
        assert!(r.expected_events >= 3);
        assert_eq!(r.code.tp + r.code.fn_, r.expected_events);
        let r = evaluate(&[testdata()], &Pipeline::new(), Some(1)).unwrap();
        assert_eq!(r.documents, 1);
        assert!(matches!(
            evaluate(&[PathBuf::from("/nonexistent/e.jsonl")], &Pipeline::new(), None),
            Err(EvalError::Missing { .. })
        ));
    }
}
