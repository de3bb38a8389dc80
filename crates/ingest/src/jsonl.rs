//! JSON Lines: one document a line, `{"id","text","title"?,"date"?,"url"?,"source"?}`; other fields are
//! kept in [`Document::extra`]. Offsets point into the `text` field.

use annalist_core::{Dateline, Document, Origin, Region, RegionKind, Span};
use serde_json::Value;

use crate::dateline::parse_opening;
use crate::error::{IngestError, Location};
use crate::wire::trim_range;

fn string_field(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Parses one JSON line into a document.
pub fn parse_line(line: &str, at: &Location) -> Result<Document, IngestError> {
    let value: Value = serde_json::from_str(line).map_err(|e| IngestError::Json {
        at: at.clone(),
        message: e.to_string(),
    })?;
    let Value::Object(mut map) = value else {
        return Err(IngestError::Field {
            at: at.clone(),
            message: "a JSON line must be an object with a \"text\" field".into(),
        });
    };
    let text = match map.remove("text") {
        Some(Value::String(s)) => s,
        Some(_) => {
            return Err(IngestError::Field {
                at: at.clone(),
                message: "field \"text\" must be a string".into(),
            })
        }
        None => {
            return Err(IngestError::Field {
                at: at.clone(),
                message: "missing field \"text\"".into(),
            })
        }
    };
    if text.trim().is_empty() {
        return Err(IngestError::Empty { at: at.clone() });
    }
    let id = map
        .remove("id")
        .as_ref()
        .and_then(string_field)
        .unwrap_or_else(|| at.to_string());
    let mut doc = Document::new(id, text);
    doc.format = "jsonl".into();
    doc.origin = Origin {
        path: at.path.clone(),
        line: at.line,
    };
    doc.title = map.remove("title").as_ref().and_then(string_field);
    doc.url = map.remove("url").as_ref().and_then(string_field);
    doc.source = map.remove("source").as_ref().and_then(string_field);
    doc.section = map.remove("section").as_ref().and_then(string_field);
    doc.author = map.remove("author").as_ref().and_then(string_field);
    if let Some(d) = map.remove("date").as_ref().and_then(string_field) {
        doc.date = crate::dates::date_part(&d);
        doc.published = Some(d);
    }
    doc.extra = map;
    regions(&mut doc);
    Ok(doc)
}

/// Headline (when the text opens with the title), dateline opening, body.
fn regions(doc: &mut Document) {
    let text = doc.text.clone();
    let (s, e) = trim_range(&text, (0, text.len()));
    let mut body_start = s;
    if let Some(title) = doc.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if text[s..].starts_with(title) {
            let te = s + title.len();
            doc.title_span = Some(Span::new(s, te));
            doc.regions.push(Region {
                kind: RegionKind::Headline,
                span: Span::new(s, te),
            });
            body_start = trim_range(&text, (te, e)).0;
        }
    }
    if let Some(o) = parse_opening(&text[body_start..e]) {
        doc.dateline = Some(Dateline {
            place: o.place_name.clone(),
            span: Span::new(body_start + o.place.0, body_start + o.place.1),
        });
        if doc.source.is_none() {
            doc.source = o.agency.clone();
        }
        body_start += o.len;
    }
    let (bs, be) = trim_range(&text, (body_start, e));
    if bs < be {
        doc.regions.push(Region {
            kind: RegionKind::Body,
            span: Span::new(bs, be),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_extra() {
        let at = Location::line("in.jsonl", 3);
        let d = parse_line(
            r#"{"id":7,"text":"MOSCOW (Reuters) - Talks began.","date":"2020-01-02T10:00:00Z","lang":"en"}"#,
            &at,
        )
        .unwrap();
        assert_eq!(d.id, "7");
        assert_eq!(d.date.as_deref(), Some("2020-01-02"));
        assert_eq!(d.extra.get("lang").unwrap(), "en");
        assert_eq!(d.dateline.unwrap().place, "Moscow");
        assert_eq!(d.regions.len(), 1);
    }

    #[test]
    fn errors_name_the_line() {
        let at = Location::line("in.jsonl", 9);
        let e = parse_line("{not json", &at).unwrap_err();
        assert!(e.to_string().starts_with("in.jsonl:9: malformed JSON"), "{e}");
        let e = parse_line(r#"{"id":"a"}"#, &at).unwrap_err();
        assert!(e.to_string().contains("missing field \"text\""), "{e}");
        let e = parse_line(r#"[1,2]"#, &at).unwrap_err();
        assert!(e.to_string().contains("must be an object"), "{e}");
    }
}
