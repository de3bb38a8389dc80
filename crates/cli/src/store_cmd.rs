//! Store commands: ingest, search, events, timeline, quotes, recode, export.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use serde::Serialize;

use annalist_ingest::{DocStream, ReadOptions};
use annalist_pipeline::Pipeline;
use annalist_store::{EventFilter, Outcome, Period, Store};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    Table,
    Json,
    Csv,
}

#[derive(clap::Args)]
pub struct DbArg {
    /// The database file.
    #[arg(long, default_value = "annalist.db")]
    pub db: PathBuf,
}

impl DbArg {
    fn open(&self) -> Result<Store> {
        Ok(Store::open(&self.db)?)
    }
    fn open_existing(&self) -> Result<Store> {
        if !self.db.exists() {
            bail!(
                "{}: no such database (create it with `annalist ingest FILES --db {}`)",
                self.db.display(),
                self.db.display()
            );
        }
        self.open()
    }
}

/// Prints rows as an aligned table, JSON or CSV.
pub fn print_rows<T: Serialize>(rows: &[T], format: OutFormat) -> Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match format {
        OutFormat::Json => {
            serde_json::to_writer_pretty(&mut out, rows)?;
            writeln!(out)?;
        }
        OutFormat::Csv | OutFormat::Table => {
            let values: Vec<serde_json::Map<String, serde_json::Value>> = rows
                .iter()
                .map(|r| match serde_json::to_value(r) {
                    Ok(serde_json::Value::Object(m)) => m,
                    _ => Default::default(),
                })
                .collect();
            let Some(first) = values.first() else {
                if format == OutFormat::Table {
                    writeln!(out, "(no rows)")?;
                }
                return Ok(());
            };
            let cols: Vec<String> = first.keys().cloned().collect();
            let cell = |v: Option<&serde_json::Value>| match v {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Null) | None => String::new(),
                Some(serde_json::Value::Number(n)) => n
                    .as_f64()
                    .filter(|f| f.fract() != 0.0)
                    .map_or_else(|| n.to_string(), |f| format!("{f:.2}")),
                Some(v) => v.to_string(),
            };
            if format == OutFormat::Csv {
                writeln!(out, "{}", cols.join(","))?;
                for v in &values {
                    let line: Vec<String> = cols.iter().map(|c| csv_cell(&cell(v.get(c)))).collect();
                    writeln!(out, "{}", line.join(","))?;
                }
            } else {
                let grid: Vec<Vec<String>> = values
                    .iter()
                    .map(|v| cols.iter().map(|c| truncate(&cell(v.get(c)), 70)).collect())
                    .collect();
                let widths: Vec<usize> = cols
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        grid.iter()
                            .map(|r| r[i].chars().count())
                            .max()
                            .unwrap_or(0)
                            .max(c.len())
                    })
                    .collect();
                let line = |cells: Vec<&str>| {
                    cells
                        .iter()
                        .zip(&widths)
                        .map(|(c, w)| format!("{c:<w$}"))
                        .collect::<Vec<_>>()
                        .join("  ")
                        .trim_end()
                        .to_string()
                };
                writeln!(out, "{}", line(cols.iter().map(String::as_str).collect()))?;
                for r in &grid {
                    writeln!(out, "{}", line(r.iter().map(String::as_str).collect()))?;
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    let s = s.replace('\n', " ");
    if s.chars().count() <= n {
        s
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[derive(clap::Args)]
pub struct IngestArgs {
    /// Files and folders (walked recursively); `-` reads standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub db: DbArg,
    /// Input format (as for `code`).
    #[arg(long, value_enum, default_value = "auto")]
    pub input: crate::Input,
    /// Documents per transaction.
    #[arg(long, default_value_t = 200)]
    pub batch: usize,
}

pub fn ingest(args: IngestArgs, pipeline: &Pipeline) -> Result<ExitCode> {
    let mut store = args.db.open()?;
    let opts = ReadOptions {
        format: args.input.into(),
        ..ReadOptions::default()
    };
    let stream = DocStream::new(&args.paths, opts);
    let tty = io::stderr().is_terminal();
    let bar = if tty {
        indicatif::ProgressBar::new_spinner()
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} documents stored ({per_sec}) {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let started = Instant::now();
    let (mut inserted, mut replaced, mut unchanged, mut failed) = (0u64, 0u64, 0u64, 0u64);
    let mut batch = Vec::with_capacity(args.batch);
    let mut flush = |batch: &mut Vec<_>, store: &mut Store| -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        for o in store.ingest_batch(batch)? {
            match o {
                Outcome::Inserted => inserted += 1,
                Outcome::Replaced => replaced += 1,
                Outcome::Unchanged => unchanged += 1,
            }
        }
        batch.clear();
        if tty {
            let n = inserted + replaced + unchanged;
            eprint!(
                "\r{n} documents stored ({:.0} docs/s)   ",
                n as f64 / started.elapsed().as_secs_f64().max(1e-9)
            );
        }
        Ok(())
    };
    pipeline.run(stream, 256, |r| -> Result<()> {
        match r {
            Ok(a) => {
                let rec = pipeline.to_output(&a);
                batch.push((a, rec));
                if batch.len() >= args.batch {
                    flush(&mut batch, &mut store)?;
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("annalist: {e}");
            }
        }
        Ok(())
    })?;
    flush(&mut batch, &mut store)?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "annalist: {} new, {replaced} replaced, {unchanged} unchanged, {failed} failed in {secs:.1}s ({:.0} docs/s) -> {}",
        inserted,
        (inserted + replaced + unchanged) as f64 / secs.max(1e-9),
        args.db.db.display()
    );
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(clap::Args)]
pub struct SearchArgs {
    /// Words and "quoted phrases", all required.
    pub query: String,
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
}

pub fn search(a: SearchArgs) -> Result<ExitCode> {
    let rows = a.db.open_existing()?.search(&a.query, a.limit)?;
    print_rows(&rows, a.format)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct EventsArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Source actor: a country (RUS) or a full code prefix (RUSGOV).
    #[arg(long)]
    pub source: Option<String>,
    #[arg(long)]
    pub target: Option<String>,
    /// CAMEO code prefix: 03, 036, 0311 …
    #[arg(long)]
    pub code: Option<String>,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long, default_value_t = 1000)]
    pub limit: usize,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
}

fn check_date(d: &Option<String>, flag: &str) -> Result<()> {
    if let Some(d) = d {
        let b = d.as_bytes();
        let ok = d.len() == 10
            && b.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !ok {
            bail!("{flag} {d:?} is not a date (YYYY-MM-DD)");
        }
    }
    Ok(())
}

pub fn events(a: EventsArgs) -> Result<ExitCode> {
    check_date(&a.from, "--from")?;
    check_date(&a.to, "--to")?;
    let f = EventFilter {
        source: a.source.map(|s| s.to_uppercase()),
        target: a.target.map(|s| s.to_uppercase()),
        code: a.code,
        from: a.from,
        to: a.to,
        limit: Some(a.limit),
    };
    let rows = a.db.open_existing()?.events(&f)?;
    print_rows(&rows, a.format)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, ValueEnum)]
pub enum By {
    Day,
    Week,
    Month,
    Year,
}

#[derive(clap::Args)]
pub struct TimelineArgs {
    /// First actor (country or code prefix).
    pub a: String,
    /// Second actor.
    pub b: String,
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, value_enum, default_value = "month")]
    pub by: By,
    /// Only events from the first actor to the second (default: both directions).
    #[arg(long)]
    pub directed: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
}

pub fn timeline(a: TimelineArgs) -> Result<ExitCode> {
    let by = match a.by {
        By::Day => Period::Day,
        By::Week => Period::Week,
        By::Month => Period::Month,
        By::Year => Period::Year,
    };
    let rows =
        a.db.open_existing()?
            .timeline(&a.a.to_uppercase(), &a.b.to_uppercase(), by, !a.directed)?;
    print_rows(&rows, a.format)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct QuotesArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Speaker text, name or actor code (substring, case-insensitive).
    #[arg(long)]
    pub speaker: Option<String>,
    #[arg(long, default_value_t = 200)]
    pub limit: usize,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
}

pub fn quotes(a: QuotesArgs) -> Result<ExitCode> {
    let rows = a.db.open_existing()?.quotes(a.speaker.as_deref(), a.limit)?;
    print_rows(&rows, a.format)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct RecodeArgs {
    #[command(flatten)]
    pub db: DbArg,
}

#[derive(Serialize)]
struct CodeChange {
    code: String,
    before: i64,
    after: i64,
    change: i64,
}

/// Re-codes every stored document with the current dictionaries and prints event changes per code.
pub fn recode(a: RecodeArgs, pipeline: &Pipeline) -> Result<ExitCode> {
    let mut store = a.db.open_existing()?;
    let before = store.event_counts_by_code()?;
    let docs = store.documents()?;
    let n = docs.len();
    let mut batch = Vec::new();
    for d in docs {
        let ann = pipeline.annotate(d)?;
        let rec = pipeline.to_output(&ann);
        batch.push((ann, rec));
        if batch.len() >= 200 {
            store.ingest_batch(&batch)?;
            batch.clear();
        }
    }
    store.ingest_batch(&batch)?;
    let after = store.event_counts_by_code()?;
    let codes: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let rows: Vec<CodeChange> = codes
        .into_iter()
        .map(|c| {
            let (b, a) = (*before.get(c).unwrap_or(&0), *after.get(c).unwrap_or(&0));
            CodeChange {
                code: c.clone(),
                before: b,
                after: a,
                change: a - b,
            }
        })
        .filter(|r| r.change != 0)
        .collect();
    eprintln!(
        "annalist: recoded {n} documents with dictionaries {}",
        pipeline.dict_version()
    );
    print_rows(&rows, OutFormat::Table)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// annalist JSON v1 records, one a line (documents.jsonl).
    Jsonl,
    /// Event mentions as CSV (events.csv).
    Csv,
    /// The GDELT 2.0 events table: 61 tab-separated columns, one row per folded event (events.gdelt.tsv).
    Gdelt,
    /// Parquet tables documents, events, mentions, quotes, places, partitioned by date (TABLE/date=YYYY-MM-DD/).
    Parquet,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output folder (created if needed).
    #[arg(long)]
    pub out: PathBuf,
}

pub fn export(a: ExportArgs) -> Result<ExitCode> {
    let store = a.db.open_existing()?;
    std::fs::create_dir_all(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
    let file = |name: &str| -> Result<(PathBuf, io::BufWriter<std::fs::File>)> {
        let p = a.out.join(name);
        let f = std::fs::File::create(&p).with_context(|| format!("creating {}", p.display()))?;
        Ok((p, io::BufWriter::new(f)))
    };
    let mut count = 0u64;
    let path = match a.format {
        ExportFormat::Jsonl => {
            let (p, mut w) = file("documents.jsonl")?;
            store.for_each_record(|r| {
                writeln!(w, "{r}").map_err(|e| annalist_store::StoreError::Query(e.to_string()))?;
                count += 1;
                Ok(())
            })?;
            w.flush()?;
            p
        }
        ExportFormat::Csv => {
            let (p, mut w) = file("events.csv")?;
            writeln!(w, "id,doc_id,date,code,root,quad_class,goldstein,source,source_name,target,target_name,place,place_country,lat,lon,rule,dict_version,sentence,evidence,url")?;
            store.for_each_event(|e| {
                let cells = [
                    e.id.to_string(),
                    e.doc_id.clone(),
                    e.date.clone().unwrap_or_default(),
                    e.code.clone(),
                    e.root.clone(),
                    e.quad_class.to_string(),
                    e.goldstein.map(|g| g.to_string()).unwrap_or_default(),
                    e.source.clone().unwrap_or_default(),
                    e.source_name.clone().unwrap_or_default(),
                    e.target.clone().unwrap_or_default(),
                    e.target_name.clone().unwrap_or_default(),
                    e.place.clone().unwrap_or_default(),
                    e.place_country.clone().unwrap_or_default(),
                    e.lat.map(|x| x.to_string()).unwrap_or_default(),
                    e.lon.map(|x| x.to_string()).unwrap_or_default(),
                    e.rule.clone(),
                    e.dict_version.clone(),
                    e.sentence.to_string(),
                    e.evidence.clone(),
                    e.url.clone().unwrap_or_default(),
                ];
                let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
                writeln!(w, "{}", line.join(",")).map_err(|e| annalist_store::StoreError::Query(e.to_string()))?;
                count += 1;
                Ok(())
            })?;
            w.flush()?;
            p
        }
        ExportFormat::Parquet => {
            for (table, rows) in annalist_store::export_parquet(&store, &a.out)? {
                eprintln!("annalist: {table}: {rows} rows");
                count += rows as u64;
            }
            a.out.clone()
        }
        ExportFormat::Gdelt => {
            let (p, mut w) = file("events.gdelt.tsv")?;
            count = write_gdelt(&store, &mut w)?;
            w.flush()?;
            p
        }
    };
    eprintln!("annalist: wrote {count} rows to {}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// Splits an actor code into (country, known group, type1, type2).
fn split_code(code: &str) -> (String, String, String, String) {
    let parts: Vec<&str> = (0..code.len() / 3).map(|i| &code[i * 3..i * 3 + 3]).collect();
    let orgs = ["IGO", "NGO", "IMG", "MNC", "INT"];
    match parts.as_slice() {
        [] => Default::default(),
        [first, rest @ ..] if orgs.contains(first) => (
            String::new(),
            rest.first().map(|s| s.to_string()).unwrap_or_default(),
            first.to_string(),
            rest.get(1).map(|s| s.to_string()).unwrap_or_default(),
        ),
        [c] if c.len() == 3 && annalist_lexicon::ACTOR_TYPES.contains(c) => {
            (String::new(), String::new(), c.to_string(), String::new())
        }
        [c, rest @ ..] => (
            c.to_string(),
            String::new(),
            rest.first().map(|s| s.to_string()).unwrap_or_default(),
            rest.get(1).map(|s| s.to_string()).unwrap_or_default(),
        ),
    }
}

fn write_gdelt(store: &Store, w: &mut impl Write) -> Result<u64> {
    struct Acc {
        first: annalist_store::EventExportRow,
        mentions: i64,
        docs: HashSet<String>,
        sources: HashSet<String>,
    }
    let mut folded: BTreeMap<(String, String, String, String, String), Acc> = BTreeMap::new();
    store.for_each_event(|e| {
        let key = (
            e.date.clone().unwrap_or_default(),
            e.source.clone().unwrap_or_default(),
            e.target.clone().unwrap_or_default(),
            e.code.clone(),
            e.place.clone().unwrap_or_default(),
        );
        let acc = folded.entry(key).or_insert_with(|| Acc {
            first: e.clone(),
            mentions: 0,
            docs: HashSet::new(),
            sources: HashSet::new(),
        });
        acc.mentions += 1;
        acc.docs.insert(e.doc_id.clone());
        acc.sources
            .insert(e.doc_source.clone().unwrap_or_else(|| e.doc_id.clone()));
        Ok(())
    })?;
    let mut n = 0;
    for acc in folded.values() {
        let e = &acc.first;
        let date = e.date.clone().unwrap_or_default().replace('-', "");
        let (y, m) = (date.get(0..4).unwrap_or(""), date.get(4..6).unwrap_or(""));
        let frac = match (
            y.parse::<f64>(),
            date.get(4..6).and_then(|m| m.parse::<f64>().ok()),
            date.get(6..8).and_then(|d| d.parse::<f64>().ok()),
        ) {
            (Ok(y), Some(mo), Some(d)) => format!("{:.4}", y + ((mo - 1.0) * 30.4375 + d) / 365.0),
            _ => String::new(),
        };
        let actor = |code: &Option<String>, name: &Option<String>| -> Vec<String> {
            let c = code.clone().unwrap_or_default();
            let (country, group, t1, t2) = split_code(&c);
            vec![
                c,
                name.clone().unwrap_or_default().to_uppercase(),
                country,
                group,
                String::new(),
                String::new(),
                String::new(),
                t1,
                t2,
                String::new(),
            ]
        };
        let mut cols: Vec<String> = vec![e.id.to_string(), date.clone(), format!("{y}{m}"), y.to_string(), frac];
        cols.extend(actor(&e.source, &e.source_name));
        cols.extend(actor(&e.target, &e.target_name));
        let base = e.code.get(..3).unwrap_or(&e.code).to_string();
        cols.extend([
            if e.sentence == 0 { "1" } else { "0" }.to_string(),
            e.code.clone(),
            base,
            e.root.clone(),
            e.quad_class.to_string(),
            e.goldstein.map(|g| format!("{g:.1}")).unwrap_or_default(),
            acc.mentions.to_string(),
            acc.sources.len().to_string(),
            acc.docs.len().to_string(),
            String::new(),
        ]);
        // Actor1Geo and Actor2Geo are not computed; ActionGeo from the event place.
        for _ in 0..16 {
            cols.push(String::new());
        }
        let geo_type = match (&e.place, e.lat) {
            (Some(_), Some(_)) => "4",
            (Some(_), None) => "1",
            _ => "",
        };
        cols.extend([
            geo_type.to_string(),
            e.place.clone().unwrap_or_default(),
            e.place_country.clone().unwrap_or_default(),
            String::new(),
            String::new(),
            e.lat.map(|x| format!("{x:.4}")).unwrap_or_default(),
            e.lon.map(|x| format!("{x:.4}")).unwrap_or_default(),
            String::new(),
            e.ingested_at.chars().filter(|c| c.is_ascii_digit()).collect(),
            e.url.clone().unwrap_or_else(|| e.doc_id.clone()),
        ]);
        debug_assert_eq!(cols.len(), 61);
        writeln!(
            w,
            "{}",
            cols.iter()
                .map(|c| c.replace(['\t', '\n'], " "))
                .collect::<Vec<_>>()
                .join("\t")
        )?;
        n += 1;
    }
    Ok(n)
}
