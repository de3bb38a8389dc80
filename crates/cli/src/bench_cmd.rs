//! `annalist bench`: the throughput yardstick.
//!
//! The inputs are read once into memory (that read is itself a timed stage), then every stage is timed on
//! one thread and on all threads, next to baselines measured in the same run over the same texts: a plain
//! byte scan, `str::split_whitespace`, `fs::read` of the same files, JSON-escaping the text. The table
//! gives documents/s, sentences/s and MB/s of document text for each row, and how many times the
//! baseline's time the stage takes; then the peak resident memory and the machine.
//!
//! Design decision: every run of every row returns a count, and the count is checked: non-zero, the same
//! for every run and every thread count, and equal to what the other stages say about the same documents
//! (segment and annotate find the corpus's sentences, read finds its text bytes, end to end writes the
//! write stage's bytes). A broken stage cannot look fast: a row whose count is wrong prints no figures
//! and the command exits 1.
//!
//! A stage over the in-memory corpus is one entry in [`doc_stages`]: a name, what it counts, the row it
//! is compared with, and a closure over one prepared document that returns its count. Adding a stage
//! (actors, events, quotes, places) is a few lines there; stages that do not exist yet print nothing.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde_json::json;

use annalist_actors::Actors;
use annalist_core::{Annotated, Document, Quote};
use annalist_ingest::{DocStream, ReadOptions};
use annalist_pipeline::Pipeline;
use annalist_text::Segmented;

/// The corpora read when no path is given, relative to the working directory (the workspace root).
const REUTERS: &str = "../shared/data/news/reuters21578";
const BBC: &str = "../shared/data/news/bbc";
const FIXTURES: &str = "tests/fixtures";

/// Documents per batch in end-to-end runs: what `annalist code` uses.
const BATCH: usize = 256;

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Files and folders to read [default: the Reuters-21578 .sgm files and the BBC folders under
    /// ../shared/data/news when present, else tests/fixtures].
    paths: Vec<PathBuf>,
    /// Use only the first N documents (in reading order).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Thread counts to time, comma-separated; `all` is one per core.
    #[arg(long, default_value = "1,all", value_name = "LIST")]
    threads: String,
    /// Timed runs of each row; the fastest is reported (the JSON also has the median and every run).
    #[arg(long, default_value_t = 3, value_name = "N")]
    repeat: usize,
    /// Also write the figures as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

/// One document with what the earlier stages made of it, so that each stage is timed on its own input.
struct Item {
    doc: Document,
    seg: Segmented,
    /// What the actors stage found (the quotes stage's input).
    actors: Actors,
    /// The actors with the quotes stage's additions, and the quotes (the events stage's input).
    quoted: Actors,
    quotes: Vec<Quote>,
    ann: Annotated,
}

/// The per-document work of one stage: returns its count for that document.
type DocFn<'a> = Box<dyn Fn(&Item) -> u64 + Sync + 'a>;

/// What a row measures and how its count is checked.
#[derive(Clone, Copy)]
struct Spec {
    name: &'static str,
    /// What the row's work counts, for the table and error messages.
    counts: &'static str,
    /// The row this one is compared with (same texts, same thread count).
    baseline: Option<&'static str>,
    /// The total every run must return, when other stages already tell it.
    expect: Option<u64>,
}

impl Spec {
    fn new(name: &'static str, counts: &'static str) -> Spec {
        Spec {
            name,
            counts,
            baseline: None,
            expect: None,
        }
    }
    fn vs(mut self, baseline: &'static str) -> Self {
        self.baseline = Some(baseline);
        self
    }
    fn expect(mut self, n: u64) -> Self {
        self.expect = Some(n);
        self
    }
}

/// A stage (or baseline) timed over the in-memory corpus.
struct Stage<'a> {
    spec: Spec,
    run: DocFn<'a>,
}

impl<'a> Stage<'a> {
    fn new(name: &'static str, counts: &'static str, run: impl Fn(&Item) -> u64 + Sync + 'a) -> Stage<'a> {
        Stage {
            spec: Spec::new(name, counts),
            run: Box::new(run),
        }
    }
    fn vs(mut self, baseline: &'static str) -> Self {
        self.spec = self.spec.vs(baseline);
        self
    }
    fn expect(mut self, n: u64) -> Self {
        self.spec = self.spec.expect(n);
        self
    }
}

/// What the corpus holds; every stage's count is checked against these.
#[derive(Clone, Copy, Default)]
struct Totals {
    docs: u64,
    text_bytes: u64,
    sentences: u64,
    tokens: u64,
    /// Actor mentions (names, roles, pronouns) in the corpus.
    mentions: u64,
    /// Quotes and events of the annotated documents.
    quotes: u64,
    events: u64,
    /// Sentences, entities, quotes and events of the annotated documents.
    annotated_items: u64,
    /// Bytes of the annalist JSON v1 records (compact, without line ends), from the write stage.
    json_bytes: u64,
}

/// The stages and baselines timed over the in-memory corpus, in table order.
fn doc_stages<'a>(p: &'a Pipeline, t: Totals) -> Vec<Stage<'a>> {
    vec![
        // Floors: what the fastest conceivable pass over the same texts costs.
        Stage::new("byte scan", "whitespace bytes", |it| {
            it.doc.text.bytes().filter(u8::is_ascii_whitespace).count() as u64
        }),
        Stage::new("split_whitespace", "words", |it| {
            it.doc.text.split_whitespace().count() as u64
        })
        .vs("byte scan"),
        // Stages, in pipeline order, each on the output of the ones before.
        Stage::new("segment", "sentences", |it| p.segment(&it.doc).sentences.len() as u64)
            .vs("split_whitespace")
            .expect(t.sentences),
        Stage::new("actors", "mentions", |it| {
            p.actors(&it.doc, &it.seg).mentions.len() as u64
        })
        .vs("split_whitespace")
        .expect(t.mentions),
        // `quotes` adds to the actor mentions it is given, so a copy of them is part of this row.
        Stage::new("quotes", "quotes", |it| {
            p.quotes(&it.doc, &it.seg, &mut it.actors.clone()).len() as u64
        })
        .vs("split_whitespace")
        .expect(t.quotes),
        Stage::new("events", "events", |it| {
            p.events(&it.doc, &it.seg, &it.quoted, &it.quotes).len() as u64
        })
        .vs("split_whitespace")
        .expect(t.events),
        // Stages still to come (places) go here, in pipeline order, e.g.:
        // Stage::new("places", "places", |it| p.places(&it.doc, &it.seg, &it.quoted).len() as u64)
        //     .vs("split_whitespace")
        //     .expect(t.places),
        // Every stage at once. `annotate` owns its document, so a clone of it is part of this row.
        Stage::new("annotate", "sentences+entities+quotes+events", |it| {
            p.annotate(it.doc.clone()).map_or(0, |a| annotated_items(&a))
        })
        .vs("split_whitespace")
        .expect(t.annotated_items),
        Stage::new("json-escape text", "bytes out", |it| {
            json_len(serde_json::to_vec(&it.doc.text))
        }),
        Stage::new("write", "bytes out", |it| {
            json_len(serde_json::to_vec(&p.to_output(&it.ann)))
        })
        .vs("json-escape text")
        .expect(t.json_bytes),
    ]
}

/// What annotation found in a document, summed over the kinds the stages add.
fn annotated_items(a: &Annotated) -> u64 {
    (a.sentences.len() + a.entities.len() + a.quotes.len() + a.events.len()) as u64
}

/// The length of a serialised record, 0 when it failed (which fails the row).
fn json_len(r: serde_json::Result<Vec<u8>>) -> u64 {
    r.map_or(0, |b| b.len() as u64)
}

/// One row of the table: a stage at one thread count.
struct Row {
    name: String,
    threads: usize,
    secs: Vec<f64>,
    /// CPU time of the whole process during each run, when the system tells it.
    cpu_secs: Vec<Option<f64>>,
    count: u64,
    counts: &'static str,
    baseline: Option<&'static str>,
    failure: Option<String>,
}

impl Row {
    /// The fastest run: other processes on the machine only ever add time, so the fastest run is the
    /// least disturbed estimate (the table's figure).
    fn best(&self) -> f64 {
        self.secs.iter().copied().fold(f64::INFINITY, f64::min)
    }

    /// CPU time over `threads` × wall time, in the fastest run: well under 1 when other processes took the
    /// cores (or when the stage cannot keep its threads busy).
    /// None for runs under 0.1 s, which the kernel's CPU accounting (updated at each tick) cannot resolve.
    fn cpu_share(&self) -> Option<f64> {
        let i = (0..self.secs.len()).min_by(|&a, &b| self.secs[a].total_cmp(&self.secs[b]))?;
        if self.secs[i] < 0.1 {
            return None;
        }
        Some(self.cpu_secs[i]? / (self.secs[i] * self.threads as f64))
    }

    fn median(&self) -> f64 {
        let mut s = self.secs.clone();
        s.sort_by(f64::total_cmp);
        s[s.len() / 2]
    }
}

/// The rows measured so far, with the count each stage name must keep across thread counts.
struct Table {
    rows: Vec<Row>,
    seen: HashMap<String, u64>,
}

impl Table {
    /// Times `f` `repeat` times and checks its count: non-zero, the same every run and at every thread
    /// count, and `expect` when given.
    fn time(&mut self, spec: Spec, threads: usize, repeat: usize, mut f: impl FnMut() -> Result<u64>) {
        let Spec {
            name,
            counts,
            baseline,
            expect,
        } = spec;
        let mut row = Row {
            name: name.to_string(),
            threads,
            secs: Vec::new(),
            cpu_secs: Vec::new(),
            count: 0,
            counts,
            baseline,
            failure: None,
        };
        let want = expect.or_else(|| self.seen.get(name).copied());
        for run in 0..repeat.max(1) {
            let cpu0 = process_cpu_ns();
            let t0 = Instant::now();
            let got = f();
            row.secs.push(t0.elapsed().as_secs_f64());
            let cpu1 = process_cpu_ns();
            row.cpu_secs
                .push(cpu0.zip(cpu1).map(|(a, b)| b.saturating_sub(a) as f64 / 1e9));
            let problem = match got {
                Err(e) => Some(format!("{e:#}")),
                // Zero passes only when the other stages agree there is nothing to count.
                Ok(0) if want != Some(0) => Some(format!("counted 0 {counts}")),
                Ok(n) if want.is_some_and(|w| w != n) => {
                    Some(format!("counted {n} {counts}, expected {}", want.unwrap_or_default()))
                }
                Ok(n) if run > 0 && n != row.count => {
                    Some(format!("counted {n} {counts}, then {} on an earlier run", row.count))
                }
                Ok(n) => {
                    row.count = n;
                    None
                }
            };
            if let Some(p) = problem {
                row.failure = Some(p);
                break;
            }
        }
        if row.failure.is_none() {
            self.seen.entry(name.to_string()).or_insert(row.count);
        }
        self.rows.push(row);
    }

    fn find(&self, name: &str, threads: usize) -> Option<&Row> {
        self.rows
            .iter()
            .find(|r| r.name == name && r.threads == threads && r.failure.is_none())
    }
}

pub fn run(args: BenchArgs) -> Result<ExitCode> {
    run_to(args, &mut std::io::stdout().lock())
}

/// Runs the bench, printing the report to `w` (progress goes to stderr).
fn run_to(args: BenchArgs, w: &mut dyn Write) -> Result<ExitCode> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = parse_threads(&args.threads, cores)?;
    let repeat = args.repeat.max(1);
    let paths = if args.paths.is_empty() {
        default_paths()?
    } else {
        args.paths.clone()
    };
    if paths.iter().any(|p| p.as_os_str() == "-") {
        bail!("bench reads files and folders, not standard input");
    }
    let limit = args.limit.unwrap_or(usize::MAX);
    let opts = ReadOptions::default();
    let pools: Vec<(usize, rayon::ThreadPool)> = threads
        .iter()
        .map(|&t| Ok((t, rayon::ThreadPoolBuilder::new().num_threads(t).build()?)))
        .collect::<Result<_>>()
        .context("starting worker threads")?;
    let in_pool = |t: usize| &pools.iter().find(|(n, _)| *n == t).expect("a pool per thread count").1;

    let load_start = load_average();
    // Dictionaries: compiled in and loaded by `Pipeline::new`.
    let t0 = Instant::now();
    let pipeline = Pipeline::new();
    let dict_load = t0.elapsed();

    // A first end-to-end run on all threads, before anything is held in memory: its peak resident memory
    // is what a streaming `annalist code` needs, and it warms the page cache for the timed runs.
    let max_threads = threads.iter().copied().max().unwrap_or(1);
    eprintln!("annalist bench: reading {} ...", show_paths(&paths));
    in_pool(max_threads).install(|| end_to_end(&pipeline, &paths, opts, limit))?;
    let rss_stream = peak_rss_kb();

    // The corpus, in memory.
    let t0 = Instant::now();
    let loaded = load(&paths, opts, limit)?;
    let first_read = t0.elapsed();
    if loaded.docs.is_empty() {
        bail!("no documents read from {}", show_paths(&paths));
    }
    let file_bytes: u64 = loaded
        .files
        .iter()
        .map(|(f, _)| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    eprintln!(
        "annalist bench: {} documents in {:.1} s; preparing stage inputs ...",
        loaded.docs.len(),
        first_read.as_secs_f64()
    );
    let mut annotate_failures = Vec::new();
    // Text of documents that read but failed to annotate: the read rows still count it.
    let mut dropped_bytes = 0u64;
    let items: Vec<Item> = loaded
        .docs
        .into_iter()
        .filter_map(|doc| {
            let seg = pipeline.segment(&doc);
            let actors = pipeline.actors(&doc, &seg);
            let mut quoted = actors.clone();
            let quotes = pipeline.quotes(&doc, &seg, &mut quoted);
            match pipeline.annotate(doc.clone()) {
                Ok(ann) => Some(Item {
                    doc,
                    seg,
                    actors,
                    quoted,
                    quotes,
                    ann,
                }),
                Err(e) => {
                    dropped_bytes += doc.text.len() as u64;
                    annotate_failures.push(e.to_string());
                    None
                }
            }
        })
        .collect();
    if !annotate_failures.is_empty() {
        eprintln!(
            "annalist bench: {} documents failed to annotate and are left out:",
            annotate_failures.len()
        );
        for e in annotate_failures.iter().take(5) {
            eprintln!("  {e}");
        }
    }
    let totals = Totals {
        docs: items.len() as u64,
        text_bytes: items.iter().map(|it| it.doc.text.len() as u64).sum(),
        sentences: items.iter().map(|it| it.seg.sentences.len() as u64).sum(),
        tokens: items.iter().map(|it| it.seg.tokens.len() as u64).sum(),
        mentions: items.iter().map(|it| it.actors.mentions.len() as u64).sum(),
        quotes: items.iter().map(|it| it.ann.quotes.len() as u64).sum(),
        events: items.iter().map(|it| it.ann.events.len() as u64).sum(),
        annotated_items: items.iter().map(|it| annotated_items(&it.ann)).sum(),
        json_bytes: items
            .iter()
            .map(|it| json_len(serde_json::to_vec(&pipeline.to_output(&it.ann))))
            .sum(),
    };
    if totals.sentences == 0 {
        bail!("the segmenter found no sentence in {} documents", totals.docs);
    }

    let mut table = Table {
        rows: Vec::new(),
        seen: HashMap::new(),
    };
    eprintln!("annalist bench: timing (best of {repeat}) ...");

    // Reading: the files alone, then the readers over the same files. Each file's document count from the
    // load is kept, so a limited run reads the same documents on every thread count.
    for &t in &threads {
        let files = &loaded.files;
        table.time(
            Spec::new("fs::read", "file bytes").expect(file_bytes),
            t,
            repeat,
            || {
                Ok(over(in_pool(t), t, files, 1, |(f, _)| {
                    std::fs::read(f).map_or(0, |b| b.len() as u64)
                }))
            },
        );
    }
    for &t in &threads {
        let files = &loaded.files;
        let read = |(f, n): &(PathBuf, usize)| -> u64 {
            DocStream::new(std::slice::from_ref(f), opts)
                .take(*n)
                .filter_map(|r| r.ok())
                .map(|d| d.text.len() as u64)
                .sum()
        };
        let want = totals.text_bytes + dropped_bytes;
        let spec = Spec::new("read", "text bytes").vs("fs::read").expect(want);
        table.time(spec, t, repeat, || Ok(over(in_pool(t), t, files, 1, read)));
    }

    // Stages over the in-memory corpus.
    for stage in doc_stages(&pipeline, totals) {
        for &t in &threads {
            // About 64 pieces a thread: balanced, and cheap next to the work on each piece.
            let grain = items.len() / (64 * t);
            table.time(stage.spec, t, repeat, || {
                Ok(over(in_pool(t), t, &items, grain, &stage.run))
            });
        }
    }

    // End to end, streaming as `annalist code` does: files -> readers -> Pipeline::run -> JSON lines.
    for &t in &threads {
        let want = totals.json_bytes + totals.docs;
        let spec = Spec::new("end to end", "bytes out").vs("read").expect(want);
        table.time(spec, t, repeat, || {
            in_pool(t).install(|| end_to_end(&pipeline, &paths, opts, limit))
        });
    }
    let rss_all = peak_rss_kb();

    // Print.
    let load_end = load_average();
    let machine = Machine::probe(cores);
    let date = utc_date(SystemTime::now());
    let mut out = String::new();
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "annalist bench {date}: annalist {} ({}), best of {repeat} runs",
        annalist_pipeline::VERSION,
        if cfg!(debug_assertions) {
            "DEBUG build: figures are meaningless, use --release"
        } else {
            "release build"
        }
    );
    let _ = writeln!(out, "machine: {}", machine.describe());
    if let (Some(a), Some(b)) = (load_start, load_end) {
        let _ = writeln!(
            out,
            "load:    1-minute load average {a:.2} before, {b:.2} after{}",
            if a.max(b) > 0.5 * cores as f64 + 1.0 {
                " (other processes were busy: the figures are low)"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(
        out,
        "input:   {} ({} files, {:.1} MB on disk)",
        show_paths(&paths),
        loaded.files.len(),
        mb(file_bytes)
    );
    let _ = writeln!(
        out,
        "corpus:  {} documents, {:.1} MB of text, {} sentences, {} tokens, {} actor mentions, {} quotes, {} \
         events; {} not read{}",
        totals.docs,
        mb(totals.text_bytes),
        totals.sentences,
        totals.tokens,
        totals.mentions,
        totals.quotes,
        totals.events,
        loaded.errors.len(),
        if args.limit.is_some() {
            format!(" (--limit {limit})")
        } else {
            String::new()
        }
    );
    for e in loaded.errors.iter().take(3) {
        let _ = writeln!(out, "         not read: {e}");
    }
    let _ = writeln!(
        out,
        "dictionaries: Pipeline::new {} (dict_version {})",
        show_duration(dict_load),
        pipeline.dict_version()
    );
    let _ = writeln!(out);
    print_table(&mut out, &table, &totals, &threads);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "peak RSS: {:.0} MB streaming end to end on {max_threads} threads (as `annalist code`); {:.0} MB for the \
         whole bench, which holds the corpus and every stage's input in memory",
        kb_to_mb(rss_stream),
        kb_to_mb(rss_all)
    );
    let _ = writeln!(
        out,
        "MB = 10^6 bytes of document text as read (UTF-8); \"× base\" = the row's time over its baseline's \
         time at the same thread count; \"speedup\" = time on 1 thread over time on N threads; \"cpu\" = CPU \
         time over threads × time, for rows of 0.1 s or more (under ~90%: other processes had the cores, or the \
         stage left threads idle)."
    );
    w.write_all(out.as_bytes())?;
    w.flush()?;

    if let Some(path) = &args.json {
        let report = json!({
            "date": date,
            "annalist": annalist_pipeline::VERSION,
            "release_build": !cfg!(debug_assertions),
            "machine": {
                "cpu": machine.cpu, "cores": cores, "memory_kb": machine.mem_kb, "os": std::env::consts::OS,
                "load_average_before": load_start, "load_average_after": load_end,
            },
            "input": {
                "paths": paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "files": loaded.files.len(), "file_bytes": file_bytes, "limit": args.limit,
                "unreadable": loaded.errors.len(),
            },
            "corpus": {
                "docs": totals.docs, "text_bytes": totals.text_bytes, "sentences": totals.sentences,
                "tokens": totals.tokens, "mentions": totals.mentions, "quotes": totals.quotes,
                "events": totals.events, "json_bytes": totals.json_bytes,
            },
            "dict_load_s": dict_load.as_secs_f64(),
            "dict_version": pipeline.dict_version(),
            "peak_rss_kb": {"streaming_end_to_end": rss_stream, "threads": max_threads, "whole_bench": rss_all},
            "repeat": repeat,
            "rows": table.rows.iter().map(|r| row_json(r, &table, &totals)).collect::<Vec<_>>(),
        });
        std::fs::write(path, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }

    let failed: Vec<&Row> = table.rows.iter().filter(|r| r.failure.is_some()).collect();
    if !failed.is_empty() {
        for r in failed {
            eprintln!(
                "annalist bench: {} on {} threads: {}: the stage is broken, its time means nothing",
                r.name,
                r.threads,
                r.failure.as_deref().unwrap_or_default()
            );
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Sums `f` over `items`: in this thread for one thread, else on `pool`, in pieces of at most `grain`
/// items (rayon's default split leaves one thread alone with a slow run of items, such as the Reuters
/// files at the head of the file list).
fn over<T: Sync>(
    pool: &rayon::ThreadPool,
    threads: usize,
    items: &[T],
    grain: usize,
    f: impl Fn(&T) -> u64 + Sync + Send,
) -> u64 {
    if threads == 1 {
        items.iter().map(f).sum()
    } else {
        pool.install(|| items.par_iter().with_max_len(grain.max(1)).map(f).sum())
    }
}

/// `annalist code --format jsonl > /dev/null`, without the process: returns the bytes written.
fn end_to_end(pipeline: &Pipeline, paths: &[PathBuf], opts: ReadOptions, limit: usize) -> Result<u64> {
    let stream = DocStream::new(paths, opts).take(limit);
    let mut buf = Vec::with_capacity(1 << 16);
    let mut written = 0u64;
    pipeline.run(stream, BATCH, |r| -> Result<()> {
        if let Ok(a) = r {
            buf.clear();
            serde_json::to_writer(&mut buf, &pipeline.to_output(&a))?;
            buf.push(b'\n');
            written += buf.len() as u64;
        }
        Ok(())
    })?;
    Ok(written)
}

/// The documents read, the files they came from with how many stream items each gave, and the errors.
struct Loaded {
    docs: Vec<Document>,
    files: Vec<(PathBuf, usize)>,
    errors: Vec<String>,
}

fn load(paths: &[PathBuf], opts: ReadOptions, limit: usize) -> Result<Loaded> {
    let mut loaded = Loaded {
        docs: Vec::new(),
        files: Vec::new(),
        errors: Vec::new(),
    };
    for r in DocStream::new(paths, opts).take(limit) {
        let file = match &r {
            Ok(d) => d.origin.path.clone(),
            Err(e) => e.location().path.clone(),
        };
        match loaded.files.last_mut() {
            Some((f, n)) if f.as_os_str() == file.as_str() => *n += 1,
            _ => loaded.files.push((PathBuf::from(file), 1)),
        }
        match r {
            Ok(d) => loaded.docs.push(d),
            Err(e) => loaded.errors.push(e.to_string()),
        }
    }
    Ok(loaded)
}

/// Reuters-21578's story files and BBC's topic folders when `../shared` is there, else the fixtures.
/// (Passing the corpus folders whole would also read their README and list files as documents.)
fn default_paths() -> Result<Vec<PathBuf>> {
    let sorted = |dir: &str, keep: &dyn Fn(&std::fs::DirEntry) -> bool| -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .filter(|e| keep(e))
            .map(|e| e.path())
            .collect();
        found.sort();
        found
    };
    let mut out = sorted(REUTERS, &|e| {
        e.file_name()
            .to_str()
            .is_some_and(|n| n.starts_with("reut2-") && n.ends_with(".sgm"))
    });
    out.extend(sorted(BBC, &|e| e.file_type().is_ok_and(|t| t.is_dir())));
    if out.is_empty() && Path::new(FIXTURES).is_dir() {
        out.push(PathBuf::from(FIXTURES));
    }
    if out.is_empty() {
        bail!("no input: {REUTERS}, {BBC} and {FIXTURES} are missing; give files or folders to read");
    }
    Ok(out)
}

fn parse_threads(list: &str, cores: usize) -> Result<Vec<usize>> {
    let mut out = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let n = if part == "all" {
            cores
        } else {
            part.parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .with_context(|| format!("--threads: {part:?} is not a positive number or `all`"))?
        };
        if !out.contains(&n) {
            out.push(n);
        }
    }
    if out.is_empty() {
        bail!("--threads: no thread count given");
    }
    Ok(out)
}

fn print_table(out: &mut String, table: &Table, totals: &Totals, threads: &[usize]) {
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "{:<18} {:>3} {:>10} {:>11} {:>12} {:>9}  {:<26} {:>7} {:>5}",
        "stage", "thr", "time", "docs/s", "sentences/s", "MB/s", "× base", "speedup", "cpu"
    );
    let mut last = "";
    for r in &table.rows {
        if r.name != last && !last.is_empty() && threads.len() > 1 {
            let _ = writeln!(out);
        }
        last = &r.name;
        if let Some(f) = &r.failure {
            let _ = writeln!(out, "{:<18} {:>3} FAILED: {f}", r.name, r.threads);
            continue;
        }
        let s = r.best();
        let ratio = r
            .baseline
            .and_then(|b| table.find(b, r.threads).map(|b_row| (b, s / b_row.best())))
            .map_or(String::new(), |(b, x)| format!("{x:>7.2}× {b}"));
        let speedup = table
            .find(&r.name, 1)
            .filter(|_| r.threads != 1)
            .map_or(String::new(), |one| format!("{:.2}×", one.best() / s));
        let line = format!(
            "{:<18} {:>3} {:>10} {:>11} {:>12} {:>9.1}  {:<26} {:>7} {:>5}",
            r.name,
            r.threads,
            show_duration(Duration::from_secs_f64(s)),
            group(totals.docs as f64 / s),
            group(totals.sentences as f64 / s),
            mb(totals.text_bytes) / s,
            ratio,
            speedup,
            r.cpu_share().map_or(String::new(), |c| format!("{:.0}%", c * 100.0))
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

fn row_json(r: &Row, table: &Table, totals: &Totals) -> serde_json::Value {
    if let Some(f) = &r.failure {
        return json!({"stage": r.name, "threads": r.threads, "failure": f});
    }
    let s = r.best();
    let base = r.baseline.and_then(|b| table.find(b, r.threads));
    json!({
        "stage": r.name,
        "threads": r.threads,
        "runs_s": r.secs,
        "best_s": s,
        "median_s": r.median(),
        "cpu_s": r.cpu_secs,
        "cpu_share": r.cpu_share(),
        "count": r.count,
        "counts": r.counts,
        "docs_per_s": totals.docs as f64 / s,
        "sentences_per_s": totals.sentences as f64 / s,
        "mb_per_s": mb(totals.text_bytes) / s,
        "baseline": r.baseline,
        "time_vs_baseline": base.map(|b| s / b.best()),
        "speedup_vs_1_thread": table.find(&r.name, 1).filter(|_| r.threads != 1).map(|o| o.best() / s),
    })
}

/// What the figures were measured on.
struct Machine {
    cpu: String,
    cores: usize,
    mem_kb: Option<u64>,
}

impl Machine {
    fn probe(cores: usize) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = proc_field(&cpuinfo, "model name").unwrap_or_else(|| "unknown CPU".to_string());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        Machine {
            cpu,
            cores,
            mem_kb: proc_kb(&meminfo, "MemTotal"),
        }
    }

    fn describe(&self) -> String {
        format!(
            "{}, {} cores available, {} RAM, {}",
            self.cpu,
            self.cores,
            self.mem_kb.map_or("unknown".to_string(), |k| format!(
                "{:.1} GiB",
                k as f64 / 1024.0 / 1024.0
            )),
            std::env::consts::OS
        )
    }
}

/// The value of `key : value` in a /proc file.
fn proc_field(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k.trim() == key).then(|| v.trim().to_string())
    })
}

/// A `key: N kB` value of a /proc file.
fn proc_kb(text: &str, key: &str) -> Option<u64> {
    proc_field(text, key)?.split_whitespace().next()?.parse().ok()
}

/// The 1-minute load average (the bench itself adds to it while it runs).
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// CPU time used so far by the threads of this process that are still alive, in ns (Linux schedstat). The
/// bench's worker threads live as long as the process, so a difference over a run is that run's CPU time.
fn process_cpu_ns() -> Option<u64> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(total)
}

/// The peak resident set size so far (VmHWM), in kB.
fn peak_rss_kb() -> Option<u64> {
    proc_kb(&std::fs::read_to_string("/proc/self/status").ok()?, "VmHWM")
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn kb_to_mb(kb: Option<u64>) -> f64 {
    kb.map_or(f64::NAN, |k| k as f64 * 1024.0 / 1e6)
}

fn show_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

/// A rate with thousands separators, no decimals.
fn group(x: f64) -> String {
    let digits = format!("{:.0}", x.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn show_paths(paths: &[PathBuf]) -> String {
    let mut dirs: Vec<String> = Vec::new();
    for p in paths {
        let shown = match p.parent().filter(|_| p.is_file() || default_child(p)) {
            Some(parent) => format!("{}/…", parent.display()),
            None => p.display().to_string(),
        };
        if !dirs.contains(&shown) {
            dirs.push(shown);
        }
    }
    dirs.join(" ")
}

/// Whether `p` is one of the pieces `default_paths` lists in place of a corpus folder.
fn default_child(p: &Path) -> bool {
    p.parent()
        .is_some_and(|d| d == Path::new(REUTERS) || d == Path::new(BBC))
}

/// `YYYY-MM-DD` (UTC) of a time.
fn utc_date(t: SystemTime) -> String {
    annalist_core::date::utc_date(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_lists() {
        assert_eq!(parse_threads("1,all", 8).unwrap(), [1, 8]);
        assert_eq!(parse_threads("1, 2,2,all", 2).unwrap(), [1, 2]);
        assert!(parse_threads("0", 2).is_err());
        assert!(parse_threads("x", 2).is_err());
    }

    #[test]
    fn dates() {
        let at = |s: u64| utc_date(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        assert_eq!(at(0), "1970-01-01");
        assert_eq!(at(951_782_400), "2000-02-29");
        assert_eq!(at(1_795_737_600), "2026-11-27");
    }

    #[test]
    fn proc_values() {
        let status = "Name:\tx\nVmHWM:\t   1612 kB\nVmRSS:\t    1500 kB\n";
        assert_eq!(proc_kb(status, "VmHWM"), Some(1612));
        assert_eq!(
            proc_field("model name\t: AMD EPYC\n", "model name").as_deref(),
            Some("AMD EPYC")
        );
        assert!(peak_rss_kb().is_some_and(|k| k > 0) || !Path::new("/proc/self/status").exists());
    }

    #[test]
    fn a_wrong_count_fails_the_row() {
        let mut t = Table {
            rows: Vec::new(),
            seen: HashMap::new(),
        };
        t.time(Spec::new("s", "things").expect(3), 1, 2, || Ok(3));
        t.time(Spec::new("s", "things"), 2, 2, || Ok(4));
        t.time(Spec::new("z", "things"), 1, 2, || Ok(0));
        let mut n = 0;
        t.time(Spec::new("flaky", "things"), 1, 3, || {
            n += 1;
            Ok(n)
        });
        let failures: Vec<bool> = t.rows.iter().map(|r| r.failure.is_some()).collect();
        assert_eq!(failures, [false, true, true, true]);
    }

    #[test]
    fn bench_runs_on_the_fixtures_with_every_count_checked() {
        let json = std::env::temp_dir().join(format!("annalist-bench-{}.json", std::process::id()));
        let args = BenchArgs {
            paths: vec![PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../tests/fixtures"
            ))],
            limit: None,
            threads: "1,2".into(),
            repeat: 1,
            json: Some(json.clone()),
        };
        let mut printed = Vec::new();
        assert_eq!(run_to(args, &mut printed).unwrap(), ExitCode::SUCCESS);
        let printed = String::from_utf8(printed).unwrap();
        assert!(printed.contains("\nsegment              1 "), "{printed}");
        assert!(printed.contains("× split_whitespace"), "{printed}");
        let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        std::fs::remove_file(&json).ok();
        let rows = report["rows"].as_array().unwrap();
        let names: Vec<&str> = rows.iter().filter_map(|r| r["stage"].as_str()).collect();
        for stage in ["read", "segment", "annotate", "write", "end to end"] {
            assert_eq!(
                names.iter().filter(|&&n| n == stage).count(),
                2,
                "{stage} on 1 and 2 threads"
            );
        }
        assert!(rows
            .iter()
            .all(|r| r.get("failure").is_none() && r["count"].as_u64() > Some(0)));
        assert!(report["corpus"]["sentences"].as_u64() > Some(0));
    }

    #[test]
    fn rates_are_grouped() {
        assert_eq!(group(1234567.4), "1,234,567");
        assert_eq!(group(999.0), "999");
    }
}
