//! Posted documents: the request body, by content type, into `Document`s.
//!
//! - `application/json`: one object in the JSON Lines document shape (`{"id"?, "text", "title"?,
//!   "date"?, "url"?, "source"?, …}`) or an array of them;
//! - `application/x-ndjson` (also `application/jsonl`): one such object a line;
//! - `text/plain`: one plain-text or wire document; `text/html`: one HTML page (`?id=` names either).
//!
//! A document without an id gets `posted-` and a hash of its text, so posting it again is idempotent.

use annalist_core::Document;
use annalist_ingest::{jsonl, read_str, InputFormat, Location};
use serde_json::Value;

use crate::error::ApiError;

/// Most documents in one request.
pub const MAX_DOCS: usize = 10_000;

/// A posted document, or why it could not be read (the caller's mistake, reported per document).
pub type Posted = Result<Document, String>;

fn hash_id(text: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in text.as_bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("posted-{h:016x}")
}

fn from_value(v: Value, at: &Location) -> Posted {
    let Value::Object(mut map) = v else {
        return Err(format!("{at}: a document must be a JSON object with a \"text\" field"));
    };
    if !map.contains_key("id") {
        if let Some(Value::String(t)) = map.get("text") {
            let id = hash_id(t);
            map.insert("id".into(), Value::String(id));
        }
    }
    let line = serde_json::to_string(&Value::Object(map)).map_err(|e| e.to_string())?;
    jsonl::parse_line(&line, at).map_err(|e| e.to_string())
}

/// Reads the body. Errors that concern the whole request (no or unknown content type, not UTF-8, not
/// JSON, no documents) are returned; errors of single documents are kept in the list.
pub fn parse(content_type: Option<&str>, id: Option<&str>, body: &[u8]) -> Result<Vec<Posted>, ApiError> {
    let media = content_type
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let text = std::str::from_utf8(body).map_err(|e| {
        ApiError::bad_request(format!(
            "the body is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    if text.trim().is_empty() {
        return Err(ApiError::bad_request("the body is empty: post a document"));
    }
    let docs: Vec<Posted> = match media.as_str() {
        "application/json" => {
            let v: Value =
                serde_json::from_str(text).map_err(|e| ApiError::bad_request(format!("the body is not JSON: {e}")))?;
            match v {
                Value::Array(items) => {
                    if items.len() > MAX_DOCS {
                        return Err(too_many(items.len()));
                    }
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| from_value(v, &Location::line("body", i as u64 + 1)))
                        .collect()
                }
                v @ Value::Object(_) => vec![from_value(v, &Location::file("body"))],
                _ => {
                    return Err(ApiError::bad_request(
                        "post a JSON object {\"text\": …} or an array of them",
                    ))
                }
            }
        }
        "application/x-ndjson" | "application/jsonl" | "application/x-jsonlines" => {
            let lines: Vec<(usize, &str)> = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).collect();
            if lines.len() > MAX_DOCS {
                return Err(too_many(lines.len()));
            }
            lines
                .into_iter()
                .map(|(i, l)| {
                    let at = Location::line("body", i as u64 + 1);
                    match serde_json::from_str::<Value>(l) {
                        Ok(v) => from_value(v, &at),
                        Err(e) => Err(format!("{at}: malformed JSON: {e}")),
                    }
                })
                .collect()
        }
        "text/plain" | "text/html" => {
            let id = match id {
                Some(i) if !i.trim().is_empty() => i.trim().to_string(),
                _ => hash_id(text),
            };
            let format = if media == "text/html" {
                InputFormat::Html
            } else {
                InputFormat::Text
            };
            vec![read_str(text, &id, format).map_err(|e| e.to_string())]
        }
        "" => {
            return Err(ApiError {
                status: axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                code: "unsupported_media_type",
                message: "no Content-Type: use application/json, application/x-ndjson, text/plain or text/html".into(),
            })
        }
        other => {
            return Err(ApiError {
                status: axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                code: "unsupported_media_type",
                message: format!(
                "Content-Type {other} is not read: use application/json, application/x-ndjson, text/plain or text/html"
            ),
            })
        }
    };
    if docs.is_empty() {
        return Err(ApiError::bad_request("no documents in the body"));
    }
    Ok(docs)
}

fn too_many(n: usize) -> ApiError {
    ApiError::bad_request(format!(
        "{n} documents in one request; post at most {MAX_DOCS} at a time"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_object_without_id_gets_a_content_hash_id() {
        let a = parse(Some("application/json"), None, br#"{"text":"Russia met China."}"#).unwrap();
        let b = parse(
            Some("application/json; charset=utf-8"),
            None,
            br#"{"text":"Russia met China."}"#,
        )
        .unwrap();
        let (a, b) = (a[0].as_ref().unwrap(), b[0].as_ref().unwrap());
        assert!(a.id.starts_with("posted-"));
        assert_eq!(a.id, b.id);
    }

    #[test]
    fn per_document_errors_are_kept_and_request_errors_returned() {
        let docs = parse(
            Some("application/x-ndjson"),
            None,
            b"{\"id\":\"a\",\"text\":\"One.\"}\n{\"id\":\"b\"}\nnot json\n",
        )
        .unwrap();
        assert_eq!(docs.len(), 3);
        assert!(docs[0].is_ok());
        assert!(docs[1].as_ref().unwrap_err().contains("text"));
        assert!(docs[2].as_ref().unwrap_err().contains("body:3"));
        assert_eq!(parse(None, None, b"x").unwrap_err().status.as_u16(), 415);
        assert_eq!(
            parse(Some("application/json"), None, b"[1")
                .unwrap_err()
                .status
                .as_u16(),
            400
        );
        assert_eq!(parse(Some("text/plain"), None, b"  ").unwrap_err().status.as_u16(), 400);
        assert_eq!(
            parse(Some("text/plain"), None, &[0xff, 0xfe])
                .unwrap_err()
                .status
                .as_u16(),
            400
        );
    }

    #[test]
    fn text_takes_the_id_from_the_query() {
        let d = parse(Some("text/plain"), Some("note-1"), b"Talks open\n\nThe talks opened.").unwrap();
        assert_eq!(d[0].as_ref().unwrap().id, "note-1");
    }
}
