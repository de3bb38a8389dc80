//! The embedded store: documents, sentences, entities, events, quotes and places in one SQLite file
//! (WAL, FTS5), with near-duplicate stories, folded events, search, timelines and exports.
//!
//! Design decision: SQLite (bundled, no server) holds one row per document with its input `Document`
//! (for recoding) and its annalist JSON v1 record, plus flat tables per annotation for queries. A
//! document is identified by its id; re-ingesting the same content with the same dictionaries changes
//! nothing, changed content or dictionaries replace the document's rows in one transaction. Every batch
//! is a transaction, so what was reported stored survives a crash. Events are kept as mentions and folded
//! at query time by (date, source, target, code, place), with GDELT-style counts of mentions, articles and
//! sources.
//!
//! ```
//! let mut store = annalist_store::Store::open_in_memory().unwrap();
//! assert_eq!(store.stats().unwrap().documents, 0);
//! ```

mod parquet_export;
mod simhash;

use std::path::{Path, PathBuf};

use annalist_core::output::OutputDoc;
use annalist_core::{Annotated, Document};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension};
use serde::Serialize;

pub use parquet_export::export_parquet;
pub use simhash::{hamming, simhash};

/// Store errors: the caller's mistakes and environment problems apart from internal faults.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: the database is locked by another process (wait for it to finish, or use another --db)")]
    Locked { path: String },
    #[error("{path}: not an annalist database, or the file is corrupt: {message}")]
    Corrupt { path: String, message: String },
    #[error("{path}: cannot write (read-only file or folder)")]
    ReadOnly { path: String },
    #[error("{path}: the disk is full; nothing after the last reported batch was stored")]
    Full { path: String },
    #[error("{path}: cannot open: {message}")]
    Open { path: String, message: String },
    #[error("{path}: database error: {source}")]
    Sql {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("stored record is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Query(String),
}

/// What happened to one document on ingest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Inserted,
    Replaced,
    Unchanged,
}

/// Counts of what the store holds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub documents: u64,
    pub stories: u64,
    pub sentences: u64,
    pub entities: u64,
    pub event_mentions: u64,
    pub events: u64,
    pub quotes: u64,
    pub places: u64,
}

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS documents (
    rowid INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    dict_version TEXT NOT NULL,
    source TEXT, url TEXT, title TEXT, published TEXT, date TEXT, dateline TEXT,
    simhash INTEGER NOT NULL,
    story INTEGER NOT NULL,
    document_json TEXT NOT NULL,
    record_json TEXT NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX IF NOT EXISTS documents_date ON documents(date);
CREATE INDEX IF NOT EXISTS documents_story ON documents(story);
CREATE TABLE IF NOT EXISTS doc_bands (band INTEGER NOT NULL, value INTEGER NOT NULL, doc INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS doc_bands_bv ON doc_bands(band, value);
CREATE TABLE IF NOT EXISTS sentences (doc INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE, idx INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, region TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(doc);
CREATE TABLE IF NOT EXISTS entities (doc INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL, type TEXT NOT NULL, name TEXT, actor TEXT);
CREATE INDEX IF NOT EXISTS entities_doc ON entities(doc);
CREATE INDEX IF NOT EXISTS entities_name ON entities(name);
CREATE TABLE IF NOT EXISTS events (
    doc INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    sentence INTEGER NOT NULL, date TEXT, code TEXT NOT NULL, root TEXT NOT NULL, quad_class INTEGER NOT NULL,
    goldstein REAL, plover TEXT, source TEXT, source_name TEXT, target TEXT, target_name TEXT,
    place TEXT, place_country TEXT, lat REAL, lon REAL, rule TEXT NOT NULL, dict_version TEXT NOT NULL,
    evidence TEXT NOT NULL, evidence_start INTEGER NOT NULL, evidence_end INTEGER NOT NULL, sentence_text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_doc ON events(doc);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
CREATE INDEX IF NOT EXISTS events_dyad ON events(source, target, date);
CREATE TABLE IF NOT EXISTS quotes (doc INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE, kind TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL, speaker TEXT, speaker_name TEXT, speaker_actor TEXT, cue TEXT);
CREATE INDEX IF NOT EXISTS quotes_doc ON quotes(doc);
CREATE TABLE IF NOT EXISTS places (doc INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE, name TEXT NOT NULL, geonameid INTEGER, country TEXT, lat REAL, lon REAL, role TEXT NOT NULL, mentions INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS places_doc ON places(doc);
CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
"#;

/// Near-duplicate threshold: documents whose SimHash differ in at most this many bits are one story.
pub const STORY_BITS: u32 = 6;

/// The embedded store.
pub struct Store {
    conn: Connection,
    path: String,
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

impl Store {
    fn classify(path: &str, e: rusqlite::Error) -> StoreError {
        if let rusqlite::Error::SqliteFailure(f, msg) = &e {
            return match f.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Locked { path: path.into() },
                ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => StoreError::Corrupt {
                    path: path.into(),
                    message: msg.clone().unwrap_or_else(|| f.to_string()),
                },
                ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied
                    if f.code != ErrorCode::CannotOpen =>
                {
                    StoreError::ReadOnly { path: path.into() }
                }
                ErrorCode::CannotOpen => StoreError::Open {
                    path: path.into(),
                    message: msg.clone().unwrap_or_else(|| "cannot open the file".into()),
                },
                ErrorCode::DiskFull => StoreError::Full { path: path.into() },
                _ => StoreError::Sql {
                    path: path.into(),
                    source: e,
                },
            };
        }
        StoreError::Sql {
            path: path.into(),
            source: e,
        }
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |e| Store::classify(&self.path, e)
    }

    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let p = path.display().to_string();
        let conn = Connection::open(path).map_err(|e| Store::classify(&p, e))?;
        Store::init(conn, p)
    }

    /// A store in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory().map_err(|e| Store::classify(":memory:", e))?;
        Store::init(conn, ":memory:".into())
    }

    fn init(conn: Connection, path: String) -> Result<Store, StoreError> {
        let c = |e| Store::classify(&path, e);
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(c)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(c)?;
        if path != ":memory:" {
            let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).map_err(c)?;
            let _ = mode;
            conn.pragma_update(None, "synchronous", "NORMAL").map_err(c)?;
        }
        conn.execute_batch(SCHEMA).map_err(c)?;
        Ok(Store { conn, path })
    }

    /// The file path.
    pub fn path(&self) -> PathBuf {
        PathBuf::from(&self.path)
    }

    /// Stores a batch of annotated documents in one transaction. Returns each document's outcome.
    pub fn ingest_batch(&mut self, batch: &[(Annotated, OutputDoc)]) -> Result<Vec<Outcome>, StoreError> {
        let path = self.path.clone();
        let c = |e| Store::classify(&path, e);
        let tx = self.conn.transaction().map_err(c)?;
        let mut out = Vec::with_capacity(batch.len());
        for (a, rec) in batch {
            out.push(ingest_one(&tx, a, rec).map_err(c)?);
        }
        tx.commit().map_err(c)?;
        Ok(out)
    }

    /// Counts of rows.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let q = |sql: &str| -> Result<u64, StoreError> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|v| v as u64)
                .map_err(self.err())
        };
        Ok(Stats {
            documents: q("SELECT COUNT(*) FROM documents")?,
            stories: q("SELECT COUNT(DISTINCT story) FROM documents")?,
            sentences: q("SELECT COUNT(*) FROM sentences")?,
            entities: q("SELECT COUNT(*) FROM entities")?,
            event_mentions: q("SELECT COUNT(*) FROM events")?,
            events: q("SELECT COUNT(*) FROM (SELECT 1 FROM events GROUP BY date, source, target, code, place)")?,
            quotes: q("SELECT COUNT(*) FROM quotes")?,
            places: q("SELECT COUNT(*) FROM places")?,
        })
    }

    /// Full-text search over titles and bodies, ranked (BM25), with highlighted snippets.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let fts = fts_query(query);
        if fts.is_empty() {
            return Err(StoreError::Query("empty search".into()));
        }
        let mut st = self
            .conn
            .prepare(
                "SELECT d.doc_id, d.title, d.date, d.source, snippet(docs_fts, 1, '[', ']', ' … ', 16), bm25(docs_fts)
                 FROM docs_fts JOIN documents d ON d.rowid = docs_fts.rowid
                 WHERE docs_fts MATCH ?1 ORDER BY bm25(docs_fts) LIMIT ?2",
            )
            .map_err(self.err())?;
        let rows = st
            .query_map(params![fts, limit as i64], |r| {
                Ok(SearchHit {
                    doc_id: r.get(0)?,
                    title: r.get(1)?,
                    date: r.get(2)?,
                    source: r.get(3)?,
                    snippet: r.get(4)?,
                    score: -r.get::<_, f64>(5)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    /// Folded events matching a filter, most mentioned first within date order.
    pub fn events(&self, f: &EventFilter) -> Result<Vec<FoldedEvent>, StoreError> {
        let (wh, args) = f.where_clause();
        let sql = format!(
            "SELECT e.date, e.source, e.target, e.code, e.place, MIN(e.goldstein), MIN(e.quad_class),
                    COUNT(*), COUNT(DISTINCT e.doc), COUNT(DISTINCT d.source), COUNT(DISTINCT d.story),
                    MIN(e.evidence), MIN(d.doc_id), MIN(e.rule)
             FROM events e JOIN documents d ON d.rowid = e.doc {wh}
             GROUP BY e.date, e.source, e.target, e.code, e.place
             ORDER BY e.date, COUNT(*) DESC LIMIT {}",
            f.limit.unwrap_or(1000)
        );
        let mut st = self.conn.prepare(&sql).map_err(self.err())?;
        let rows = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok(FoldedEvent {
                    date: r.get(0)?,
                    source: r.get(1)?,
                    target: r.get(2)?,
                    code: r.get(3)?,
                    place: r.get(4)?,
                    goldstein: r.get(5)?,
                    quad_class: r.get(6)?,
                    mentions: r.get(7)?,
                    articles: r.get(8)?,
                    sources: r.get(9)?,
                    stories: r.get(10)?,
                    evidence: r.get(11)?,
                    example_doc: r.get(12)?,
                    rule: r.get(13)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    /// Events between two actors (country or full codes) per period: counts, Goldstein mean, quad classes.
    pub fn timeline(
        &self,
        a: &str,
        b: &str,
        by: Period,
        both_directions: bool,
    ) -> Result<Vec<TimelineRow>, StoreError> {
        let bucket = by.sql("e.date");
        // Prefix ranges ("RUS" <= code < "RUT") let SQLite use the (source, target, date) index.
        let dir = if both_directions {
            "((e.source >= ?1 AND e.source < ?3 AND e.target >= ?2 AND e.target < ?4) OR (e.source >= ?2 AND e.source < ?4 AND e.target >= ?1 AND e.target < ?3))"
        } else {
            "(e.source >= ?1 AND e.source < ?3 AND e.target >= ?2 AND e.target < ?4)"
        };
        // Folded first: one row per distinct event, then aggregated per period.
        let sql = format!(
            "SELECT {bucket} AS period, COUNT(*), AVG(g), SUM(q=1), SUM(q=2), SUM(q=3), SUM(q=4), SUM(m)
             FROM (SELECT e.date AS date, MIN(e.goldstein) AS g, MIN(e.quad_class) AS q, COUNT(*) AS m
                   FROM events e WHERE e.date IS NOT NULL AND {dir}
                   GROUP BY e.date, e.source, e.target, e.code, e.place) e
             GROUP BY period ORDER BY period"
        );
        let mut st = self.conn.prepare(&sql).map_err(self.err())?;
        let rows = st
            .query_map(params![a, b, prefix_end(a), prefix_end(b)], |r| {
                Ok(TimelineRow {
                    period: r.get(0)?,
                    events: r.get(1)?,
                    goldstein_mean: r.get(2)?,
                    verbal_cooperation: r.get(3)?,
                    material_cooperation: r.get(4)?,
                    verbal_conflict: r.get(5)?,
                    material_conflict: r.get(6)?,
                    mentions: r.get(7)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    /// Quotes whose speaker text, name or actor code contains `speaker` (case-insensitive).
    pub fn quotes(&self, speaker: Option<&str>, limit: usize) -> Result<Vec<QuoteRow>, StoreError> {
        let like = format!("%{}%", speaker.unwrap_or(""));
        let mut st = self
            .conn
            .prepare(
                "SELECT d.doc_id, d.date, q.kind, q.speaker, q.speaker_name, q.speaker_actor, q.cue, q.text
                 FROM quotes q JOIN documents d ON d.rowid = q.doc
                 WHERE (?1 = '%%' OR q.speaker LIKE ?1 OR q.speaker_name LIKE ?1 OR q.speaker_actor LIKE ?1)
                 ORDER BY d.date, d.doc_id, q.start LIMIT ?2",
            )
            .map_err(self.err())?;
        let rows = st
            .query_map(params![like, limit as i64], |r| {
                Ok(QuoteRow {
                    doc_id: r.get(0)?,
                    date: r.get(1)?,
                    kind: r.get(2)?,
                    speaker: r.get(3)?,
                    speaker_name: r.get(4)?,
                    speaker_actor: r.get(5)?,
                    cue: r.get(6)?,
                    text: r.get(7)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }

    /// Every stored input document, for recoding.
    pub fn documents(&self) -> Result<Vec<Document>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT document_json FROM documents ORDER BY rowid")
            .map_err(self.err())?;
        let rows = st.query_map([], |r| r.get::<_, String>(0)).map_err(self.err())?;
        let mut out = Vec::new();
        for r in rows {
            out.push(serde_json::from_str(&r.map_err(self.err())?)?);
        }
        Ok(out)
    }

    /// Event mentions per code, for recode diffs.
    pub fn event_counts_by_code(&self) -> Result<std::collections::BTreeMap<String, i64>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT code, COUNT(*) FROM events GROUP BY code")
            .map_err(self.err())?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// Every stored annalist JSON v1 record, in ingest order.
    pub fn for_each_record(&self, mut f: impl FnMut(&str) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT record_json FROM documents ORDER BY rowid")
            .map_err(self.err())?;
        let mut rows = st.query([]).map_err(self.err())?;
        while let Some(r) = rows.next().map_err(self.err())? {
            f(&r.get::<_, String>(0).map_err(self.err())?)?;
        }
        Ok(())
    }

    /// Every event mention joined with its document, for exports.
    pub fn for_each_event(
        &self,
        mut f: impl FnMut(&EventExportRow) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT e.rowid, d.doc_id, d.url, d.source, d.ingested_at, e.date, e.code, e.root, e.quad_class, e.goldstein,
                        e.source, e.source_name, e.target, e.target_name, e.place, e.place_country, e.lat, e.lon,
                        e.rule, e.dict_version, e.evidence, e.sentence, d.date
                 FROM events e JOIN documents d ON d.rowid = e.doc ORDER BY e.rowid",
            )
            .map_err(self.err())?;
        let mut rows = st.query([]).map_err(self.err())?;
        while let Some(r) = rows.next().map_err(self.err())? {
            let row = EventExportRow {
                id: r.get(0).map_err(self.err())?,
                doc_id: r.get(1).map_err(self.err())?,
                url: r.get(2).map_err(self.err())?,
                doc_source: r.get(3).map_err(self.err())?,
                ingested_at: r.get(4).map_err(self.err())?,
                date: r.get(5).map_err(self.err())?,
                code: r.get(6).map_err(self.err())?,
                root: r.get(7).map_err(self.err())?,
                quad_class: r.get(8).map_err(self.err())?,
                goldstein: r.get(9).map_err(self.err())?,
                source: r.get(10).map_err(self.err())?,
                source_name: r.get(11).map_err(self.err())?,
                target: r.get(12).map_err(self.err())?,
                target_name: r.get(13).map_err(self.err())?,
                place: r.get(14).map_err(self.err())?,
                place_country: r.get(15).map_err(self.err())?,
                lat: r.get(16).map_err(self.err())?,
                lon: r.get(17).map_err(self.err())?,
                rule: r.get(18).map_err(self.err())?,
                dict_version: r.get(19).map_err(self.err())?,
                evidence: r.get(20).map_err(self.err())?,
                sentence: r.get(21).map_err(self.err())?,
                doc_date: r.get(22).map_err(self.err())?,
            };
            f(&row)?;
        }
        Ok(())
    }

    /// Inserts `n` synthetic events (for timeline benchmarks) under one synthetic document.
    pub fn insert_synthetic_events(&mut self, n: usize, seed: u64) -> Result<(), StoreError> {
        let path = self.path.clone();
        let c = |e| Store::classify(&path, e);
        let tx = self.conn.transaction().map_err(c)?;
        tx.execute(
            "INSERT OR IGNORE INTO documents (doc_id, content_hash, dict_version, simhash, story, document_json, record_json) VALUES ('synthetic', '0', 'synthetic', 0, 0, '{}', '{}')",
            [],
        )
        .map_err(c)?;
        let doc: i64 = tx
            .query_row("SELECT rowid FROM documents WHERE doc_id = 'synthetic'", [], |r| {
                r.get(0)
            })
            .map_err(c)?;
        {
            let countries = ["RUS", "CHN", "USA", "UKR", "IRN", "ISR", "TUR", "IND", "FRA", "DEU"];
            let codes = [
                ("040", "04", 1, 1.0),
                ("036", "03", 1, 4.0),
                ("057", "05", 1, 8.0),
                ("112", "11", 3, -2.0),
                ("173", "17", 4, -5.0),
                ("190", "19", 4, -10.0),
            ];
            let mut st = tx
                .prepare("INSERT INTO events (doc, sentence, date, code, root, quad_class, goldstein, source, target, rule, dict_version, evidence, evidence_start, evidence_end, sentence_text) VALUES (?1, 0, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'synthetic', 'synthetic', '', 0, 0, '')")
                .map_err(c)?;
            let mut x = seed | 1;
            for _ in 0..n {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let s = countries[(x % 10) as usize];
                let t = countries[((x >> 8) % 10) as usize];
                let (code, root, q, g) = codes[((x >> 16) % 6) as usize];
                let day = (x >> 24) % 3650;
                let date = format!(
                    "{:04}-{:02}-{:02}",
                    2015 + day / 365,
                    1 + (day % 365) / 31 % 12,
                    1 + day % 28
                );
                st.execute(params![doc, date, code, root, q, g, format!("{s}GOV"), t])
                    .map_err(c)?;
            }
        }
        tx.commit().map_err(c)?;
        Ok(())
    }
}

/// The smallest string greater than every string that starts with `p` ("RUS" -> "RUT").
fn prefix_end(p: &str) -> String {
    let mut chars: Vec<char> = p.chars().collect();
    while let Some(c) = chars.pop() {
        if let Some(n) = char::from_u32(c as u32 + 1) {
            chars.push(n);
            return chars.into_iter().collect();
        }
    }
    "\u{10FFFF}".to_string()
}

/// Turns a user query into an FTS5 query: words and "quoted phrases" become phrase terms, ANDed.
fn fts_query(q: &str) -> String {
    let mut terms = Vec::new();
    let mut rest = q.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"').unwrap_or(r.len());
            let phrase = &r[..end];
            if !phrase.trim().is_empty() {
                terms.push(format!("\"{}\"", phrase.replace('"', "")));
            }
            rest = r.get(end + 1..).unwrap_or("").trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let w: String = rest[..end]
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '\'')
                .collect();
            if !w.is_empty() {
                terms.push(format!("\"{}\"", w.replace('"', "")));
            }
            rest = rest[end..].trim_start();
        }
    }
    terms.join(" ")
}

fn ingest_one(tx: &rusqlite::Transaction, a: &Annotated, rec: &OutputDoc) -> rusqlite::Result<Outcome> {
    let doc = &a.doc;
    let hash = format!(
        "{:016x}",
        fnv(format!(
            "{}\u{0}{}\u{0}{}",
            doc.title.as_deref().unwrap_or(""),
            doc.date.as_deref().unwrap_or(""),
            doc.text
        )
        .as_bytes())
    );
    let existing: Option<(i64, String, String)> = tx
        .query_row(
            "SELECT rowid, content_hash, dict_version FROM documents WHERE doc_id = ?1",
            params![doc.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let mut outcome = Outcome::Inserted;
    if let Some((rowid, h, v)) = existing {
        if h == hash && v == a.dict_version {
            return Ok(Outcome::Unchanged);
        }
        tx.execute("DELETE FROM docs_fts WHERE rowid = ?1", params![rowid])?;
        tx.execute("DELETE FROM documents WHERE rowid = ?1", params![rowid])?;
        outcome = Outcome::Replaced;
    }
    // Story: a stored document within STORY_BITS of this one's SimHash. With 8 bands of 8 bits, two
    // fingerprints that differ in at most 7 bits share at least one band exactly.
    let sh = simhash(&doc.text);
    let mut story: Option<i64> = None;
    {
        let mut st = tx.prepare_cached("SELECT d.rowid, d.simhash, d.story FROM doc_bands b JOIN documents d ON d.rowid = b.doc WHERE b.band = ?1 AND b.value = ?2")?;
        'bands: for band in 0..8u64 {
            let v = ((sh >> (band * 8)) & 0xff) as i64;
            let mut rows = st.query(params![band as i64, v])?;
            while let Some(r) = rows.next()? {
                let other: i64 = r.get(1)?;
                if hamming(other as u64, sh) <= STORY_BITS {
                    story = Some(r.get(2)?);
                    break 'bands;
                }
            }
        }
    }
    let record_json = serde_json::to_string(rec).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let document_json = serde_json::to_string(doc).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    tx.execute(
        "INSERT INTO documents (doc_id, content_hash, dict_version, source, url, title, published, date, dateline, simhash, story, document_json, record_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            doc.id,
            hash,
            a.dict_version,
            doc.source,
            doc.url,
            doc.title,
            doc.published,
            doc.date,
            doc.dateline.as_ref().map(|d| d.place.clone()),
            sh as i64,
            story.unwrap_or(-1),
            document_json,
            record_json
        ],
    )?;
    let rowid = tx.last_insert_rowid();
    if story.is_none() {
        tx.execute("UPDATE documents SET story = ?1 WHERE rowid = ?1", params![rowid])?;
    }
    for band in 0..8u64 {
        tx.execute(
            "INSERT INTO doc_bands (band, value, doc) VALUES (?1, ?2, ?3)",
            params![band as i64, ((sh >> (band * 8)) & 0xff) as i64, rowid],
        )?;
    }
    let body: String = doc
        .regions
        .iter()
        .filter(|r| r.kind != annalist_core::RegionKind::Headline)
        .map(|r| doc.slice(r.span))
        .collect::<Vec<_>>()
        .join("\n\n");
    tx.execute(
        "INSERT INTO docs_fts (rowid, title, body) VALUES (?1, ?2, ?3)",
        params![rowid, doc.title.as_deref().unwrap_or(""), body],
    )?;
    {
        let mut st = tx.prepare_cached(
            "INSERT INTO sentences (doc, idx, start, end, region, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (i, (s, o)) in a.sentences.iter().zip(&rec.sentences).enumerate() {
            st.execute(params![
                rowid,
                i as i64,
                o.start,
                o.end,
                format!("{:?}", s.region).to_lowercase(),
                doc.slice(s.span)
            ])?;
        }
        let mut st = tx.prepare_cached(
            "INSERT INTO entities (doc, start, end, text, type, name, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for e in &rec.entities {
            st.execute(params![
                rowid,
                e.start,
                e.end,
                e.text,
                format!("{:?}", e.kind).to_uppercase(),
                e.name,
                e.actor
            ])?;
        }
        let mut st = tx.prepare_cached(
            "INSERT INTO events (doc, sentence, date, code, root, quad_class, goldstein, plover, source, source_name, target, target_name, place, place_country, lat, lon, rule, dict_version, evidence, evidence_start, evidence_end, sentence_text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
        )?;
        for (e, o) in a.events.iter().zip(&rec.events) {
            let sentence_text = a
                .sentences
                .get(e.sentence as usize)
                .map(|s| doc.slice(s.span))
                .unwrap_or("");
            let sources = std::iter::once(&e.source).chain(&e.more_sources);
            for s in sources {
                let targets: Vec<Option<&annalist_core::ActorRef>> = if e.target.is_none() {
                    vec![None]
                } else {
                    e.target.iter().chain(&e.more_targets).map(Some).collect()
                };
                for t in targets {
                    st.execute(params![
                        rowid,
                        e.sentence,
                        e.date,
                        e.code,
                        e.root,
                        e.quad_class,
                        e.goldstein,
                        e.plover,
                        s.actor,
                        s.name,
                        t.and_then(|t| t.actor.clone()),
                        t.and_then(|t| t.name.clone()),
                        e.place.as_ref().map(|p| p.name.clone()),
                        e.place.as_ref().and_then(|p| p.country.clone()),
                        e.place.as_ref().and_then(|p| p.lat),
                        e.place.as_ref().and_then(|p| p.lon),
                        e.rule,
                        e.dict_version,
                        doc.slice(e.evidence),
                        o.evidence.start,
                        o.evidence.end,
                        sentence_text
                    ])?;
                }
            }
        }
        let mut st = tx.prepare_cached("INSERT INTO quotes (doc, kind, start, end, text, speaker, speaker_name, speaker_actor, cue) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?;
        for q in &rec.quotes {
            st.execute(params![
                rowid,
                format!("{:?}", q.kind).to_lowercase(),
                q.start,
                q.end,
                q.text,
                q.speaker.as_ref().map(|s| s.text.clone()),
                q.speaker.as_ref().and_then(|s| s.name.clone()),
                q.speaker.as_ref().and_then(|s| s.actor.clone()),
                q.cue.as_ref().map(|c| doc
                    .text
                    .chars()
                    .skip(c.start as usize)
                    .take((c.end - c.start) as usize)
                    .collect::<String>())
            ])?;
        }
        let mut st = tx.prepare_cached("INSERT INTO places (doc, name, geonameid, country, lat, lon, role, mentions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
        for p in &a.places {
            st.execute(params![
                rowid,
                p.name,
                p.geonameid.map(|g| g as i64),
                p.country,
                p.lat,
                p.lon,
                format!("{:?}", p.role).to_lowercase(),
                p.mentions.len() as i64
            ])?;
        }
    }
    Ok(outcome)
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub doc_id: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub snippet: String,
    pub score: f64,
}

/// Periods for timelines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
    Year,
}

impl Period {
    fn sql(self, col: &str) -> String {
        match self {
            Period::Day => col.to_string(),
            Period::Week => format!("strftime('%Y-W%W', {col})"),
            Period::Month => format!("substr({col}, 1, 7)"),
            Period::Year => format!("substr({col}, 1, 4)"),
        }
    }
}

/// Filters for `events`: actor prefixes (country or full code), CAMEO code prefix, date range.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub source: Option<String>,
    pub target: Option<String>,
    pub code: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<usize>,
}

impl EventFilter {
    fn where_clause(&self) -> (String, Vec<String>) {
        let mut w = Vec::new();
        let mut args = Vec::new();
        let mut add = |sql: &str, v: String| {
            args.push(v);
            w.push(sql.replace('?', &format!("?{}", args.len())));
        };
        if let Some(s) = &self.source {
            add("e.source LIKE ?", format!("{s}%"));
        }
        if let Some(t) = &self.target {
            add("e.target LIKE ?", format!("{t}%"));
        }
        if let Some(c) = &self.code {
            add("e.code LIKE ?", format!("{c}%"));
        }
        if let Some(f) = &self.from {
            add("e.date >= ?", f.clone());
        }
        if let Some(t) = &self.to {
            add("e.date <= ?", t.clone());
        }
        if w.is_empty() {
            (String::new(), args)
        } else {
            (format!("WHERE {}", w.join(" AND ")), args)
        }
    }
}

/// One distinct event with GDELT-style counts.
#[derive(Debug, Clone, Serialize)]
pub struct FoldedEvent {
    pub date: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    pub code: String,
    pub place: Option<String>,
    pub goldstein: Option<f64>,
    pub quad_class: i64,
    pub mentions: i64,
    pub articles: i64,
    pub sources: i64,
    pub stories: i64,
    pub evidence: String,
    pub example_doc: String,
    pub rule: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineRow {
    pub period: String,
    pub events: i64,
    pub goldstein_mean: Option<f64>,
    pub verbal_cooperation: i64,
    pub material_cooperation: i64,
    pub verbal_conflict: i64,
    pub material_conflict: i64,
    pub mentions: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuoteRow {
    pub doc_id: String,
    pub date: Option<String>,
    pub kind: String,
    pub speaker: Option<String>,
    pub speaker_name: Option<String>,
    pub speaker_actor: Option<String>,
    pub cue: Option<String>,
    pub text: String,
}

/// An event mention with its document, as exported.
#[derive(Debug, Clone, Serialize)]
pub struct EventExportRow {
    pub id: i64,
    pub doc_id: String,
    pub url: Option<String>,
    pub doc_source: Option<String>,
    pub ingested_at: String,
    pub date: Option<String>,
    pub code: String,
    pub root: String,
    pub quad_class: i64,
    pub goldstein: Option<f64>,
    pub source: Option<String>,
    pub source_name: Option<String>,
    pub target: Option<String>,
    pub target_name: Option<String>,
    pub place: Option<String>,
    pub place_country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub rule: String,
    pub dict_version: String,
    pub evidence: String,
    pub sentence: i64,
    pub doc_date: Option<String>,
}
