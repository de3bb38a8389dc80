//! Keeps `/v1/openapi.json` in sync with the server: it describes exactly the routes the router serves
//! (`annalist_server::ROUTES`), and every documented operation, called with the documented examples,
//! answers with JSON that fits the documented schema: required fields present, types right, and no
//! field the description does not name (unless a schema says `additionalProperties: true`).

mod common;

use std::collections::BTreeSet;

use common::*;
use serde_json::Value;

fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let mut cur = doc;
            for part in r.trim_start_matches("#/").split('/') {
                cur = &cur[part];
            }
            assert!(!cur.is_null(), "dangling $ref {r}");
            resolve(doc, cur)
        }
        None => v,
    }
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        "null" => v.is_null(),
        other => panic!("unknown type {other}"),
    }
}

/// Checks `v` against `schema`; returns the first mismatch with its JSON path.
fn check(doc: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema);
    if let Some(alts) = schema.get("oneOf").and_then(Value::as_array) {
        return if alts.iter().any(|a| check(doc, a, v, at).is_ok()) {
            Ok(())
        } else {
            Err(format!("{at}: fits no alternative"))
        };
    }
    match schema.get("type") {
        Some(Value::String(t)) if !type_ok(t, v) => return Err(format!("{at}: {v} is not {t}")),
        Some(Value::Array(ts)) if !ts.iter().any(|t| type_ok(t.as_str().unwrap(), v)) => {
            return Err(format!("{at}: {v} is none of {ts:?}"))
        }
        _ => {}
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(v) {
            return Err(format!("{at}: {v} not in {allowed:?}"));
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(doc, items, x, &format!("{at}[{i}]"))?;
        }
    }
    if let Some(obj) = v.as_object() {
        for r in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            let r = r.as_str().unwrap();
            if !obj.contains_key(r) {
                return Err(format!("{at}: missing required field {r:?}"));
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            let open = schema.get("additionalProperties") == Some(&Value::Bool(true));
            for (k, x) in obj {
                match props.get(k) {
                    Some(p) => check(doc, p, x, &format!("{at}.{k}"))?,
                    None if open => {}
                    None => return Err(format!("{at}: field {k:?} is not in the description")),
                }
            }
        }
    }
    Ok(())
}

fn openapi(addr: std::net::SocketAddr) -> Value {
    get_json(addr, "/v1/openapi.json")
}

#[test]
fn the_description_names_exactly_the_routes_served() {
    let s = shared();
    let doc = openapi(s.addr);
    assert_eq!(doc["openapi"], "3.1.0");
    let mut described = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            described.insert((method.to_uppercase(), path.clone()));
        }
    }
    let served: BTreeSet<(String, String)> = annalist_server::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(described, served, "openapi.json and ROUTES differ");
    // And each route answers (not the 404/405 fallbacks) for its method.
    for (m, p) in &served {
        let url = p.replace("{id}", "wire-minsk.txt").replace("{code}", "BLRGOV");
        let r = request(s.addr, m, &url, &[("Content-Type", "application/json")], b"{}");
        assert!(![404, 405].contains(&r.status), "{m} {url} -> {}", r.status);
    }
    // Every $ref resolves and every schema is used.
    let text = doc.to_string();
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        assert!(
            text.contains(&format!("\"#/components/schemas/{name}\"")),
            "schema {name} is never used"
        );
    }
}

fn example_url(doc: &Value, path: &str, op: &Value) -> String {
    let mut url = path.to_string();
    let mut query = Vec::new();
    for p in op["parameters"].as_array().unwrap() {
        let p = resolve(doc, p);
        let name = p["name"].as_str().unwrap();
        match (p["in"].as_str().unwrap(), p.get("example")) {
            ("path", Some(ex)) => url = url.replace(&format!("{{{name}}}"), &enc(ex.as_str().unwrap())),
            ("path", None) => panic!("{path}: path parameter {name} has no example"),
            ("query", Some(ex)) => query.push(format!("{name}={}", enc(ex.as_str().unwrap()))),
            ("query", None) if p["required"] == true => panic!("{path}: required {name} has no example"),
            _ => {}
        }
    }
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.join("&"));
    }
    url
}

#[test]
fn every_get_answers_as_described() {
    let s = shared();
    let doc = openapi(s.addr);
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(op) = item.get("get") else { continue };
        let url = example_url(&doc, path, op);
        let r = get(s.addr, &url);
        assert_eq!(r.status, 200, "GET {url}: {}", r.text());
        let schema = &resolve(&doc, &op["responses"]["200"])["content"]["application/json"]["schema"];
        let body = r.json();
        check(&doc, schema, &body, &format!("GET {url}")).unwrap();
        // The examples select something, so the item schemas are exercised too.
        if let Some(items) = body.get("items").and_then(Value::as_array) {
            assert!(!items.is_empty(), "GET {url}: the example selects nothing");
        }
    }
    // Errors have the documented shape.
    let err_schema = &doc["components"]["schemas"]["Error"];
    for (url, status) in [("/v1/documents/none", 404), ("/v1/events?limit=0", 400), ("/v1/x", 404)] {
        let r = get(s.addr, url);
        assert_eq!(r.status, status, "{url}");
        check(&doc, err_schema, &r.json(), url).unwrap();
    }
}

#[test]
fn every_post_answers_as_described() {
    let dir = scratch("openapi-post");
    let db = dir.join("a.db");
    ingest(&db, &example_paths(false));
    let s = start(&db, Some(TOKEN), 1 << 20);
    let doc = openapi(s.addr);
    let auth = format!("Bearer {TOKEN}");
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(op) = item.get("post") else { continue };
        let body = &op["requestBody"]["content"]["application/json"]["example"];
        assert!(body.is_object(), "{path}: no JSON example");
        let mut headers = vec![("Content-Type", "application/json")];
        if op.get("security").is_some() {
            headers.push(("Authorization", auth.as_str()));
        }
        let r = request(s.addr, "POST", path, &headers, body.to_string().as_bytes());
        let status = r.status.to_string();
        let resp = resolve(&doc, &op["responses"][&status]);
        assert!(
            resp.is_object(),
            "POST {path}: status {status} is not described: {}",
            r.text()
        );
        check(&doc, &resp["content"]["application/json"]["schema"], &r.json(), path).unwrap();
        assert!(r.status < 300, "POST {path}: {}", r.text());
        if op.get("security").is_some() {
            let r = request(s.addr, "POST", path, &headers[..1], body.to_string().as_bytes());
            assert_eq!(r.status, 401);
            assert!(op["responses"]["401"].is_object());
        }
    }
}
