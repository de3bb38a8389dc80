//! API tests against a server on an ephemeral loopback port over a store ingested from tests/fixtures.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

#[test]
fn stats_and_documents() {
    let s = shared();
    let st = get_json(s.addr, "/v1/stats");
    assert_eq!(st["documents"], 5, "{st}");
    assert!(st["events"].as_u64().unwrap() >= 2, "{st}");
    assert!(st["dict_version"].is_string());

    let page = get_json(s.addr, "/v1/documents?limit=2");
    assert_eq!(page["total"], 5);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let page2 = get_json(s.addr, "/v1/documents?limit=2&offset=4");
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);
    let dated = get_json(s.addr, "/v1/documents?from=2019-01-01&to=2019-12-31");
    assert_eq!(dated["total"], 1);
    assert_eq!(dated["items"][0]["id"], "wire-minsk.txt");

    // The record comes with its annotations; spans are code points into `text`.
    let rec = get_json(s.addr, "/v1/documents/wire-minsk.txt");
    assert_eq!(rec["id"], "wire-minsk.txt");
    let text: Vec<char> = rec["text"].as_str().unwrap().chars().collect();
    let ev = &rec["events"][0];
    assert_eq!(ev["source"]["actor"], "BLRGOV");
    let (a, b) = (
        ev["evidence"]["start"].as_u64().unwrap() as usize,
        ev["evidence"]["end"].as_u64().unwrap() as usize,
    );
    assert!(text[a..b].iter().collect::<String>().contains("meeting"));
    assert!(!rec["quotes"].as_array().unwrap().is_empty());
    assert!(!rec["entities"].as_array().unwrap().is_empty());

    let m = expect_error(&get(s.addr, "/v1/documents/no-such-doc"), 404);
    assert!(m.contains("no-such-doc"));
    expect_error(&get(s.addr, "/v1/documents?from=March"), 400);
    expect_error(&get(s.addr, "/v1/documents?limit=0"), 400);
    expect_error(&get(s.addr, "/v1/documents?limit=ten"), 400);
}

#[test]
fn events_filters_and_pagination() {
    let s = shared();
    let all = get_json(s.addr, "/v1/events");
    let n = all["total"].as_i64().unwrap();
    assert!(n >= 2, "{all}");
    assert_eq!(all["items"].as_array().unwrap().len() as i64, n);
    // Pages partition the list.
    let mut ids = Vec::new();
    for off in 0..n {
        let p = get_json(s.addr, &format!("/v1/events?limit=1&offset={off}"));
        assert_eq!(p["total"], n);
        ids.push(p["items"][0]["id"].clone());
    }
    let want: Vec<Value> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].clone())
        .collect();
    assert_eq!(ids, want);

    let blr = get_json(s.addr, "/v1/events?source=blr&target=RUS");
    assert_eq!(blr["total"], 1);
    let e = &blr["items"][0];
    assert_eq!(
        (e["source"].as_str(), e["target"].as_str()),
        (Some("BLRGOV"), Some("RUSGOV"))
    );
    assert_eq!(e["doc_id"], "wire-minsk.txt");
    assert_eq!(e["code"], "040");
    assert_eq!(e["quad_class"], 1);
    assert!(e["evidence_end"].as_i64() > e["evidence_start"].as_i64());
    // Directed by default; both directions on request.
    assert_eq!(get_json(s.addr, "/v1/events?source=RUS&target=BLR")["total"], 0);
    assert_eq!(
        get_json(s.addr, "/v1/events?source=RUS&target=BLR&both_directions=true")["total"],
        1
    );
    assert_eq!(get_json(s.addr, "/v1/events?code=04&source=BLR")["total"], 1);
    assert_eq!(get_json(s.addr, "/v1/events?code=19&source=BLR")["total"], 0);
    assert_eq!(
        get_json(s.addr, "/v1/events?from=2023-01-01")["items"][0]["source"],
        "UKR"
    );
    assert_eq!(get_json(s.addr, "/v1/events?doc=page-kyiv.html")["total"], 1);

    for bad in [
        "/v1/events?source=RUS%25",
        "/v1/events?source=RUS'%20OR%201=1--",
        "/v1/events?code=abc",
        "/v1/events?from=2019-3-1",
        "/v1/events?limit=5000",
        "/v1/events?by=fortnight&period=2019-03",
        "/v1/events?by=month&period=2019-W09",
        "/v1/events?both_directions=perhaps",
        "/v1/events?offset=-1",
    ] {
        expect_error(&get(s.addr, bad), 400);
    }
}

#[test]
fn timeline_periods_select_the_same_events_as_the_event_filter() {
    let s = shared();
    for by in ["day", "week", "month", "year"] {
        let tl = get_json(s.addr, &format!("/v1/timeline?a=blr&b=rus&by={by}"));
        assert_eq!(tl["a"], "BLR");
        let rows = tl["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{tl}");
        let r = &rows[0];
        assert_eq!(r["verbal_cooperation"], 1);
        assert_eq!(r["goldstein_mean"], 1.0);
        let p = r["period"].as_str().unwrap();
        let ev = get_json(
            s.addr,
            &format!("/v1/events?source=BLR&target=RUS&both_directions=true&by={by}&period={p}"),
        );
        assert_eq!(ev["total"], r["events"], "{by} {p}");
    }
    assert_eq!(
        get_json(s.addr, "/v1/timeline?a=BLR&b=RUS&by=week")["rows"][0]["period"],
        "2019-W08",
        "SQLite %W: weeks start on Monday; Sunday 2019-03-03 is in week 08"
    );
    // Directed: RUS -> BLR has nothing.
    assert!(get_json(s.addr, "/v1/timeline?a=RUS&b=BLR&directed=true")["rows"]
        .as_array()
        .unwrap()
        .is_empty());
    expect_error(&get(s.addr, "/v1/timeline?a=RUS"), 400);
    expect_error(&get(s.addr, "/v1/timeline?a=RUS&b=C%20N"), 400);
    expect_error(&get(s.addr, "/v1/timeline?a=RUS&b=CHN&by=decade"), 400);

    let dy = get_json(s.addr, "/v1/dyads");
    let pairs: Vec<(String, String)> = dy["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["a"].as_str().unwrap().into(), d["b"].as_str().unwrap().into()))
        .collect();
    assert!(pairs.contains(&("BLR".into(), "RUS".into())), "{pairs:?}");
    assert!(pairs.contains(&("POL".into(), "UKR".into())), "{pairs:?}");
}

#[test]
fn search_quotes_actors_places() {
    let s = shared();
    let r = get_json(s.addr, "/v1/search?q=grain%20transit");
    assert_eq!(r["hits"][0]["doc_id"], "page-kyiv.html");
    assert!(r["hits"][0]["snippet"].as_str().unwrap().contains('['));
    assert!(get_json(s.addr, "/v1/search?q=%22integration%20talks%22")["hits"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["doc_id"] == "wire-minsk.txt"));
    expect_error(&get(s.addr, "/v1/search"), 400);
    expect_error(&get(s.addr, "/v1/search?q=%22%22"), 400);
    // Query syntax is never SQL or FTS syntax.
    let inj = get(
        s.addr,
        &format!("/v1/search?q={}", enc("x'); DROP TABLE documents; -- NEAR(a b) *")),
    );
    assert!(inj.status == 200 || inj.status == 400, "{}", inj.text());
    assert_eq!(get_json(s.addr, "/v1/stats")["documents"], 5);

    let q = get_json(s.addr, "/v1/quotes?speaker=Lukashenko");
    let items = q["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{q}");
    assert!(items.iter().all(|i| i["doc_id"] == "wire-minsk.txt"));

    let actors = get_json(s.addr, "/v1/actors?q=BLR");
    assert!(actors["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["code"] == "BLRGOV"));
    let by_name = get_json(s.addr, "/v1/actors?q=Lukashenko");
    assert_eq!(by_name["items"][0]["code"], "BLRGOV", "{by_name}");

    let a = get_json(s.addr, "/v1/actors/blrgov");
    assert_eq!(a["code"], "BLRGOV");
    assert_eq!(a["as_source"], 1);
    assert!(
        a["names"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["name"] == "Alexander Lukashenko"),
        "{a}"
    );
    let offices = a["offices"].as_array().unwrap();
    assert!(
        offices
            .iter()
            .any(|o| o["person"] == "Alexander Lukashenko" && o["under_this_code"] == true && o["start"].is_string()),
        "{a}"
    );
    assert_eq!(a["partners"][0]["code"], "RUSGOV");
    assert_eq!(
        (
            a["partners"][0]["as_source"].as_i64(),
            a["partners"][0]["as_target"].as_i64()
        ),
        (Some(1), Some(0))
    );
    expect_error(&get(s.addr, "/v1/actors/ZZZ"), 404);
    expect_error(&get(s.addr, "/v1/actors/R%25S"), 400);

    // Places of events (red on the map) and places mentioned (blue).
    let p = get_json(s.addr, "/v1/places");
    let items = p["items"].as_array().unwrap();
    let kyiv = &items[0];
    assert_eq!(
        (kyiv["name"].as_str(), kyiv["country"].as_str()),
        (Some("Kyiv"), Some("UKR")),
        "{p}"
    );
    assert_eq!(
        (kyiv["events"].as_i64(), kyiv["documents"].as_i64()),
        (Some(2), Some(1))
    );
    assert!(kyiv["lat"].is_f64() && kyiv["lon"].is_f64());
    let minsk = items.iter().find(|x| x["name"] == "Minsk").expect("the dateline place");
    assert_eq!(
        (minsk["events"].as_i64(), minsk["documents"].as_i64()),
        (Some(0), Some(1))
    );
    let blr = get_json(s.addr, "/v1/places?actor=BLR");
    assert_eq!(blr["items"].as_array().unwrap().len(), 1, "{blr}");
    assert_eq!(blr["items"][0]["name"], "Sochi");
    assert_eq!(get_json(s.addr, "/v1/places?actor=UKR")["items"][0]["name"], "Kyiv");
    assert_eq!(
        get_json(s.addr, "/v1/places?limit=1")["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(get_json(s.addr, "/v1/events?place=Kyiv")["total"].as_i64().unwrap() >= 1);
}

#[test]
fn code_endpoint_codes_without_storing() {
    let s = shared();
    let before = get_json(s.addr, "/v1/stats")["documents"].clone();
    let body =
        json!({"id": "c1", "date": "2017-11-01", "text": "Russia and China signed a trade agreement on Tuesday."});
    let r = request(
        s.addr,
        "POST",
        "/v1/code",
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let rec = &v["records"][0];
    assert_eq!(rec["id"], "c1");
    assert_eq!(rec["annalist"]["format"], "annalist-json-v1");
    assert!(
        rec["events"].as_array().unwrap().iter().any(|e| e["code"] == "057"),
        "{rec}"
    );
    assert_eq!(get_json(s.addr, "/v1/stats")["documents"], before);
    expect_error(&get(s.addr, "/v1/documents/c1"), 404);

    // Plain text, named by ?id=; an array with one bad element keeps the good one.
    let r = request(
        s.addr,
        "POST",
        "/v1/code?id=note.txt",
        &[("Content-Type", "text/plain; charset=utf-8")],
        b"Talks open\n\nThe talks opened in Minsk.",
    );
    assert_eq!(r.json()["records"][0]["id"], "note.txt");
    let r = request(
        s.addr,
        "POST",
        "/v1/code",
        &[("Content-Type", "application/json")],
        br#"[{"text": "Iran condemned Israel."}, {"title": "no text"}]"#,
    );
    let v = r.json();
    assert_eq!(v["records"].as_array().unwrap().len(), 1);
    assert_eq!(v["errors"][0]["index"], 1);
    assert!(v["records"][0]["id"].as_str().unwrap().starts_with("posted-"));

    // The caller's mistakes.
    expect_error(&request(s.addr, "POST", "/v1/code", &[], b"text"), 415);
    expect_error(
        &request(
            s.addr,
            "POST",
            "/v1/code",
            &[("Content-Type", "application/xml")],
            b"<a/>",
        ),
        415,
    );
    expect_error(
        &request(
            s.addr,
            "POST",
            "/v1/code",
            &[("Content-Type", "application/json")],
            b"{\"text\":",
        ),
        400,
    );
    expect_error(
        &request(
            s.addr,
            "POST",
            "/v1/code",
            &[("Content-Type", "application/json")],
            b"[]",
        ),
        400,
    );
    expect_error(
        &request(
            s.addr,
            "POST",
            "/v1/code",
            &[("Content-Type", "application/json")],
            br#"{"text": "  "}"#,
        ),
        422,
    );
    expect_error(
        &request(
            s.addr,
            "POST",
            "/v1/code",
            &[("Content-Type", "text/plain")],
            &[0xc3, 0x28],
        ),
        400,
    );
    // Over the limit (1 MiB for this server).
    let big = vec![b'a'; (1 << 20) + 10];
    let m = expect_error(
        &request(s.addr, "POST", "/v1/code", &[("Content-Type", "text/plain")], &big),
        413,
    );
    assert!(m.contains("limit"));
}

#[test]
fn routes_errors_and_the_loopback_host_check() {
    let s = shared();
    expect_error(&get(s.addr, "/v1/nothing"), 404);
    expect_error(&get(s.addr, "/nothing"), 404);
    expect_error(&request(s.addr, "DELETE", "/v1/events", &[], b""), 405);
    expect_error(&request(s.addr, "GET", "/v1/code", &[], b""), 405);
    // A page elsewhere that rebinds its name to 127.0.0.1 sends its own Host: refused.
    expect_error(
        &request(s.addr, "GET", "/v1/stats", &[("Host", "evil.example:8080")], b""),
        403,
    );
    assert_eq!(
        request(s.addr, "GET", "/v1/stats", &[("Host", "localhost:8080")], b"").status,
        200
    );
    let r = get(s.addr, "/v1/stats");
    assert!(r
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'self'"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(r.header("cache-control"), Some("no-store"));

    // The dashboard and its assets are embedded.
    let index = get(s.addr, "/");
    assert_eq!(index.status, 200);
    assert!(index.header("content-type").unwrap().starts_with("text/html"));
    assert!(index.text().contains("/assets/app.js"));
    for (path, ct) in [
        ("/assets/app.js", "text/javascript"),
        ("/assets/style.css", "text/css"),
        ("/assets/countries-110m.json", "application/json"),
        ("/assets/favicon.svg", "image/svg+xml"),
    ] {
        let r = get(s.addr, path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.header("content-type").unwrap().starts_with(ct), "{path}");
        assert!(r.body.len() > 100, "{path}");
    }
    expect_error(&get(s.addr, "/assets/..%2Fsrc%2Flib.rs"), 404);
}

#[test]
fn ingest_needs_the_token_and_is_idempotent() {
    let dir = scratch("ingest");
    let s = start(&dir.join("a.db"), Some(TOKEN), 1 << 20);
    let doc = json!({"id": "api/ingested 1", "date": "2020-05-05", "title": "Talks",
                     "text": "Talks\n\nIran condemned Israel on Tuesday."});
    let body = doc.to_string();
    let ct = ("Content-Type", "application/json");
    let m = expect_error(&request(s.addr, "POST", "/v1/documents", &[ct], body.as_bytes()), 401);
    assert!(m.contains("Bearer"));
    let r = request(
        s.addr,
        "POST",
        "/v1/documents",
        &[ct, ("Authorization", "Bearer wrong")],
        body.as_bytes(),
    );
    expect_error(&r, 401);
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    let auth = format!("Bearer {TOKEN}");
    let r = request(
        s.addr,
        "POST",
        "/v1/documents",
        &[ct, ("Authorization", &auth)],
        body.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let v = r.json();
    assert_eq!(v["inserted"], 1);
    assert_eq!(v["documents"][0]["id"], "api/ingested 1");
    // Ids with slashes and spaces, percent-encoded or not.
    let rec = get_json(s.addr, &format!("/v1/documents/{}", enc("api/ingested 1")));
    assert_eq!(rec["title"], "Talks");
    assert_eq!(
        get_json(s.addr, "/v1/documents/api/ingested%201")["id"],
        "api/ingested 1"
    );
    // Again: unchanged, 200.
    let r = request(
        s.addr,
        "POST",
        "/v1/documents",
        &[ct, ("Authorization", &auth)],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["unchanged"], 1);
}

#[test]
fn writes_are_refused_without_a_configured_token() {
    let dir = scratch("notoken");
    let s = start(&dir.join("a.db"), None, 1 << 20);
    let m = expect_error(
        &request(
            s.addr,
            "POST",
            "/v1/documents",
            &[("Content-Type", "text/plain"), ("Authorization", "Bearer x")],
            b"Some text.",
        ),
        403,
    );
    assert!(m.contains("--token"));
    // Reads work on the new, empty store.
    assert_eq!(get_json(s.addr, "/v1/stats")["documents"], 0);
    assert!(get_json(s.addr, "/v1/dyads")["items"].as_array().unwrap().is_empty());
    assert!(get_json(s.addr, "/v1/timeline?a=RUS&b=CHN")["rows"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn off_loopback_needs_a_token() {
    let dir = scratch("offloop");
    let config = annalist_server::ServerConfig {
        db: dir.join("a.db"),
        addr: "0.0.0.0:0".parse().unwrap(),
        token: None,
        max_body: 1024,
    };
    let e = annalist_server::AppState::open(&config).err().expect("refused");
    assert!(e.to_string().contains("token"), "{e}");
}

#[test]
fn reads_go_on_while_an_ingest_runs() {
    let dir = scratch("concurrent");
    let db = dir.join("a.db");
    ingest(&db, &example_paths(false));
    let s = start(&db, Some(TOKEN), 64 << 20);
    let text = std::fs::read_to_string(repo_root().join("tests/fixtures/wire-minsk.txt")).unwrap();
    let docs: Vec<Value> = (0..600)
        .map(|i| json!({"id": format!("bulk-{i}"), "date": "2019-03-04", "text": format!("{text}\n\nUpdate {i}.")}))
        .collect();
    let body = serde_json::to_vec(&docs).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let addr = s.addr;
    let writer = {
        let done = done.clone();
        std::thread::spawn(move || {
            let auth = format!("Bearer {TOKEN}");
            let r = request(
                addr,
                "POST",
                "/v1/documents",
                &[("Content-Type", "application/json"), ("Authorization", &auth)],
                &body,
            );
            done.store(true, Ordering::SeqCst);
            r
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    let mut during = 0;
    let mut slowest = Duration::ZERO;
    while !done.load(Ordering::SeqCst) {
        for path in ["/v1/stats", "/v1/timeline?a=BLR&b=RUS", "/v1/events?limit=5"] {
            let t = Instant::now();
            let r = get(addr, path);
            assert_eq!(r.status, 200, "{path}: {}", r.text());
            slowest = slowest.max(t.elapsed());
        }
        if !done.load(Ordering::SeqCst) {
            during += 1;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let r = writer.join().unwrap();
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["inserted"], 600);
    assert!(during >= 3, "only {during} rounds of reads finished during the ingest");
    assert!(
        slowest < Duration::from_secs(3),
        "a read took {slowest:?} during the ingest"
    );
    assert_eq!(get_json(addr, "/v1/stats")["documents"], 605);
}
