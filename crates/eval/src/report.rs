//! What the scorers return and how it is shown: precision/recall counts ([`Prf`]), named scores that
//! thresholds are checked against ([`Metric`]), a plain aligned [`Table`], the errors of the gold readers
//! ([`EvalError`]) and the one place where documents go through the pipeline ([`annotate_in_order`]).
//!
//! Design decision: every set's result is a plain serde struct holding counts as well as ratios, so the
//! JSON written by `annalist eval --json` can be summed or recomputed later, and every result offers the
//! same three views through [`Scored`]: tables to print, metrics to threshold, JSON to store.
//!
//! ```
//! use annalist_eval::report::{Counts, Table};
//! let prf = Counts { tp: 3, fp: 1, fn_: 2 }.prf();
//! assert!((prf.precision - 0.75).abs() < 1e-9);
//! let mut t = Table::new("demo", &["type", "P", "R", "F1", "tp", "fp", "fn"]);
//! t.prf_row("PER", &prf);
//! assert!(t.to_string().contains("PER"));
//! ```

use std::fmt;
use std::path::PathBuf;

use annalist_core::{Annotated, Document, Span};
use annalist_pipeline::Pipeline;
use serde::Serialize;

/// Why a gold set could not be read. Documents that annalist fails to annotate are not errors: they are
/// scored with no predictions and counted in the result's `failures`.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The gold data is not where it was looked for (the binary skips such a set under `--set all`).
    #[error("{}: not found ({what})", path.display())]
    Missing { path: PathBuf, what: &'static str },
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A gold file that does not parse; `line` is 1-based (0 when the whole file is at fault).
    #[error("{}:{line}: {message}", path.display())]
    Format {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

impl EvalError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> EvalError {
        EvalError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn format(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> EvalError {
        EvalError::Format {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

/// Reads a whole file as UTF-8.
pub(crate) fn read_to_string(path: &std::path::Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            EvalError::Missing {
                path: path.to_path_buf(),
                what: "file",
            }
        } else {
            EvalError::io(path, e)
        }
    })
}

/// True positives, false positives and false negatives of one comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    /// The counts with their precision, recall and F1.
    pub fn prf(self) -> Prf {
        let precision = ratio(self.tp, self.tp + self.fp);
        let recall = ratio(self.tp, self.tp + self.fn_);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            tp: self.tp,
            fp: self.fp,
            fn_: self.fn_,
            precision,
            recall,
            f1,
        }
    }
}

/// Precision, recall and F1 with the counts behind them. A ratio with a zero denominator is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// `num / den`, or 0 when `den` is 0.
pub fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// A named score a threshold can be checked against: `conll` (the set's headline score), `conll.PER`,
/// `geo.acc161`, … Keys are stable; the binary lists them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    pub key: String,
    pub value: f64,
}

impl Metric {
    pub fn new(key: impl Into<String>, value: f64) -> Metric {
        Metric { key: key.into(), value }
    }
}

/// The views every set's result offers.
pub trait Scored {
    /// The set's name (`conll`, `polnear`, `geo`, `events`, `html`), the prefix of its metric keys.
    fn set(&self) -> &'static str;
    /// Tables to print, most important first.
    fn tables(&self) -> Vec<Table>;
    /// Scores thresholds can be checked against; the first is the set's headline score.
    fn metrics(&self) -> Vec<Metric>;
    /// The whole result as JSON.
    fn to_json(&self) -> serde_json::Value;
}

/// The outcome of one `--min-f1 KEY=VALUE` check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdCheck {
    pub key: String,
    pub min: f64,
    /// The measured score; `None` when no set that was run reports `key`.
    pub value: Option<f64>,
    pub passed: bool,
}

/// Checks each `(key, min)` against `metrics`. A key that nothing measured fails.
pub fn check_thresholds(metrics: &[Metric], mins: &[(String, f64)]) -> Vec<ThresholdCheck> {
    mins.iter()
        .map(|(key, min)| {
            let value = metrics.iter().find(|m| &m.key == key).map(|m| m.value);
            ThresholdCheck {
                key: key.clone(),
                min: *min,
                value,
                // A small tolerance so that `0.8` passes a score printed as 0.800.
                passed: value.is_some_and(|v| v + 1e-9 >= *min),
            }
        })
        .collect()
}

/// A plain table: a title line, a header and rows of cells. The first column is left-aligned, the others
/// right-aligned; columns are separated by two spaces.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Header of a table made of [`Table::prf_row`]s.
pub const PRF_HEADER: [&str; 7] = ["", "P", "R", "F1", "tp", "fp", "fn"];

impl Table {
    pub fn new(title: impl Into<String>, header: &[&str]) -> Table {
        Table {
            title: title.into(),
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// A table of [`Table::prf_row`]s whose first column is headed `label`.
    pub fn prf(title: impl Into<String>, label: &str) -> Table {
        let mut header = PRF_HEADER;
        header[0] = label;
        Table::new(title, &header)
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// A row `label P R F1 tp fp fn`.
    pub fn prf_row(&mut self, label: &str, prf: &Prf) {
        self.rows.push(vec![
            label.to_string(),
            score(prf.precision),
            score(prf.recall),
            score(prf.f1),
            prf.tp.to_string(),
            prf.fp.to_string(),
            prf.fn_.to_string(),
        ]);
    }
}

/// A score as printed in tables: three decimals.
pub fn score(x: f64) -> String {
    format!("{x:.3}")
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ncol = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.header.len()])
            .max()
            .unwrap_or(0);
        let mut width = vec![0usize; ncol];
        for row in std::iter::once(&self.header).chain(&self.rows) {
            for (i, cell) in row.iter().enumerate() {
                width[i] = width[i].max(cell.chars().count());
            }
        }
        if !self.title.is_empty() {
            writeln!(f, "{}", self.title)?;
        }
        for row in std::iter::once(&self.header).chain(&self.rows) {
            let mut line = String::new();
            for (i, w) in width.iter().enumerate() {
                let cell = row.get(i).map(String::as_str).unwrap_or("");
                let pad = w - cell.chars().count();
                if i > 0 {
                    line.push_str("  ");
                }
                if i == 0 {
                    line.push_str(cell);
                    line.extend(std::iter::repeat_n(' ', pad));
                } else {
                    line.extend(std::iter::repeat_n(' ', pad));
                    line.push_str(cell);
                }
            }
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

/// One-to-one matching of gold and predicted items from candidate pairs `(weight, gold, predicted)`:
/// the heaviest pair first (ties: lower gold index, then lower predicted index), skipping items already
/// matched. Returns `(gold, predicted)` pairs in the order they were taken.
pub fn greedy_match(mut candidates: Vec<(usize, usize, usize)>) -> Vec<(usize, usize)> {
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut gold_used = std::collections::HashSet::new();
    let mut pred_used = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (_, g, p) in candidates {
        if !gold_used.contains(&g) && !pred_used.contains(&p) {
            gold_used.insert(g);
            pred_used.insert(p);
            out.push((g, p));
        }
    }
    out
}

/// Bytes shared by `span` and a set of (non-overlapping) fragments.
pub fn overlap_len(span: Span, fragments: &[Span]) -> usize {
    fragments
        .iter()
        .map(|f| (span.end.min(f.end) as usize).saturating_sub(span.start.max(f.start) as usize))
        .sum()
}

/// Annotates `docs` with `pipeline` (in parallel, in input order) and keeps `keep(&annotated)` for each.
/// A document annalist fails on gives `None` (scored as "predicted nothing"); the second value counts them.
pub(crate) fn annotate_in_order<T>(
    pipeline: &Pipeline,
    docs: Vec<Document>,
    keep: impl Fn(&Annotated) -> T,
) -> (Vec<Option<T>>, usize) {
    let mut out = Vec::with_capacity(docs.len());
    let mut failures = 0;
    let run: Result<(), std::convert::Infallible> = pipeline.run(docs.into_iter().map(Ok), 64, |r| {
        match r {
            Ok(a) => out.push(Some(keep(&a))),
            Err(_) => {
                failures += 1;
                out.push(None);
            }
        }
        Ok(())
    });
    match run {
        Ok(()) => {}
        Err(never) => match never {},
    }
    (out, failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prf_of_counts() {
        let p = Counts { tp: 2, fp: 2, fn_: 6 }.prf();
        assert_eq!(p.precision, 0.5);
        assert_eq!(p.recall, 0.25);
        assert!((p.f1 - 1.0 / 3.0).abs() < 1e-12);
        // Nothing predicted, nothing gold: zeros, not NaN.
        let z = Counts::default().prf();
        assert_eq!((z.precision, z.recall, z.f1), (0.0, 0.0, 0.0));
    }

    #[test]
    fn prf_serialises_fn_as_fn() {
        let j = serde_json::to_value(Counts { tp: 1, fp: 0, fn_: 1 }.prf()).unwrap();
        assert_eq!(j["fn"], 1);
        assert_eq!(j["recall"], 0.5);
    }

    #[test]
    fn table_aligns_columns() {
        let mut t = Table::prf("title", "type");
        t.prf_row("PER", &Counts { tp: 10, fp: 0, fn_: 0 }.prf());
        t.prf_row("overall", &Counts { tp: 1, fp: 1, fn_: 100 }.prf());
        let s = t.to_string();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "title");
        assert_eq!(lines[1], "type         P      R     F1  tp  fp   fn");
        assert_eq!(lines[2], "PER      1.000  1.000  1.000  10   0    0");
        assert_eq!(lines[3], "overall  0.500  0.010  0.019   1   1  100");
    }

    #[test]
    fn greedy_takes_heaviest_pairs_first() {
        // Gold 0 overlaps both predictions; prediction 1 overlaps it more, so gold 1 gets prediction 0.
        let m = greedy_match(vec![(5, 0, 0), (9, 0, 1), (3, 1, 0), (2, 1, 1)]);
        assert_eq!(m, vec![(0, 1), (1, 0)]);
    }

    #[test]
    fn overlap_of_fragments() {
        let frags = [Span::new(0, 10), Span::new(20, 30)];
        assert_eq!(overlap_len(Span::new(5, 25), &frags), 10);
        assert_eq!(overlap_len(Span::new(10, 20), &frags), 0);
    }

    #[test]
    fn thresholds_pass_fail_and_unmeasured() {
        let m = vec![Metric::new("conll", 0.8), Metric::new("conll.PER", 0.5)];
        let mins = vec![
            ("conll".to_string(), 0.8),
            ("conll.PER".to_string(), 0.6),
            ("geo".to_string(), 0.1),
        ];
        let c = check_thresholds(&m, &mins);
        assert!(c[0].passed);
        assert!(!c[1].passed);
        assert_eq!(c[2].value, None);
        assert!(!c[2].passed);
    }
}
