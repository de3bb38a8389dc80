//! Reads: a small pool of connections, and the queries the store crate does not offer (documents by id,
//! paginated events with the first mention's spans, dyads, actors, places). Every statement is
//! parameterised; the only SQL text chosen at run time comes from fixed lists ([`By::bucket`]).

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use annalist_store::{Period, Store, StoreError};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OpenFlags, OptionalExtension};
use serde::Serialize;

use crate::error::ApiError;

/// How long a request waits for a free reader before it is answered 503.
const WAIT: Duration = Duration::from_secs(30);

/// One reader: the store (its queries) and a read-only connection (ours).
pub struct Reader {
    pub store: Store,
    pub conn: Connection,
}

/// At most `size` readers, opened on demand and kept: as many queries run at once as the machine has
/// room for (two per core), the others wait their turn instead of opening more connections and
/// contending for the same cores.
pub struct Pool {
    path: PathBuf,
    size: usize,
    state: Mutex<Slots>,
    freed: Condvar,
}

struct Slots {
    idle: Vec<Reader>,
    open: usize,
}

/// A reader borrowed from the pool, returned on drop.
pub struct Lease<'a> {
    pool: &'a Pool,
    reader: Option<Reader>,
}

impl std::ops::Deref for Lease<'_> {
    type Target = Reader;
    fn deref(&self) -> &Reader {
        self.reader.as_ref().expect("present until drop")
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(r) = self.reader.take() {
            self.pool.lock().idle.push(r);
            self.pool.freed.notify_one();
        }
    }
}

impl Pool {
    /// Opens the pool with one reader (more are opened on demand, up to two per core, at least four).
    pub fn open(path: &Path) -> Result<Pool, StoreError> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let pool = Pool {
            path: path.to_path_buf(),
            size: (2 * cores).max(4),
            state: Mutex::new(Slots {
                idle: Vec::new(),
                open: 0,
            }),
            freed: Condvar::new(),
        };
        let first = pool.connect()?;
        let mut st = pool.lock();
        st.idle.push(first);
        st.open = 1;
        drop(st);
        Ok(pool)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn connect(&self) -> Result<Reader, StoreError> {
        let store = Store::open(&self.path)?;
        let p = self.path.display().to_string();
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Open {
            path: p.clone(),
            message: e.to_string(),
        })?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| StoreError::Sql { path: p, source: e })?;
        Ok(Reader { store, conn })
    }

    /// A free reader; opens one while fewer than `size` are open, else waits (on a blocking thread).
    pub fn get(&self) -> Result<Lease<'_>, ApiError> {
        let deadline = std::time::Instant::now() + WAIT;
        let mut st = self.lock();
        loop {
            if let Some(r) = st.idle.pop() {
                return Ok(Lease {
                    pool: self,
                    reader: Some(r),
                });
            }
            if st.open < self.size {
                st.open += 1;
                drop(st);
                return match self.connect() {
                    Ok(r) => Ok(Lease {
                        pool: self,
                        reader: Some(r),
                    }),
                    Err(e) => {
                        self.lock().open -= 1;
                        Err(e.into())
                    }
                };
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Err(ApiError {
                    status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    code: "busy",
                    message: "every database reader is busy; try again".into(),
                });
            }
            st = self.freed.wait_timeout(st, left).unwrap_or_else(|e| e.into_inner()).0;
        }
    }
}

/// Timeline and event-list periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    Day,
    Week,
    Month,
    Year,
}

impl By {
    pub fn period(self) -> Period {
        match self {
            By::Day => Period::Day,
            By::Week => Period::Week,
            By::Month => Period::Month,
            By::Year => Period::Year,
        }
    }

    /// The period of `e.date`, exactly as the store's timeline computes it (a test holds them equal).
    fn bucket(self) -> &'static str {
        match self {
            By::Day => "e.date",
            By::Week => "strftime('%Y-W%W', e.date)",
            By::Month => "substr(e.date, 1, 7)",
            By::Year => "substr(e.date, 1, 4)",
        }
    }
}

/// Event filters: the CLI's (`source`, `target`, `code`, `from`, `to`), plus both directions, a period
/// of the timeline, a place and a document; validated by the caller.
#[derive(Debug, Default, Clone)]
pub struct EventQuery {
    pub source: Option<String>,
    pub target: Option<String>,
    pub code: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub both_directions: bool,
    pub period: Option<(By, String)>,
    pub place: Option<String>,
    pub doc: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

impl EventQuery {
    fn where_clause(&self) -> (String, Vec<Value>) {
        let mut w: Vec<String> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        let mut arg = |v: String| {
            args.push(Value::Text(v));
            format!("?{}", args.len())
        };
        let src = self.source.as_ref().map(|s| prefix(&mut arg, s));
        let tgt = self.target.as_ref().map(|t| prefix(&mut arg, t));
        let (sc, tc) = ("e.source", "e.target");
        match (src, tgt, self.both_directions) {
            (Some(s), Some(t), true) => w.push(format!(
                "(({} AND {}) OR ({} AND {}))",
                s.on(sc),
                t.on(tc),
                t.on(sc),
                s.on(tc)
            )),
            (Some(x), None, true) | (None, Some(x), true) => w.push(format!("({} OR {})", x.on(sc), x.on(tc))),
            (s, t, _) => {
                if let Some(s) = s {
                    w.push(s.on(sc));
                }
                if let Some(t) = t {
                    w.push(t.on(tc));
                }
            }
        }
        if let Some(c) = &self.code {
            w.push(format!("e.code LIKE {}", arg(format!("{c}%"))));
        }
        if let Some(f) = &self.from {
            w.push(format!("e.date >= {}", arg(f.clone())));
        }
        if let Some(t) = &self.to {
            w.push(format!("e.date <= {}", arg(t.clone())));
        }
        if let Some((by, p)) = &self.period {
            w.push(format!("{} = {}", by.bucket(), arg(p.clone())));
        }
        if let Some(p) = &self.place {
            w.push(format!("e.place = {}", arg(p.clone())));
        }
        if let Some(d) = &self.doc {
            w.push(format!("d.doc_id = {}", arg(d.clone())));
        }
        if w.is_empty() {
            (String::new(), args)
        } else {
            (format!("WHERE {}", w.join(" AND ")), args)
        }
    }
}

/// One distinct event (mentions folded by date, source, target, code and place, as the store folds
/// them), with GDELT-style counts and its first mention: document, evidence text and span.
/// An actor-code prefix as a range over the column: `RUS` selects `RUS` ≤ code < `RUT`, which, unlike
/// `LIKE 'RUS%'` (case-insensitive, so no index), walks the `events_dyad` index, as the store's
/// timeline does. Codes are upper-case letters and digits (checked by the handlers), for which the two
/// select the same rows.
struct Prefix {
    lo: String,
    hi: String,
}

impl Prefix {
    fn on(&self, col: &str) -> String {
        format!("({col} >= {} AND {col} < {})", self.lo, self.hi)
    }
}

/// The first string after every string that starts with `p` (`RUS` -> `RUT`), for ASCII codes.
pub fn prefix_end(p: &str) -> String {
    let mut b = p.as_bytes().to_vec();
    while let Some(last) = b.pop() {
        if last < 0x7f {
            b.push(last + 1);
            return String::from_utf8(b).expect("ASCII");
        }
    }
    "\u{10ffff}".to_string()
}

/// Binds a prefix's two bounds through `arg`, which returns each parameter's placeholder.
fn prefix(arg: &mut impl FnMut(String) -> String, p: &str) -> Prefix {
    Prefix {
        lo: arg(p.to_string()),
        hi: arg(prefix_end(p)),
    }
}

#[derive(Debug, Serialize)]
pub struct EventRow {
    /// The first mention's id.
    pub id: i64,
    pub date: Option<String>,
    pub source: Option<String>,
    pub source_name: Option<String>,
    pub target: Option<String>,
    pub target_name: Option<String>,
    pub code: String,
    pub root: String,
    pub quad_class: i64,
    pub goldstein: Option<f64>,
    pub plover: Option<String>,
    pub place: Option<String>,
    pub place_country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub mentions: i64,
    pub articles: i64,
    pub sources: i64,
    pub stories: i64,
    pub doc_id: String,
    pub doc_title: Option<String>,
    pub evidence: String,
    /// Code-point offsets of the evidence in the document's `text`.
    pub evidence_start: i64,
    pub evidence_end: i64,
    pub sentence: i64,
    pub sentence_text: String,
    pub rule: String,
}

#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub total: i64,
    pub offset: usize,
    pub limit: usize,
    pub items: Vec<T>,
}

pub fn events(conn: &Connection, q: &EventQuery) -> Result<Page<EventRow>, ApiError> {
    let (wh, mut args) = q.where_clause();
    let from = "FROM events e JOIN documents d ON d.rowid = e.doc";
    let group = "GROUP BY e.date, e.source, e.target, e.code, e.place";
    let total: i64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM (SELECT 1 {from} {wh} {group})"),
        params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    // One min() aggregate only: SQLite then takes the bare columns from the row holding the minimum,
    // so document, evidence and names all come from the first mention.
    let sql = format!(
        "SELECT MIN(e.rowid) AS first, e.date, e.source, e.source_name, e.target, e.target_name, e.code, e.root,
                e.quad_class, e.goldstein, e.plover, e.place, e.place_country, e.lat, e.lon,
                COUNT(*) AS mentions, COUNT(DISTINCT e.doc), COUNT(DISTINCT d.source), COUNT(DISTINCT d.story),
                d.doc_id, d.title, e.evidence, e.evidence_start, e.evidence_end, e.sentence, e.sentence_text, e.rule
         {from} {wh} {group}
         ORDER BY e.date, mentions DESC, first
         LIMIT ?{} OFFSET ?{}",
        args.len() + 1,
        args.len() + 2
    );
    args.push(Value::Integer(q.limit as i64));
    args.push(Value::Integer(q.offset as i64));
    let mut st = conn.prepare(&sql)?;
    let items = st
        .query_map(params_from_iter(args.iter()), |r| {
            Ok(EventRow {
                id: r.get(0)?,
                date: r.get(1)?,
                source: r.get(2)?,
                source_name: r.get(3)?,
                target: r.get(4)?,
                target_name: r.get(5)?,
                code: r.get(6)?,
                root: r.get(7)?,
                quad_class: r.get(8)?,
                goldstein: r.get(9)?,
                plover: r.get(10)?,
                place: r.get(11)?,
                place_country: r.get(12)?,
                lat: r.get(13)?,
                lon: r.get(14)?,
                mentions: r.get(15)?,
                articles: r.get(16)?,
                sources: r.get(17)?,
                stories: r.get(18)?,
                doc_id: r.get(19)?,
                doc_title: r.get(20)?,
                evidence: r.get(21)?,
                evidence_start: r.get(22)?,
                evidence_end: r.get(23)?,
                sentence: r.get(24)?,
                sentence_text: r.get(25)?,
                rule: r.get(26)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        total,
        offset: q.offset,
        limit: q.limit,
        items,
    })
}

/// A stored document's annalist JSON v1 record, as stored.
pub fn document_record(conn: &Connection, id: &str) -> Result<Option<String>, ApiError> {
    Ok(conn
        .query_row(
            "SELECT record_json FROM documents WHERE doc_id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?)
}

#[derive(Debug, Serialize)]
pub struct DocumentRow {
    pub id: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub story: i64,
    pub events: i64,
    pub quotes: i64,
    pub ingested_at: String,
}

pub fn documents(
    conn: &Connection,
    from: Option<&str>,
    to: Option<&str>,
    limit: usize,
    offset: usize,
) -> Result<Page<DocumentRow>, ApiError> {
    let wh = "WHERE (?1 IS NULL OR d.date >= ?1) AND (?2 IS NULL OR d.date <= ?2)";
    let total: i64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM documents d {wh}"),
        params![from, to],
        |r| r.get(0),
    )?;
    let mut st = conn.prepare(&format!(
        "SELECT d.doc_id, d.title, d.date, d.source, d.url, d.story,
                (SELECT COUNT(*) FROM events e WHERE e.doc = d.rowid),
                (SELECT COUNT(*) FROM quotes q WHERE q.doc = d.rowid), d.ingested_at
         FROM documents d {wh} ORDER BY d.date DESC, d.rowid DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let items = st
        .query_map(params![from, to, limit as i64, offset as i64], |r| {
            Ok(DocumentRow {
                id: r.get(0)?,
                title: r.get(1)?,
                date: r.get(2)?,
                source: r.get(3)?,
                url: r.get(4)?,
                story: r.get(5)?,
                events: r.get(6)?,
                quotes: r.get(7)?,
                ingested_at: r.get(8)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        total,
        offset,
        limit,
        items,
    })
}

#[derive(Debug, Serialize)]
pub struct DyadRow {
    pub a: String,
    pub b: String,
    pub events: i64,
    pub goldstein_mean: Option<f64>,
}

/// The most active pairs of countries (first three letters of the codes), either direction.
pub fn dyads(conn: &Connection, limit: usize) -> Result<Vec<DyadRow>, ApiError> {
    let mut st = conn.prepare(
        "SELECT MIN(s, t) AS a, MAX(s, t) AS b, COUNT(*) AS n, AVG(g)
         FROM (SELECT substr(e.source, 1, 3) AS s, substr(e.target, 1, 3) AS t, MIN(e.goldstein) AS g
               FROM events e WHERE e.source IS NOT NULL AND e.target IS NOT NULL AND e.date IS NOT NULL
               GROUP BY e.date, e.source, e.target, e.code, e.place)
         WHERE s <> t GROUP BY a, b ORDER BY n DESC, a, b LIMIT ?1",
    )?;
    let rows = st
        .query_map(params![limit as i64], |r| {
            Ok(DyadRow {
                a: r.get(0)?,
                b: r.get(1)?,
                events: r.get(2)?,
                goldstein_mean: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

#[derive(Debug, Serialize)]
pub struct ActorRow {
    pub code: String,
    /// Event mentions with this actor as source or target.
    pub events: i64,
    /// Entity mentions resolved to this code.
    pub mentions: i64,
    /// The most frequent name coded so.
    pub name: Option<String>,
}

/// Actor codes seen in events or entities; `q` matches a code prefix or a name substring.
pub fn actors(conn: &Connection, q: &str, limit: usize) -> Result<Vec<ActorRow>, ApiError> {
    let mut st = conn.prepare(
        "WITH codes AS (
             SELECT code, SUM(ev) AS ev, SUM(me) AS me FROM (
                 SELECT source AS code, COUNT(*) AS ev, 0 AS me FROM events WHERE source IS NOT NULL GROUP BY source
                 UNION ALL SELECT target, COUNT(*), 0 FROM events WHERE target IS NOT NULL GROUP BY target
                 UNION ALL SELECT actor, 0, COUNT(*) FROM entities WHERE actor IS NOT NULL GROUP BY actor)
             GROUP BY code),
         names AS (
             SELECT actor, name, COUNT(*) AS n FROM entities WHERE actor IS NOT NULL AND name IS NOT NULL
             GROUP BY actor, name)
         SELECT c.code, c.ev, c.me,
                (SELECT name FROM names WHERE names.actor = c.code ORDER BY n DESC, name LIMIT 1)
         FROM codes c
         WHERE ?1 = '' OR c.code LIKE ?1 || '%' ESCAPE '\\'
               OR EXISTS (SELECT 1 FROM names WHERE names.actor = c.code AND names.name LIKE '%' || ?1 || '%' ESCAPE '\\')
         ORDER BY c.ev + c.me DESC, c.code LIMIT ?2",
    )?;
    let rows = st
        .query_map(params![like_escape(q), limit as i64], |r| {
            Ok(ActorRow {
                code: r.get(0)?,
                events: r.get(1)?,
                mentions: r.get(2)?,
                name: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Escapes LIKE wildcards so user text matches literally (with `ESCAPE '\'`).
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[derive(Debug, Serialize)]
pub struct ActorPage {
    pub code: String,
    /// Distinct events with a source or target under this code.
    pub events: i64,
    pub as_source: i64,
    pub as_target: i64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub names: Vec<ActorName>,
    pub offices: Vec<Office>,
    pub partners: Vec<Partner>,
}

#[derive(Debug, Serialize)]
pub struct ActorName {
    pub name: String,
    /// The full code the name was resolved to (under the requested prefix).
    pub code: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub mentions: i64,
    pub documents: i64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

/// A dated term from the office-holder dictionaries, for a person named under this code.
#[derive(Debug, Serialize)]
pub struct Office {
    pub person: String,
    pub country: String,
    pub title: String,
    pub code: String,
    pub start: String,
    /// `None` while the term runs.
    pub end: Option<String>,
    /// The term's code falls under the requested code.
    pub under_this_code: bool,
}

#[derive(Debug, Serialize)]
pub struct Partner {
    pub code: String,
    pub events: i64,
    pub as_source: i64,
    pub as_target: i64,
    pub goldstein_mean: Option<f64>,
}

pub fn actor(conn: &Connection, code: &str) -> Result<Option<ActorPage>, ApiError> {
    // ?1 <= code < ?2: the prefix as an index range (see `Prefix`).
    let end = prefix_end(code);
    let range = params![code, end];
    let under = |col: &str| format!("({col} >= ?1 AND {col} < ?2)");
    let folded = format!(
        "SELECT e.date, e.source, e.target, MIN(e.goldstein) AS g FROM events e
         WHERE {} OR {} GROUP BY e.date, e.source, e.target, e.code, e.place",
        under("e.source"),
        under("e.target")
    );
    let (events, as_source, as_target, first, last): (i64, i64, i64, Option<String>, Option<String>) = conn.query_row(
        &format!(
            "SELECT COUNT(*), COALESCE(SUM({}), 0), COALESCE(SUM({}), 0), MIN(date), MAX(date) FROM ({folded})",
            under("source"),
            under("target")
        ),
        range,
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let mut st = conn.prepare(&format!(
        "SELECT COALESCE(en.name, en.text), en.actor, en.type, COUNT(*), COUNT(DISTINCT en.doc), MIN(d.date), MAX(d.date)
         FROM entities en JOIN documents d ON d.rowid = en.doc
         WHERE {}
         GROUP BY COALESCE(en.name, en.text), en.actor, en.type
         ORDER BY COUNT(*) DESC, 1 LIMIT 100",
        under("en.actor")
    ))?;
    let names = st
        .query_map(range, |r| {
            Ok(ActorName {
                name: r.get(0)?,
                code: r.get(1)?,
                kind: r.get(2)?,
                mentions: r.get(3)?,
                documents: r.get(4)?,
                first_date: r.get(5)?,
                last_date: r.get(6)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    if events == 0 && names.is_empty() {
        return Ok(None);
    }
    let mut st = conn.prepare(&format!(
        "SELECT partner, COUNT(*) AS n, SUM(dir = 1), SUM(dir = 0), AVG(g) FROM (
             SELECT CASE WHEN {src} THEN target ELSE source END AS partner, CASE WHEN {src} THEN 1 ELSE 0 END AS dir, g
             FROM ({folded}))
         WHERE partner IS NOT NULL AND NOT {partner}
         GROUP BY partner ORDER BY n DESC, partner LIMIT 15",
        src = under("source"),
        partner = under("partner")
    ))?;
    let partners = st
        .query_map(range, |r| {
            Ok(Partner {
                code: r.get(0)?,
                events: r.get(1)?,
                as_source: r.get(2)?,
                as_target: r.get(3)?,
                goldstein_mean: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let offices = offices(code, &names);
    Ok(Some(ActorPage {
        code: code.to_string(),
        events,
        as_source,
        as_target,
        first_date: first,
        last_date: last,
        names,
        offices,
        partners,
    }))
}

/// The dictionary terms of the people named under this code.
fn offices(code: &str, names: &[ActorName]) -> Vec<Office> {
    use annalist_lexicon::{format_day, Lexicon, Target};
    let lex = Lexicon::embedded();
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for n in names.iter().filter(|n| n.kind == "PERSON") {
        for t in lex.lookup(&n.name) {
            let i = match t {
                Target::PersonFull(i) | Target::PersonShort(i) => i,
                _ => continue,
            };
            if !seen.insert(i) {
                continue;
            }
            let p = &lex.people[i as usize];
            for term in &p.terms {
                out.push(Office {
                    person: p.name.clone(),
                    country: p.country.clone(),
                    title: term.title.clone(),
                    code: term.code.clone(),
                    start: format_day(term.start),
                    end: term.end.map(format_day),
                    under_this_code: term.code.starts_with(code),
                });
            }
        }
    }
    out
}

#[derive(Debug, Serialize)]
pub struct PlaceRow {
    pub name: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Event mentions located here.
    pub events: i64,
    /// Documents that mention the place.
    pub documents: i64,
}

/// Places of events and places mentioned in documents, with counts; optionally only the places of
/// events involving an actor (code prefix).
pub fn places(conn: &Connection, actor: Option<&str>, limit: usize) -> Result<Vec<PlaceRow>, ApiError> {
    let end = actor.map(prefix_end);
    let mut st = conn.prepare(
        "SELECT name, country, lat, lon, SUM(ev) AS ev, SUM(docs) AS docs FROM (
             SELECT e.place AS name, e.place_country AS country, e.lat AS lat, e.lon AS lon, COUNT(*) AS ev, 0 AS docs
             FROM events e WHERE e.place IS NOT NULL
                   AND (?1 IS NULL OR (e.source >= ?1 AND e.source < ?3) OR (e.target >= ?1 AND e.target < ?3))
             GROUP BY e.place, e.place_country, e.lat, e.lon
             UNION ALL
             SELECT p.name, p.country, p.lat, p.lon, 0, COUNT(DISTINCT p.doc) FROM places p WHERE ?1 IS NULL
             GROUP BY p.name, p.country, p.lat, p.lon)
         GROUP BY name, country, lat, lon ORDER BY ev DESC, docs DESC, name LIMIT ?2",
    )?;
    let rows = st
        .query_map(params![actor, limit as i64, end], |r| {
            Ok(PlaceRow {
                name: r.get(0)?,
                country: r.get(1)?,
                lat: r.get(2)?,
                lon: r.get(3)?,
                events: r.get(4)?,
                documents: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
