//! Test harness: a store ingested from `tests/fixtures`, the server on an ephemeral loopback port in a
//! thread of its own, and a small HTTP/1.1 client over a TCP stream (no client library needed).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use annalist_ingest::{DocStream, ReadOptions};
use annalist_pipeline::Pipeline;
use annalist_server::{router, AppState, ServerConfig};
use annalist_store::Store;

pub const TOKEN: &str = "test-token-7f3a";

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(Pipeline::new)
}

/// A fresh folder under the target directory (not committed, not /tmp).
pub fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "annalist-server-{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Codes and stores every document under `paths`; file documents are named by their file name
/// (`wire-minsk.txt`), JSON Lines documents keep their ids.
pub fn ingest(db: &Path, paths: &[PathBuf]) -> usize {
    let mut store = Store::open(db).unwrap();
    let p = pipeline();
    let mut batch = Vec::new();
    p.run(
        DocStream::new(paths, ReadOptions::default()),
        64,
        |r| -> Result<(), ()> {
            let mut a = r.expect("fixtures read and code");
            if a.doc.format != "jsonl" {
                a.doc.id = Path::new(&a.doc.id).file_name().unwrap().to_string_lossy().into_owned();
            }
            let rec = p.to_output(&a);
            batch.push((a, rec));
            Ok(())
        },
    )
    .unwrap();
    store.ingest_batch(&batch).unwrap();
    batch.len()
}

/// The fixture folder, plus the reference example article when `../shared/examples` has it.
pub fn example_paths(with_shared: bool) -> Vec<PathBuf> {
    let mut paths = vec![repo_root().join("tests/fixtures")];
    let shared = repo_root().join("../shared/examples/tass-2017-11-01-xi-medvedev.txt");
    if with_shared && shared.exists() {
        paths.push(shared);
    }
    paths
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub db: PathBuf,
}

/// Starts a server over `db` on 127.0.0.1:0 in a background thread; it runs until the process ends.
pub fn start(db: &Path, token: Option<&str>, max_body: usize) -> TestServer {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    let config = ServerConfig {
        db: db.to_path_buf(),
        addr,
        token: token.map(str::to_string),
        max_body,
    };
    let state = AppState::open(&config).unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, router(state)).await.unwrap();
        });
    });
    TestServer {
        addr,
        db: db.to_path_buf(),
    }
}

/// One server over the fixtures with a token, shared by the read-only tests of a test binary.
pub fn shared() -> &'static TestServer {
    static S: OnceLock<TestServer> = OnceLock::new();
    S.get_or_init(|| {
        let dir = scratch("shared");
        let db = dir.join("annalist.db");
        ingest(&db, &example_paths(false));
        start(&db, Some(TOKEN), 1 << 20)
    })
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): status {} body {}", self.status, self.text()))
    }
}

/// Sends one request (`Connection: close`) and reads the whole response.
pub fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // A server may answer (413) before reading the whole body and close: ignore a failed write.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Resp {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let n = usize::from_str_radix(String::from_utf8_lossy(&rest[..nl]).trim(), 16).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + n]);
            rest = &rest[nl + 2 + n + 2..];
        }
        body = out;
    }
    Resp { status, headers, body }
}

pub fn get(addr: SocketAddr, path: &str) -> Resp {
    request(addr, "GET", path, &[], b"")
}

pub fn get_json(addr: SocketAddr, path: &str) -> serde_json::Value {
    let r = get(addr, path);
    assert_eq!(r.status, 200, "GET {path}: {}", r.text());
    assert!(
        r.header("content-type").unwrap_or("").starts_with("application/json"),
        "GET {path}: {:?}",
        r.header("content-type")
    );
    r.json()
}

/// Asserts a JSON error with this status and returns its message.
pub fn expect_error(r: &Resp, status: u16) -> String {
    assert_eq!(r.status, status, "{}", r.text());
    let v = r.json();
    assert_eq!(v["error"]["status"], status, "{v}");
    assert!(v["error"]["code"].is_string(), "{v}");
    v["error"]["message"].as_str().unwrap().to_string()
}

pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
