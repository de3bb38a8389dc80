//! Article-body extraction scored against the
//! [article-extraction-benchmark](https://github.com/scrapinghub/article-extraction-benchmark) layout.
//!
//! The benchmark directory holds `ground-truth.json` (`{id: {url, articleBody}}`) and one gzip-compressed
//! page per id in `html/<id>.html.gz`. Each page goes through [`annalist_ingest::html::extract`]; the
//! extracted body is compared with the gold `articleBody` as two bags of tokens (maximal runs of
//! word characters, i.e. Python's `\w+`, so whitespace and punctuation only separate tokens), counting
//! repeats. Per document, true positives are the multiset intersection; precision, recall and F1 follow,
//! and the reported numbers are their plain means over documents. A page that fails to extract counts as
//! precision = recall = F1 = 0.
//!
//! The benchmark's own `evaluate.py` compares 4-token shingles rather than single tokens and takes F1 as
//! the harmonic mean of the mean precision and mean recall; [`score_text_shingles`] gives the shingle
//! comparison for one document so that numbers can be put beside the published tables.
//!
//! ```no_run
//! let score = annalist_eval::html::score_dir("data/article-extraction-benchmark".as_ref())?;
//! println!("P={:.3} R={:.3} F1={:.3}", score.precision, score.recall, score.f1);
//! # Ok::<(), annalist_eval::html::EvalHtmlError>(())
//! ```

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;
use serde::Deserialize;

/// Mean scores over a benchmark directory.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlScore {
    /// Documents scored (every id in `ground-truth.json`).
    pub documents: usize,
    /// Mean per-document token precision.
    pub precision: f64,
    /// Mean per-document token recall.
    pub recall: f64,
    /// Mean per-document token F1.
    pub f1: f64,
    /// Pages for which extraction returned an error (scored as zeros).
    pub failures: usize,
}

/// Precision, recall and F1 of one extracted text against its gold text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextScore {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl TextScore {
    /// The score of a failed extraction.
    pub const ZERO: TextScore = TextScore {
        precision: 0.0,
        recall: 0.0,
        f1: 0.0,
    };
}

/// The score of one benchmark page.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentScore {
    /// The page id (the key in `ground-truth.json`).
    pub id: String,
    /// The token scores ([`TextScore::ZERO`] when extraction failed).
    pub score: TextScore,
    /// Whether extraction returned an error.
    pub failed: bool,
}

/// Errors reading a benchmark directory. Extraction failures are not errors: they are scored as zeros.
#[derive(Debug, thiserror::Error)]
pub enum EvalHtmlError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot parse {path}: {source}")]
    GroundTruth {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
}

#[derive(Debug, Deserialize)]
struct GoldEntry {
    #[serde(rename = "articleBody", default)]
    article_body: String,
}

/// Scores every page of the benchmark at `dir` and returns the means.
pub fn score_dir(dir: &Path) -> Result<HtmlScore, EvalHtmlError> {
    Ok(summarize(&score_documents(dir)?))
}

/// Scores every page of the benchmark at `dir`, one entry per id, in id order.
pub fn score_documents(dir: &Path) -> Result<Vec<DocumentScore>, EvalHtmlError> {
    let gold_path = dir.join("ground-truth.json");
    let raw = std::fs::read(&gold_path).map_err(|source| EvalHtmlError::Io {
        path: gold_path.clone(),
        source,
    })?;
    // serde_json's default map is ordered by key, so the output order is stable.
    let gold: std::collections::BTreeMap<String, GoldEntry> =
        serde_json::from_slice(&raw).map_err(|source| EvalHtmlError::GroundTruth {
            path: gold_path.clone(),
            source,
        })?;
    let mut out = Vec::with_capacity(gold.len());
    for (id, entry) in gold {
        let page_path = dir.join("html").join(format!("{id}.html.gz"));
        let page = read_gz(&page_path)?;
        let (score, failed) = match annalist_ingest::html::extract(&page) {
            Ok(article) => (score_text(&entry.article_body, &article.body), false),
            Err(_) => (TextScore::ZERO, true),
        };
        out.push(DocumentScore { id, score, failed });
    }
    Ok(out)
}

/// Means over per-document scores (all zeros for an empty list).
pub fn summarize(docs: &[DocumentScore]) -> HtmlScore {
    let n = docs.len();
    let mean = |f: fn(&TextScore) -> f64| {
        if n == 0 {
            0.0
        } else {
            docs.iter().map(|d| f(&d.score)).sum::<f64>() / n as f64
        }
    };
    HtmlScore {
        documents: n,
        precision: mean(|s| s.precision),
        recall: mean(|s| s.recall),
        f1: mean(|s| s.f1),
        failures: docs.iter().filter(|d| d.failed).count(),
    }
}

fn read_gz(path: &Path) -> Result<String, EvalHtmlError> {
    let io = |source| EvalHtmlError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    GzDecoder::new(file).read_to_end(&mut bytes).map_err(io)?;
    // The benchmark's pages are UTF-8; a stray bad byte should not sink the whole run.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Token-level precision/recall/F1 of `predicted` against `truth` (bags of `\w+` tokens with counts).
pub fn score_text(truth: &str, predicted: &str) -> TextScore {
    score_text_shingles(truth, predicted, 1)
}

/// Precision/recall/F1 over bags of `n`-token shingles, as the benchmark's `evaluate.py` does with
/// `n = 4` (a text shorter than `n` tokens is one shorter shingle). `n = 0` is treated as 1.
pub fn score_text_shingles(truth: &str, predicted: &str, n: usize) -> TextScore {
    let t = shingles(truth, n.max(1));
    let p = shingles(predicted, n.max(1));
    let mut tp = 0usize;
    let mut fp = 0usize;
    let mut fn_ = 0usize;
    for (key, &pc) in &p {
        let tc = t.get(key).copied().unwrap_or(0);
        tp += tc.min(pc);
        fp += pc.saturating_sub(tc);
    }
    for (key, &tc) in &t {
        let pc = p.get(key).copied().unwrap_or(0);
        fn_ += tc.saturating_sub(pc);
    }
    prf(tp, fp, fn_)
}

/// The benchmark's conventions: nothing wrong on either side is perfect (this covers two empty texts),
/// nothing predicted is precision 0, nothing found is recall 0.
fn prf(tp: usize, fp: usize, fn_: usize) -> TextScore {
    if fp == 0 && fn_ == 0 {
        return TextScore {
            precision: 1.0,
            recall: 1.0,
            f1: 1.0,
        };
    }
    let precision = if tp + fp == 0 {
        0.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = if tp + fn_ == 0 {
        0.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    TextScore { precision, recall, f1 }
}

/// Maximal runs of word characters (letters, digits, marks and `_`), like Python's Unicode `\w+`.
fn tokens(text: &str) -> Vec<&str> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || is_mark(c);
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// Combining marks used inside words in Indic and other scripts (which `\w` keeps inside a token).
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963
        | 0x0981..=0x0983 | 0x09BC..=0x09D7 | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E
        | 0x200C..=0x200D)
}

fn shingles(text: &str, n: usize) -> HashMap<Vec<&str>, usize> {
    let toks = tokens(text);
    let mut out = HashMap::new();
    if toks.is_empty() {
        return out;
    }
    if toks.len() <= n {
        out.insert(toks, 1);
        return out;
    }
    for w in toks.windows(n) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn tokens_split_on_whitespace_and_punctuation() {
        assert_eq!(
            tokens("Hello, world! It's 2019-11-20_x."),
            vec!["Hello", "world", "It", "s", "2019", "11", "20_x"]
        );
        assert_eq!(tokens("  "), Vec::<&str>::new());
        assert_eq!(tokens("Müller’s café"), vec!["Müller", "s", "café"]);
    }

    #[test]
    fn identical_texts_score_one() {
        let s = score_text("The cat sat.", "the cat sat");
        // Case matters, as in the benchmark: "The" != "the".
        assert!(close(s.precision, 2.0 / 3.0));
        let s = score_text("The cat sat.", "The  cat\n\nsat");
        assert_eq!(
            s,
            TextScore {
                precision: 1.0,
                recall: 1.0,
                f1: 1.0
            }
        );
    }

    #[test]
    fn counts_are_compared_as_multisets() {
        // truth: a a b ; predicted: a b b c -> tp = 1 (a) + 1 (b) = 2, fp = 2 (b, c), fn = 1 (a).
        let s = score_text("a a b", "a b b c");
        assert!(close(s.precision, 0.5));
        assert!(close(s.recall, 2.0 / 3.0));
        assert!(close(s.f1, 2.0 * 0.5 * (2.0 / 3.0) / (0.5 + 2.0 / 3.0)));
    }

    #[test]
    fn empty_sides_follow_the_benchmark() {
        assert_eq!(score_text("", "").f1, 1.0);
        assert_eq!(score_text("some text", ""), TextScore::ZERO);
        let s = score_text("", "extra");
        assert_eq!((s.precision, s.recall, s.f1), (0.0, 0.0, 0.0));
    }

    #[test]
    fn shingles_of_four_punish_reordering() {
        let truth = "one two three four five six";
        assert_eq!(score_text("one two three four five six", truth).f1, 1.0);
        let shuffled = "four five six one two three";
        assert_eq!(score_text(truth, shuffled).f1, 1.0);
        assert!(score_text_shingles(truth, shuffled, 4).f1 < 0.01);
        // Shorter than n: one shingle of everything.
        assert_eq!(score_text_shingles("a b", "a b", 4).f1, 1.0);
    }

    fn write_gz(path: &Path, text: &str) {
        let file = std::fs::File::create(path).unwrap();
        let mut enc = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        enc.write_all(text.as_bytes()).unwrap();
        enc.finish().unwrap();
    }

    fn temp_bench(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("annalist-eval-html-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("html")).unwrap();
        dir
    }

    #[test]
    fn score_dir_on_a_tiny_benchmark() {
        let dir = temp_bench("tiny");
        std::fs::write(
            dir.join("ground-truth.json"),
            r#"{
              "a": {"url": "https://example.com/a", "articleBody": "Rain fell on the city for a third day.\n\nRivers rose fast."},
              "b": {"url": "https://example.com/b", "articleBody": "Talks resumed in Geneva on Monday."}
            }"#,
        )
        .unwrap();
        write_gz(
            &dir.join("html/a.html.gz"),
            "<html><body><nav><a href='/'>Home</a></nav><article>\
             <p>Rain fell on the city for a third day, officials said on Tuesday evening.</p>\
             <p>Rivers rose fast.</p></article></body></html>",
        );
        // An empty page: extraction fails and scores zero.
        write_gz(&dir.join("html/b.html.gz"), "<html><body></body></html>");
        let docs = score_documents(&dir).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "a");
        assert!(!docs[0].failed);
        assert!(close(docs[0].score.recall, 1.0));
        assert!(docs[0].score.precision > 0.6 && docs[0].score.precision < 1.0);
        assert!(docs[1].failed);
        assert_eq!(docs[1].score, TextScore::ZERO);

        let score = score_dir(&dir).unwrap();
        assert_eq!(score.documents, 2);
        assert_eq!(score.failures, 1);
        assert!(close(score.recall, 0.5));
        assert!(close(score.f1, docs[0].score.f1 / 2.0));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_files_are_errors_with_the_path() {
        let dir = temp_bench("missing");
        let err = score_dir(&dir).unwrap_err();
        assert!(matches!(err, EvalHtmlError::Io { ref path, .. } if path.ends_with("ground-truth.json")));
        std::fs::write(dir.join("ground-truth.json"), "{\"x\": {}}").unwrap();
        let err = score_dir(&dir).unwrap_err();
        assert!(err.to_string().contains("x.html.gz"), "{err}");
        std::fs::write(dir.join("ground-truth.json"), "[1,").unwrap();
        assert!(matches!(
            score_dir(&dir).unwrap_err(),
            EvalHtmlError::GroundTruth { .. }
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn summarize_empty_is_zero() {
        let s = summarize(&[]);
        assert_eq!(s.documents, 0);
        assert_eq!(s.f1, 0.0);
    }
}
