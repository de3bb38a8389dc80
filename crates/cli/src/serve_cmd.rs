//! `annalist serve`: the JSON API and the dashboard over a store (the work is in `annalist-server`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// The database file (created, empty, when missing).
    #[arg(long, default_value = "annalist.db")]
    pub db: PathBuf,
    /// Where to listen. On a loopback address reads are open; any other address needs a token, which
    /// reads then need too.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Bearer token for writes (POST /v1/documents); default: the ANNALIST_TOKEN environment variable,
    /// which, unlike an argument, other users cannot see in the process list.
    #[arg(long)]
    pub token: Option<String>,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    pub max_body: usize,
}

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    let token = args
        .token
        .or_else(|| std::env::var("ANNALIST_TOKEN").ok())
        .filter(|t| !t.is_empty());
    let config = annalist_server::ServerConfig {
        db: args.db,
        addr: args.addr,
        token,
        max_body: args.max_body,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server runtime")?;
    runtime.block_on(annalist_server::serve(config))?;
    Ok(ExitCode::SUCCESS)
}
