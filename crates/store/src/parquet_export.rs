//! Parquet export: one table each for documents, events (folded), mentions, quotes and places, partitioned
//! by date in Hive layout (`TABLE/date=YYYY-MM-DD/part-0.parquet`), readable as they are by DuckDB, Spark,
//! pandas/pyarrow and polars.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use rusqlite::types::Value;

use crate::{Store, StoreError};

/// Column types of an exported table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Text,
    Int,
    Real,
}

struct Table {
    name: &'static str,
    /// SELECT whose first column is the partition date; the others are exported in order.
    sql: &'static str,
    cols: &'static [(&'static str, Col)],
}

const TABLES: &[Table] = &[
    Table {
        name: "documents",
        sql: "SELECT date, doc_id, source, url, title, published, dateline, story, dict_version FROM documents WHERE doc_id <> 'synthetic' ORDER BY rowid",
        cols: &[("doc_id", Col::Text), ("source", Col::Text), ("url", Col::Text), ("title", Col::Text), ("published", Col::Text), ("dateline", Col::Text), ("story", Col::Int), ("dict_version", Col::Text)],
    },
    Table {
        name: "events",
        sql: "SELECT e.date, e.source, e.target, e.code, MIN(e.root), MIN(e.quad_class), MIN(e.goldstein), e.place, MIN(e.lat), MIN(e.lon),
                     COUNT(*), COUNT(DISTINCT e.doc), COUNT(DISTINCT d.source), MIN(e.evidence), MIN(e.rule)
              FROM events e JOIN documents d ON d.rowid = e.doc GROUP BY e.date, e.source, e.target, e.code, e.place ORDER BY e.date",
        cols: &[
            ("source", Col::Text),
            ("target", Col::Text),
            ("code", Col::Text),
            ("root", Col::Text),
            ("quad_class", Col::Int),
            ("goldstein", Col::Real),
            ("place", Col::Text),
            ("lat", Col::Real),
            ("lon", Col::Real),
            ("num_mentions", Col::Int),
            ("num_articles", Col::Int),
            ("num_sources", Col::Int),
            ("evidence", Col::Text),
            ("rule", Col::Text),
        ],
    },
    Table {
        name: "mentions",
        sql: "SELECT e.date, d.doc_id, e.sentence, e.code, e.source, e.source_name, e.target, e.target_name, e.place, e.rule, e.dict_version, e.evidence, e.evidence_start, e.evidence_end
              FROM events e JOIN documents d ON d.rowid = e.doc ORDER BY e.rowid",
        cols: &[
            ("doc_id", Col::Text),
            ("sentence", Col::Int),
            ("code", Col::Text),
            ("source", Col::Text),
            ("source_name", Col::Text),
            ("target", Col::Text),
            ("target_name", Col::Text),
            ("place", Col::Text),
            ("rule", Col::Text),
            ("dict_version", Col::Text),
            ("evidence", Col::Text),
            ("evidence_start", Col::Int),
            ("evidence_end", Col::Int),
        ],
    },
    Table {
        name: "quotes",
        sql: "SELECT d.date, d.doc_id, q.kind, q.speaker, q.speaker_name, q.speaker_actor, q.cue, q.text, q.start, q.end
              FROM quotes q JOIN documents d ON d.rowid = q.doc ORDER BY q.rowid",
        cols: &[
            ("doc_id", Col::Text),
            ("kind", Col::Text),
            ("speaker", Col::Text),
            ("speaker_name", Col::Text),
            ("speaker_actor", Col::Text),
            ("cue", Col::Text),
            ("text", Col::Text),
            ("start", Col::Int),
            ("end", Col::Int),
        ],
    },
    Table {
        name: "places",
        sql: "SELECT d.date, d.doc_id, p.name, p.geonameid, p.country, p.lat, p.lon, p.role, p.mentions
              FROM places p JOIN documents d ON d.rowid = p.doc ORDER BY p.rowid",
        cols: &[
            ("doc_id", Col::Text),
            ("name", Col::Text),
            ("geonameid", Col::Int),
            ("country", Col::Text),
            ("lat", Col::Real),
            ("lon", Col::Real),
            ("role", Col::Text),
            ("mentions", Col::Int),
        ],
    },
];

fn perr(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Query(format!("{}: {e}", path.display()))
}

/// Writes every table under `out`; returns (table, rows) counts.
pub fn export_parquet(store: &Store, out: &Path) -> Result<Vec<(&'static str, usize)>, StoreError> {
    let mut counts = Vec::new();
    for t in TABLES {
        let mut st = store.conn.prepare(t.sql).map_err(store.err())?;
        let n = t.cols.len() + 1;
        let mut by_date: BTreeMap<String, Vec<Vec<Value>>> = BTreeMap::new();
        let mut rows = st.query([]).map_err(store.err())?;
        let mut total = 0;
        while let Some(r) = rows.next().map_err(store.err())? {
            let date: Option<String> = r.get(0).map_err(store.err())?;
            let mut vals = Vec::with_capacity(n - 1);
            for i in 1..n {
                vals.push(r.get::<_, Value>(i).map_err(store.err())?);
            }
            // Hive's name for a missing partition value.
            let key = date
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| "__HIVE_DEFAULT_PARTITION__".into());
            by_date.entry(key).or_default().push(vals);
            total += 1;
        }
        for (date, rows) in &by_date {
            let dir = out.join(t.name).join(format!("date={date}"));
            std::fs::create_dir_all(&dir).map_err(|e| perr(&dir, e))?;
            write_file(&dir.join("part-0.parquet"), t, rows)?;
        }
        counts.push((t.name, total));
    }
    Ok(counts)
}

fn write_file(path: &Path, t: &Table, rows: &[Vec<Value>]) -> Result<(), StoreError> {
    let fields: Vec<String> = t
        .cols
        .iter()
        .map(|(name, c)| match c {
            Col::Text => format!("OPTIONAL BYTE_ARRAY {name} (UTF8);"),
            Col::Int => format!("OPTIONAL INT64 {name};"),
            Col::Real => format!("OPTIONAL DOUBLE {name};"),
        })
        .collect();
    let schema = Arc::new(
        parse_message_type(&format!("message {} {{ {} }}", t.name, fields.join(" "))).map_err(|e| perr(path, e))?,
    );
    let file = File::create(path).map_err(|e| perr(path, e))?;
    let props = Arc::new(WriterProperties::builder().build());
    let mut writer = SerializedFileWriter::new(file, schema, props).map_err(|e| perr(path, e))?;
    let mut rg = writer.next_row_group().map_err(|e| perr(path, e))?;
    for (ci, (_, kind)) in t.cols.iter().enumerate() {
        let mut col = rg
            .next_column()
            .map_err(|e| perr(path, e))?
            .ok_or_else(|| perr(path, "schema and columns disagree"))?;
        let defs: Vec<i16> = rows.iter().map(|r| i16::from(!matches!(r[ci], Value::Null))).collect();
        match kind {
            Col::Text => {
                let vals: Vec<ByteArray> = rows
                    .iter()
                    .filter_map(|r| match &r[ci] {
                        Value::Text(s) => Some(ByteArray::from(s.as_str())),
                        Value::Integer(i) => Some(ByteArray::from(i.to_string().as_str())),
                        Value::Real(f) => Some(ByteArray::from(f.to_string().as_str())),
                        Value::Blob(b) => Some(ByteArray::from(b.clone())),
                        Value::Null => None,
                    })
                    .collect();
                col.typed::<ByteArrayType>()
                    .write_batch(&vals, Some(&defs), None)
                    .map_err(|e| perr(path, e))?;
            }
            Col::Int => {
                let vals: Vec<i64> = rows
                    .iter()
                    .filter_map(|r| match &r[ci] {
                        Value::Integer(i) => Some(*i),
                        Value::Real(f) => Some(*f as i64),
                        Value::Text(s) => Some(s.parse().unwrap_or(0)),
                        _ => None,
                    })
                    .collect();
                col.typed::<Int64Type>()
                    .write_batch(&vals, Some(&defs), None)
                    .map_err(|e| perr(path, e))?;
            }
            Col::Real => {
                let vals: Vec<f64> = rows
                    .iter()
                    .filter_map(|r| match &r[ci] {
                        Value::Real(f) => Some(*f),
                        Value::Integer(i) => Some(*i as f64),
                        Value::Text(s) => Some(s.parse().unwrap_or(0.0)),
                        _ => None,
                    })
                    .collect();
                col.typed::<DoubleType>()
                    .write_batch(&vals, Some(&defs), None)
                    .map_err(|e| perr(path, e))?;
            }
        }
        col.close().map_err(|e| perr(path, e))?;
    }
    rg.close().map_err(|e| perr(path, e))?;
    writer.close().map_err(|e| perr(path, e))?;
    Ok(())
}
