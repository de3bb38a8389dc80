//! The `annalist` binary: argument parsing and printing only; the work is in the library crates.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use annalist_ingest::{DocStream, InputFormat, ReadOptions};
use annalist_pipeline::Pipeline;

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
}

#[derive(Clone, Copy, ValueEnum)]
enum Input {
    /// By extension (.txt .html .htm .jsonl .ndjson .sgm, optionally .gz); standard input by content.
    Auto,
    /// Plain text, or a scraped wire page when it opens with a `date YYYY-MM-DD` header.
    Text,
    Html,
    Jsonl,
    /// Reuters-21578 SGML (latin-1).
    Reuters,
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
    }
}

fn code(args: CodeArgs) -> Result<ExitCode> {
    if let Some(n) = args.threads {
        rayon_threads(n)?;
    }
    let opts = ReadOptions {
        format: match args.input {
            Input::Auto => InputFormat::Auto,
            Input::Text => InputFormat::Text,
            Input::Html => InputFormat::Html,
            Input::Jsonl => InputFormat::Jsonl,
            Input::Reuters => InputFormat::Reuters,
        },
        max_bytes: args.max_bytes,
    };
    let pipeline = Pipeline::new();
    let stream = DocStream::new(&args.paths, opts);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut ok, mut failed) = (0u64, 0u64);
    if args.format == Format::Json {
        out.write_all(b"[")?;
    }
    pipeline.run(stream, 256, |r| -> Result<()> {
        match r {
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
    if args.format == Format::Json {
        out.write_all(b"]\n")?;
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
