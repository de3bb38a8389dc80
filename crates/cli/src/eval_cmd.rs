//! `annalist eval`: codes the gold-standard sets of the data folder and prints how annalist scores on
//! them (entities on CoNLL-2003, quotes on PolNeAR, toponyms on GeoWebNews, events on JSONL tables,
//! article extraction on the HTML benchmark). The scoring is in `annalist_eval`; this file only chooses
//! the sets, prints tables, writes JSON and checks `--min-f1` thresholds (exit code 1 when one fails).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use annalist_eval::report::{check_thresholds, score, EvalError, Metric, Scored, Table};
use annalist_eval::{conll, events, geo, html, polnear};
use annalist_pipeline::Pipeline;

/// A gold set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Set {
    /// Entities: CoNLL-2003 (<data>/ner/conll2003/).
    Conll,
    /// Quotes and speakers: PolNeAR (<data>/quotes/polnear/).
    Polnear,
    /// Toponyms and coordinates: GeoWebNews (<data>/geo/geowebnews/).
    Geo,
    /// Events: JSONL tables of sentences with expected events (<data>/events/ or --events).
    Events,
    /// Article extraction: the HTML benchmark (<data>/html/article-extraction-benchmark/).
    Html,
    /// Every set whose data is present.
    All,
}

impl Set {
    const EACH: [Set; 5] = [Set::Conll, Set::Polnear, Set::Geo, Set::Events, Set::Html];

    fn name(self) -> &'static str {
        match self {
            Set::Conll => "conll",
            Set::Polnear => "polnear",
            Set::Geo => "geo",
            Set::Events => "events",
            Set::Html => "html",
            Set::All => "all",
        }
    }
}

#[derive(clap::Args)]
pub struct EvalArgs {
    /// Gold sets to score (repeat the flag or separate with commas).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "all")]
    set: Vec<Set>,
    /// The folder holding the gold data, laid out as ../shared/data.
    #[arg(long, value_name = "DIR", default_value = "../shared/data")]
    data: PathBuf,
    /// Also write every result as JSON to FILE (`-`: standard output, and the tables go to stderr).
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Score only the first N documents of each set.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Exit with code 1 when the score KEY is under VALUE (repeatable). KEY is a set (its headline score:
    /// conll, polnear, geo, events, html) or a set and a measure: conll.PER|ORG|LOC|MISC|no_misc|untyped,
    /// polnear.speaker|attribution|direct_recall|jaccard, geo.overlap|literal|acc161,
    /// events.root|country|country_root.
    #[arg(long = "min-f1", value_name = "KEY=VALUE", value_parser = parse_threshold)]
    min_f1: Vec<(String, f64)>,
    /// The CoNLL-2003 file under <data>/ner/conll2003/.
    #[arg(long, value_name = "NAME", default_value = "eng.testa")]
    conll_file: String,
    /// The PolNeAR split.
    #[arg(long, value_name = "SPLIT", default_value = "dev")]
    polnear_split: String,
    /// Events tables, JSONL files or folders (default: <data>/events/).
    #[arg(long, value_name = "PATH")]
    events: Vec<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
}

fn parse_threshold(s: &str) -> Result<(String, f64), String> {
    let (key, value) = s
        .split_once('=')
        .ok_or_else(|| format!("expected KEY=VALUE, found {s:?}"))?;
    let value: f64 = value.trim().parse().map_err(|_| format!("{value:?} is not a number"))?;
    if !(0.0..=1.0).contains(&value) {
        return Err(format!("{value} is outside 0..1"));
    }
    Ok((key.trim().to_string(), value))
}

/// What one set gave.
struct Outcome {
    set: &'static str,
    tables: Vec<Table>,
    metrics: Vec<Metric>,
    json: Value,
}

impl Outcome {
    fn of(r: &dyn Scored) -> Outcome {
        Outcome {
            set: r.set(),
            tables: r.tables(),
            metrics: r.metrics(),
            json: r.to_json(),
        }
    }
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    if let Some(n) = args.threads {
        annalist_pipeline::set_threads(n).context("setting the number of threads")?;
    }
    let sets: Vec<Set> = if args.set.contains(&Set::All) {
        Set::EACH.to_vec()
    } else {
        let mut s = args.set.clone();
        s.sort();
        s.dedup();
        s
    };
    let explicit = !args.set.contains(&Set::All);
    for (key, _) in &args.min_f1 {
        let set = key.split('.').next().unwrap_or("");
        if !sets.iter().any(|s| s.name() == set) {
            bail!("--min-f1 {key}: the set `{set}` is not being scored");
        }
    }

    let started = Instant::now();
    let pipeline = Pipeline::new();
    let mut outcomes = Vec::new();
    let mut skipped = Vec::new();
    for set in sets {
        // Under `all`, a set whose data is absent is skipped; a set asked for (by name, or events by
        // --events) is an error.
        let skippable = !explicit && (set != Set::Events || args.events.is_empty());
        match run_set(set, &args, &pipeline) {
            Ok(o) => outcomes.push(o),
            Err(EvalError::Missing { path, what }) if skippable => {
                eprintln!(
                    "annalist eval: skipping {}: {} not found ({what})",
                    set.name(),
                    path.display()
                );
                skipped.push(json!({"set": set.name(), "reason": format!("{} not found ({what})", path.display())}));
            }
            Err(e) => return Err(e).with_context(|| format!("scoring {}", set.name())),
        }
    }
    if outcomes.is_empty() {
        bail!("no gold data found under {}", args.data.display());
    }
    let seconds = started.elapsed().as_secs_f64();

    let metrics: Vec<Metric> = outcomes.iter().flat_map(|o| o.metrics.iter().cloned()).collect();
    let checks = check_thresholds(&metrics, &args.min_f1);

    let mut text = String::new();
    for o in &outcomes {
        for t in &o.tables {
            text.push_str(&t.to_string());
            text.push('\n');
        }
    }
    // One row per set (its headline score), then any other score a threshold names.
    let mut summary = Table::new(format!("summary ({seconds:.1} s)"), &["score", "value", "min", "check"]);
    let mut keys: Vec<(String, Option<f64>)> = outcomes
        .iter()
        .filter_map(|o| o.metrics.first().map(|m| (m.key.clone(), Some(m.value))))
        .collect();
    for c in &checks {
        if !keys.iter().any(|(k, _)| *k == c.key) {
            keys.push((c.key.clone(), c.value));
        }
    }
    for (key, value) in keys {
        let mut row = vec![key.clone(), value.map_or_else(|| "-".to_string(), score)];
        if let Some(c) = checks.iter().find(|c| c.key == key) {
            row.push(score(c.min));
            row.push(if c.passed { "ok" } else { "FAIL" }.to_string());
        }
        summary.row(row);
    }
    text.push_str(&summary.to_string());

    let to_stdout_json = args.json.as_deref() == Some(Path::new("-"));
    if to_stdout_json {
        eprint!("{text}");
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
    }

    if let Some(path) = &args.json {
        let mut sets = serde_json::Map::new();
        for o in outcomes {
            sets.insert(o.set.to_string(), o.json);
        }
        let doc = json!({
            "annalist": annalist_pipeline::VERSION,
            "dict_version": pipeline.dict_version(),
            "data": args.data.display().to_string(),
            "limit": args.limit,
            "seconds": seconds,
            "sets": sets,
            "skipped": skipped,
            "thresholds": checks,
        });
        let body = serde_json::to_string_pretty(&doc)? + "\n";
        if to_stdout_json {
            std::io::stdout().lock().write_all(body.as_bytes())?;
        } else {
            std::fs::write(path, body).with_context(|| format!("writing {}", path.display()))?;
        }
    }

    if checks.iter().any(|c| !c.passed) {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn run_set(set: Set, args: &EvalArgs, pipeline: &Pipeline) -> Result<Outcome, EvalError> {
    let data = &args.data;
    Ok(match set {
        Set::Conll => {
            let path = data.join("ner/conll2003").join(&args.conll_file);
            Outcome::of(&conll::evaluate(&path, pipeline, args.limit)?)
        }
        Set::Polnear => {
            let root = data.join("quotes/polnear");
            Outcome::of(&polnear::evaluate(&root, &args.polnear_split, pipeline, args.limit)?)
        }
        Set::Geo => Outcome::of(&geo::evaluate(&data.join("geo/geowebnews"), pipeline, args.limit)?),
        Set::Events => {
            let paths = if args.events.is_empty() {
                let dir = events::default_path(data);
                if !dir.exists() {
                    return Err(EvalError::Missing {
                        path: dir,
                        what: "events tables; give --events FILE",
                    });
                }
                vec![dir]
            } else {
                args.events.clone()
            };
            Outcome::of(&events::evaluate(&paths, pipeline, args.limit)?)
        }
        Set::Html => html_outcome(&data.join("html/article-extraction-benchmark"), args.limit)?,
        Set::All => unreachable!("expanded before"),
    })
}

/// Article extraction, scored by `annalist_eval::html` (token precision/recall/F1, mean over pages).
fn html_outcome(dir: &Path, limit: Option<usize>) -> Result<Outcome, EvalError> {
    if !dir.join("ground-truth.json").exists() {
        return Err(EvalError::Missing {
            path: dir.join("ground-truth.json"),
            what: "article-extraction benchmark",
        });
    }
    let started = Instant::now();
    let mut docs = html::score_documents(dir).map_err(|e| EvalError::Format {
        path: dir.to_path_buf(),
        line: 0,
        message: e.to_string(),
    })?;
    if let Some(n) = limit {
        docs.truncate(n);
    }
    let s = html::summarize(&docs);
    let seconds = started.elapsed().as_secs_f64();
    let mut t = Table::new(
        format!(
            "html: article bodies ({} pages, {} failed, {seconds:.1} s), token bags, mean over pages",
            s.documents, s.failures
        ),
        &["measure", "P", "R", "F1"],
    );
    t.row(vec![
        "body tokens".into(),
        score(s.precision),
        score(s.recall),
        score(s.f1),
    ]);
    Ok(Outcome {
        set: "html",
        tables: vec![t],
        metrics: vec![Metric::new("html", s.f1)],
        json: json!({
            "documents": s.documents,
            "failures": s.failures,
            "seconds": seconds,
            "precision": s.precision,
            "recall": s.recall,
            "f1": s.f1,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_parse() {
        assert_eq!(parse_threshold("conll=0.8"), Ok(("conll".to_string(), 0.8)));
        assert_eq!(parse_threshold("geo.acc161 = 0.5"), Ok(("geo.acc161".to_string(), 0.5)));
        assert!(parse_threshold("conll").is_err());
        assert!(parse_threshold("conll=80").is_err());
        assert!(parse_threshold("conll=x").is_err());
    }
}
