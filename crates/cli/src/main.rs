//! The `annalist` binary: argument parsing and printing only; the work is in the library crates.

use std::collections::HashMap;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use annalist_core::EntityType;
use annalist_ingest::{DocStream, InputFormat, ReadOptions};
use annalist_lexicon::Lexicon;
use annalist_pipeline::Pipeline;

mod actor;

mod bench_cmd;
mod eval_cmd;
mod serve_cmd;
mod store_cmd;

#[derive(Parser)]
#[command(
    name = "annalist",
    version,
    about = "News articles in; who did what to whom, when and where, and who said what out."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code documents and print one annalist JSON v1 record per document.
    Code(CodeArgs),
    /// Explain what a name resolves to on a date, and why.
    Actor(ActorArgs),
    /// Measure throughput per stage and end to end, against baselines timed in the same run.
    Bench(bench_cmd::BenchArgs),
    /// Score annalist against gold standards (CoNLL-2003, PolNeAR, GeoWebNews, event tables, HTML extraction).
    Eval(eval_cmd::EvalArgs),
    /// Code documents and store them (idempotent; an updated document replaces its rows).
    Ingest(WithDicts<store_cmd::IngestArgs>),
    /// Full-text search over stored documents, ranked, with highlighted snippets.
    Search(store_cmd::SearchArgs),
    /// Stored events (duplicates folded, with mention/article/source counts).
    Events(store_cmd::EventsArgs),
    /// Events between two actors per day/week/month/year: counts, Goldstein mean, quad classes.
    Timeline(store_cmd::TimelineArgs),
    /// Stored quotations, by speaker.
    Quotes(store_cmd::QuotesArgs),
    /// Re-code every stored document with the current dictionaries and print what changed.
    Recode(WithDicts<store_cmd::RecodeArgs>),
    /// Export the store: JSON Lines records, events as CSV, the GDELT 2.0 events table, or Parquet.
    Export(store_cmd::ExportArgs),
    /// Serve the store over HTTP: a JSON API under /v1 and a dashboard at / (loopback by default).
    Serve(serve_cmd::ServeArgs),
}

/// A command's arguments plus the dictionary options.
#[derive(clap::Args)]
struct WithDicts<T: clap::Args> {
    #[command(flatten)]
    args: T,
    #[command(flatten)]
    dicts: DictArgs,
}

#[derive(clap::Args, Clone)]
struct DictArgs {
    /// A folder of dictionary files (docs/dictionaries.md) loaded in addition to the embedded ones.
    #[arg(long, value_name = "DIR")]
    dicts: Option<PathBuf>,
    /// With --dicts: use only the folder's dictionaries, not the embedded ones.
    #[arg(long, requires = "dicts")]
    no_default_dicts: bool,
}

impl DictArgs {
    fn lexicon(&self) -> Result<&'static Lexicon> {
        match &self.dicts {
            None => Ok(Lexicon::embedded()),
            Some(dir) => {
                let lex = Lexicon::with_user_dicts(dir, self.no_default_dicts)
                    .with_context(|| format!("loading dictionaries from {}", dir.display()))?;
                // One lexicon per process: it lives as long as the program.
                Ok(Box::leak(Box::new(lex)))
            }
        }
    }
}

#[derive(clap::Args)]
struct ActorArgs {
    /// A name, short form, country, capital, organisation or role phrase.
    name: String,
    /// The date to resolve on (YYYY-MM-DD); default today.
    #[arg(long)]
    date: Option<String>,
    #[command(flatten)]
    dicts: DictArgs,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Input {
    /// By extension (.txt .html .htm .jsonl .ndjson .sgm, optionally .gz); standard input by content.
    Auto,
    /// Plain text, or a scraped wire page when it opens with a `date YYYY-MM-DD` header.
    Text,
    Html,
    Jsonl,
    /// Reuters-21578 SGML (latin-1).
    Reuters,
}

impl From<Input> for InputFormat {
    fn from(i: Input) -> InputFormat {
        match i {
            Input::Auto => InputFormat::Auto,
            Input::Text => InputFormat::Text,
            Input::Html => InputFormat::Html,
            Input::Jsonl => InputFormat::Jsonl,
            Input::Reuters => InputFormat::Reuters,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Pretty-printed JSON objects, one after another.
    Pretty,
    /// One JSON array holding every record.
    Json,
    /// One compact JSON object per line.
    Jsonl,
}

#[derive(clap::Args)]
struct CodeArgs {
    /// Files and folders (walked recursively); `-` reads standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Input format.
    #[arg(long, value_enum, default_value = "auto")]
    input: Input,
    /// Output format.
    #[arg(long, value_enum, default_value = "pretty")]
    format: Format,
    /// Largest document accepted, in bytes (a file, or one JSON line).
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    max_bytes: u64,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Instead of records, print for each sentence the tokens, the actors found, the patterns tried and
    /// the events that fired (or why a match was dropped).
    #[arg(long, conflicts_with = "unknown_actors")]
    explain: bool,
    /// Instead of records, list the names no dictionary knows, with their type and count (TSV), most
    /// frequent first: a to-do list for dictionary maintainers.
    #[arg(long)]
    unknown_actors: bool,
    #[command(flatten)]
    dicts: DictArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("annalist: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Code(args) => code(args),
        Command::Actor(args) => actor::explain(&args.name, args.date.as_deref(), args.dicts.lexicon()?),
        Command::Bench(args) => bench_cmd::run(args),
        Command::Ingest(a) => store_cmd::ingest(a.args, &Pipeline::try_with_lexicon(a.dicts.lexicon()?)?),
        Command::Search(a) => store_cmd::search(a),
        Command::Eval(args) => eval_cmd::run(args),
        Command::Events(a) => store_cmd::events(a),
        Command::Timeline(a) => store_cmd::timeline(a),
        Command::Quotes(a) => store_cmd::quotes(a),
        Command::Recode(a) => store_cmd::recode(a.args, &Pipeline::try_with_lexicon(a.dicts.lexicon()?)?),
        Command::Export(a) => store_cmd::export(a),
        Command::Serve(a) => serve_cmd::run(a),
    }
}

fn code(args: CodeArgs) -> Result<ExitCode> {
    if let Some(n) = args.threads {
        rayon_threads(n)?;
    }
    let opts = ReadOptions {
        format: args.input.into(),
        max_bytes: args.max_bytes,
    };
    let pipeline = Pipeline::try_with_lexicon(args.dicts.lexicon()?)?;
    let mut unknown: HashMap<(String, &'static str), u64> = HashMap::new();
    let stream = DocStream::new(&args.paths, opts);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut ok, mut failed) = (0u64, 0u64);
    let records = !args.unknown_actors && !args.explain;
    if args.format == Format::Json && records {
        out.write_all(b"[")?;
    }
    pipeline.run(stream, 256, |r| -> Result<()> {
        match r {
            Ok(a) if args.explain => {
                out.write_all(pipeline.explain(&a.doc).as_bytes())?;
                ok += 1;
            }
            Ok(a) if args.unknown_actors => {
                for e in a.entities.iter().filter(|e| e.name.is_none()) {
                    let kind = match e.kind {
                        EntityType::Person => "PERSON",
                        EntityType::Org => "ORG",
                        EntityType::Loc => "LOC",
                        EntityType::Misc => "MISC",
                    };
                    *unknown.entry((a.doc.slice(e.span).to_string(), kind)).or_default() += 1;
                }
                ok += 1;
            }
            Ok(a) => {
                let rec = pipeline.to_output(&a);
                match args.format {
                    Format::Pretty => {
                        serde_json::to_writer_pretty(&mut out, &rec)?;
                        out.write_all(b"\n")?;
                    }
                    Format::Json => {
                        if ok > 0 {
                            out.write_all(b",")?;
                        }
                        serde_json::to_writer(&mut out, &rec)?;
                    }
                    Format::Jsonl => {
                        serde_json::to_writer(&mut out, &rec)?;
                        out.write_all(b"\n")?;
                    }
                }
                ok += 1;
            }
            Err(e) => {
                failed += 1;
                // Keep what was written so far in order with the message.
                out.flush()?;
                eprintln!("annalist: {e}");
            }
        }
        Ok(())
    })?;
    if args.format == Format::Json && records {
        out.write_all(b"]\n")?;
    }
    if args.unknown_actors {
        let mut rows: Vec<_> = unknown.into_iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        writeln!(out, "count\ttype\tname")?;
        for ((name, kind), n) in rows {
            writeln!(out, "{n}\t{kind}\t{name}")?;
        }
    }
    out.flush().context("writing output")?;
    if failed > 0 {
        eprintln!("annalist: {ok} documents coded, {failed} failed");
        return Ok(ExitCode::from(1));
    }
    if ok == 0 && io::stderr().is_terminal() {
        eprintln!("annalist: no documents found");
    }
    Ok(ExitCode::SUCCESS)
}

fn rayon_threads(n: usize) -> Result<()> {
    annalist_pipeline::set_threads(n).context("setting the number of threads")
}
