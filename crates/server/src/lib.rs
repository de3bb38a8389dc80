//! `annalist serve`: a JSON API over the store and a dashboard, in one process.
//!
//! Routes (described for machines at `/v1/openapi.json`, kept in sync with [`ROUTES`] by a test):
//! documents with their annotations, folded events (the CLI's filters, paginated), dyad timelines,
//! full-text search, quotes, actors, places, `POST /v1/code` (code a posted document, store nothing) and
//! `POST /v1/documents` (code and store it; needs the bearer token). The dashboard at `/` is plain
//! JavaScript and SVG embedded in the binary: it works offline.
//!
//! Design decisions:
//! - Reads run on a small pool of store connections on tokio's blocking threads; the one writer is a
//!   separate connection behind a mutex. SQLite in WAL mode lets reads go on while an ingest commits,
//!   so the server keeps answering during a long `POST /v1/documents`.
//! - Every SQL statement is parameterised; the inputs that reach SQL text (periods, sort orders) are
//!   chosen from fixed lists, never copied from the request.
//! - Errors are JSON `{"error": {"status", "code", "message"}}`: 4xx for the caller's mistakes
//!   (bad parameters, unknown ids, bodies over the limit, a missing token), 5xx for ours.
//! - Reads are open when the server listens on a loopback address and need the token otherwise; writes
//!   always need it. On loopback the `Host` header must name a loopback host, so a web page elsewhere
//!   cannot read the API through DNS rebinding.
//!
//! ```no_run
//! # async fn f() -> Result<(), annalist_server::ServerError> {
//! let config = annalist_server::ServerConfig {
//!     db: "annalist.db".into(),
//!     addr: "127.0.0.1:8080".parse().unwrap(),
//!     token: None,
//!     max_body: 10 << 20,
//! };
//! annalist_server::serve(config).await
//! # }
//! ```

mod api;
mod assets;
mod db;
mod error;
mod input;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use annalist_pipeline::Pipeline;
use annalist_store::{Store, StoreError};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

pub use error::ApiError;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The store file (created, empty, when missing).
    pub db: PathBuf,
    /// Where to listen. On a loopback address reads are open; elsewhere they need the token.
    pub addr: SocketAddr,
    /// The bearer token for writes (and for reads off loopback). `None`: writes are refused.
    pub token: Option<String>,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the server failed")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Config(String),
}

/// Every route of the API and dashboard: (method, path as in the OpenAPI description). The router is
/// built from the same list of paths, and a test checks that `/v1/openapi.json` describes exactly these.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/v1/openapi.json"),
    ("GET", "/v1/stats"),
    ("GET", "/v1/documents"),
    ("POST", "/v1/documents"),
    ("GET", "/v1/documents/{id}"),
    ("GET", "/v1/events"),
    ("GET", "/v1/dyads"),
    ("GET", "/v1/timeline"),
    ("GET", "/v1/search"),
    ("GET", "/v1/quotes"),
    ("GET", "/v1/actors"),
    ("GET", "/v1/actors/{code}"),
    ("GET", "/v1/places"),
    ("POST", "/v1/code"),
];

/// What the handlers share: the store path, the read pool, the writer, the pipeline and the policy.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    readers: db::Pool,
    writer: Mutex<Store>,
    pipeline: OnceLock<Pipeline>,
    token: Option<String>,
    /// Reads need the token (the server listens off loopback).
    reads_need_token: bool,
    /// Check that `Host` names a loopback host (the server listens on loopback).
    loopback_host_only: bool,
    max_body: usize,
}

impl AppState {
    /// Opens the store (creating it when missing) and the read pool. Refuses to listen off loopback
    /// without a token, since reads would then be open to the network.
    pub fn open(config: &ServerConfig) -> Result<AppState, ServerError> {
        let loopback = config.addr.ip().is_loopback();
        if !loopback && config.token.is_none() {
            return Err(ServerError::Config(format!(
                "{} is not a loopback address: set a token (--token or ANNALIST_TOKEN), which reads and writes then need",
                config.addr
            )));
        }
        if config.token.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err(ServerError::Config("the token is empty".into()));
        }
        let writer = Store::open(&config.db)?;
        let readers = db::Pool::open(&config.db)?;
        Ok(AppState {
            inner: Arc::new(Inner {
                readers,
                writer: Mutex::new(writer),
                pipeline: OnceLock::new(),
                token: config.token.clone(),
                reads_need_token: !loopback,
                loopback_host_only: loopback,
                max_body: config.max_body,
            }),
        })
    }

    fn pipeline(&self) -> &Pipeline {
        self.inner.pipeline.get_or_init(Pipeline::new)
    }
}

/// The API and dashboard routes over `state` (tests serve it on an ephemeral port).
pub fn router(state: AppState) -> Router {
    let max_body = state.inner.max_body;
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{file}", get(assets::file))
        .route("/favicon.ico", get(assets::favicon))
        .route("/v1/openapi.json", get(assets::openapi))
        .route("/v1/stats", get(api::stats))
        .route("/v1/documents", get(api::documents).post(api::ingest))
        .route("/v1/documents/{*id}", get(api::document))
        .route("/v1/events", get(api::events))
        .route("/v1/dyads", get(api::dyads))
        .route("/v1/timeline", get(api::timeline))
        .route("/v1/search", get(api::search))
        .route("/v1/quotes", get(api::quotes))
        .route("/v1/actors", get(api::actors))
        .route("/v1/actors/{code}", get(api::actor))
        .route("/v1/places", get(api::places))
        .route("/v1/code", post(api::code))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(state.clone(), api::guard))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

/// Serves `config.db` on `config.addr` until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(config: ServerConfig) -> Result<(), ServerError> {
    let state = AppState::open(&config)?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.addr,
            source,
        })?;
    let local = listener.local_addr()?;
    eprintln!(
        "annalist: serving {} on http://{local}/ (API under /v1, description at /v1/openapi.json; Ctrl-C stops)",
        config.db.display()
    );
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
