//! End-to-end tests of `annalist code`, as a user runs it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn annalist(args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annalist"));
    cmd.args(args)
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    let mut child = cmd.spawn().expect("run annalist");
    if let Some(input) = stdin {
        // The program may exit before reading (a usage error): a closed pipe is not a test failure.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    }
    child.wait_with_output().unwrap()
}

fn records(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON record"))
        .collect()
}

/// Checks the invariants every record must hold: spans inside `text`, ordered, sentences inside regions.
fn check_spans(rec: &Value) {
    let text = rec["text"].as_str().unwrap();
    let n = text.chars().count() as u64;
    let mut last_end = 0;
    for s in rec["sentences"].as_array().unwrap() {
        let (a, b) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
        assert!(a < b && b <= n, "sentence {a}..{b} out of bounds {n}");
        assert!(a >= last_end, "sentences overlap or are out of order");
        last_end = b;
        let in_region = rec["regions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["start"].as_u64().unwrap() <= a && b <= r["end"].as_u64().unwrap());
        assert!(in_region, "sentence {a}..{b} outside every region");
    }
}

fn stamp_placeholder(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if k == "dict_version" {
                    *x = Value::String("<dict_version>".into());
                } else {
                    stamp_placeholder(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(stamp_placeholder),
        _ => {}
    }
}

fn chars(text: &str, start: &Value, end: &Value) -> String {
    let (a, b) = (start.as_u64().unwrap() as usize, end.as_u64().unwrap() as usize);
    text.chars().skip(a).take(b - a).collect()
}

/// Golden files: whole records for the team-written fixtures. `UPDATE_GOLDEN=1` rewrites them; review the
/// diff before committing.
#[test]
fn golden_records() {
    for name in ["wire-minsk.txt", "plain-brussels.txt", "page-kyiv.html", "docs.jsonl"] {
        let path = format!("tests/fixtures/{name}");
        let out = annalist(&["code", &path, "--format", "jsonl"], None);
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let recs = records(&out);
        for r in &recs {
            check_spans(r);
        }
        let mut got = Value::Array(recs);
        // The dictionary stamp changes with every dictionary edit; the golden files hold a placeholder.
        stamp_placeholder(&mut got);
        let golden = repo().join(format!("crates/cli/tests/golden/{name}.json"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&golden, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
            continue;
        }
        let want: Value = serde_json::from_str(
            &std::fs::read_to_string(&golden)
                .unwrap_or_else(|_| panic!("missing {}: run with UPDATE_GOLDEN=1", golden.display())),
        )
        .unwrap();
        assert!(
            got == want,
            "{name}: output differs from {}; run with UPDATE_GOLDEN=1 and review the diff.\n got: {}",
            golden.display(),
            serde_json::to_string_pretty(&got).unwrap()
        );
    }
}

#[test]
fn wire_fixture_metadata_and_boilerplate() {
    let out = annalist(&["code", "tests/fixtures/wire-minsk.txt", "--format", "jsonl"], None);
    let r = &records(&out)[0];
    assert_eq!(r["title"], "Lukashenko and Putin agree to deepen integration talks");
    assert_eq!(r["section"], "Russian Politics & Diplomacy");
    assert_eq!(r["published"], "2019-03-04T10:05:00+03:00");
    assert_eq!(r["source"], "TASS");
    assert_eq!(r["dateline"]["place"], "Minsk");
    let text = r["text"].as_str().unwrap();
    let sents: Vec<String> = r["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| chars(text, &s["start"], &s["end"]))
        .collect();
    // Titles, initials, decimals and acronyms do not split sentences; quotes stay with their speaker.
    assert!(
        sents.contains(&"He added that the talks lasted 4.5 hours.".to_string()),
        "{sents:#?}"
    );
    assert!(sents.contains(&"Gen. Viktor Khrenin and Mr. Sergei Shoigu held separate talks.".to_string()));
    assert!(sents
        .iter()
        .any(|s| s.starts_with("\"We are ready") && s.ends_with("in Sochi on Sunday.")));
    assert!(sents
        .iter()
        .any(|s| s.starts_with("The Kremlin said") && s.contains("U.S. decision")));
    for s in &sents {
        assert!(
            !s.contains("Back to Main page") && !s.contains("/TASS/") && !s.contains("UTC+3"),
            "{s}"
        );
    }
}

/// The reference report in ../shared/examples (read when present, as in CI; never copied here).
#[test]
fn reference_example() {
    let path = repo().join("../shared/examples/tass-2017-11-01-xi-medvedev.txt");
    if !path.exists() {
        eprintln!("skipped: {} not present", path.display());
        return;
    }
    let out = annalist(&["code", path.to_str().unwrap(), "--format", "jsonl"], None);
    assert!(out.status.success());
    let r = &records(&out)[0];
    check_spans(r);
    assert_eq!(
        r["title"],
        "Xi Jinping confirms China plans to boost relations with Russia"
    );
    assert_eq!(r["section"], "World");
    assert_eq!(r["published"], "2017-11-01T15:36:00+03:00");
    assert_eq!(r["date"], "2017-11-01");
    assert_eq!(r["source"], "TASS");
    assert_eq!(r["dateline"]["place"], "Beijing");
    let text = r["text"].as_str().unwrap();
    assert_eq!(chars(text, &r["dateline"]["start"], &r["dateline"]["end"]), "BEIJING");
    assert_eq!(
        r["lead"],
        "Russian Prime Minister Dmitry Medvedev expects Moscow\u{2019}s strategic interaction with Beijing to expand"
    );
    let title = r["title"].as_str().unwrap();
    for r0 in r["regions"].as_array().unwrap() {
        let region = chars(text, &r0["start"], &r0["end"]);
        for boiler in ["Back to Main page", "/TASS/", "UTC+3", "\nWorld\n"] {
            assert!(
                !region.contains(boiler) && !title.contains(boiler),
                "{boiler:?} in {region:?}"
            );
        }
    }
    // 14 sentences: headline, lead, and 12 in the body (counted by hand).
    let sents = r["sentences"].as_array().unwrap();
    assert_eq!(sents.len(), 14);
    let last = sents.last().unwrap();
    assert!(chars(text, &last["start"], &last["end"]).ends_with("Medvedev concluded."));
}

#[test]
fn stdin_jsonl_stream_keeps_order_and_fields() {
    let input = "{\"id\":\"a\",\"text\":\"One. Two.\"}\n{\"id\":\"b\",\"text\":\"Three.\",\"topic\":\"x\"}\n";
    let out = annalist(&["code", "-", "--input", "jsonl", "--format", "jsonl"], Some(input));
    assert!(out.status.success());
    let recs = records(&out);
    assert_eq!(
        recs.iter().map(|r| r["id"].as_str().unwrap()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(recs[0]["sentences"].as_array().unwrap().len(), 2);
    assert_eq!(recs[1]["extra"]["topic"], "x");
}

#[test]
fn bad_documents_are_reported_and_the_rest_is_coded() {
    let dir = std::env::temp_dir().join(format!("annalist-cli-bad-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("a.txt"), "Fine text.").unwrap();
    std::fs::write(dir.join("b.txt"), b"\x7fELF\x00\x00binary").unwrap();
    std::fs::write(dir.join("c.txt"), b"bad \xff utf8").unwrap();
    std::fs::write(dir.join("d.txt"), "").unwrap();
    std::fs::write(dir.join("sub/e.jsonl"), "{\"id\":\"e1\",\"text\":\"Good.\"}\n{oops\n").unwrap();
    let big = format!(
        "{{\"id\":\"big\",\"text\":\"{}\"}}\n{{\"id\":\"after\",\"text\":\"ok\"}}\n",
        "x".repeat(2_000_000)
    );
    std::fs::write(dir.join("sub/f.jsonl"), big).unwrap();
    let out = annalist(
        &[
            "code",
            dir.to_str().unwrap(),
            "--format",
            "jsonl",
            "--max-bytes",
            "1000000",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "a failure must show in the exit code");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("b.txt: looks like a binary file"), "{stderr}");
    assert!(
        stderr.contains("c.txt: not UTF-8 text (invalid byte at line 1"),
        "{stderr}"
    );
    assert!(stderr.contains("d.txt: empty document"), "{stderr}");
    assert!(stderr.contains("e.jsonl:2: malformed JSON"), "{stderr}");
    assert!(
        stderr.contains("f.jsonl:1: document is 2000022 bytes, over the limit"),
        "{stderr}"
    );
    let ids: Vec<String> = records(&out)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(ids[0].ends_with("a.txt"));
    assert_eq!(&ids[1..], ["e1", "after"]);
}

#[test]
fn json_format_is_one_array() {
    let out = annalist(&["code", "tests/fixtures/docs.jsonl", "--format", "json"], None);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
}

/// The reference report coded, with its hand-made expectations; `None` (test skipped) when
/// ../shared/examples is absent.
fn coded_reference_example() -> Option<(Value, Value)> {
    let dir = repo().join("../shared/examples");
    let txt = dir.join("tass-2017-11-01-xi-medvedev.txt");
    let exp = dir.join("tass-2017-11-01-xi-medvedev.expected.json");
    if !txt.exists() || !exp.exists() {
        eprintln!("skipped: reference example not present");
        return None;
    }
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(exp).unwrap()).unwrap();
    let out = annalist(&["code", txt.to_str().unwrap(), "--format", "jsonl"], None);
    Some((records(&out).swap_remove(0), expected))
}

/// Actors of the reference report against its hand-made expectations (persons, organisations, mentions).
#[test]
fn reference_example_actors() {
    let Some((r, expected)) = coded_reference_example() else {
        return;
    };
    let r = &r;
    let actors = r["actors"].as_array().unwrap();
    let find = |name: &str| actors.iter().find(|a| a["name"] == name);
    for p in expected["persons"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        let a = find(name).unwrap_or_else(|| panic!("person {name} not found in {actors:#?}"));
        assert_eq!(a["type"], "PERSON");
        assert_eq!(a["actor"], p["actor_code"], "{name}");
        assert_eq!(a["country"], p["country"], "{name}");
        let mentions: Vec<&str> = a["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["text"].as_str().unwrap())
            .collect();
        for want in p["mentions_include"].as_array().unwrap() {
            let want = want.as_str().unwrap();
            assert!(
                mentions.iter().any(|m| m.eq_ignore_ascii_case(want)),
                "{name}: mention {want:?} missing from {mentions:?}"
            );
        }
    }
    for o in expected["organizations"].as_array().unwrap() {
        let name = o["name"].as_str().unwrap();
        let a = find(name).unwrap_or_else(|| panic!("organisation {name} not found"));
        assert_eq!(a["type"], "ORG", "{name}");
        if let Some(code) = o.get("actor_code") {
            assert_eq!(&a["actor"], code, "{name}");
        }
    }
    // must_not: no person actor for the party or for One Belt One Road.
    for a in actors {
        let n = a["name"].as_str().unwrap();
        if n.contains("Communist Party") || n.contains("Belt") {
            assert_ne!(a["type"], "PERSON", "{n} must not be a person");
        }
    }
    // The pronouns resolve to the right people ("he said" after "The Chinese leader" is Xi).
    let xi = find("Xi Jinping").unwrap();
    let text = r["text"].as_str().unwrap();
    let he_said = text
        .find("\" he said")
        .map(|i| text[..i + 2].chars().count() as u64)
        .unwrap();
    assert!(
        xi["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["start"].as_u64() == Some(he_said)),
        "{xi:#}"
    );
}

#[test]
fn actor_command_explains_by_date() {
    let out = annalist(&["actor", "Medvedev", "--date", "2010-06-01"], None);
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("-> RUSGOV  because President of Russia"), "{s}");
    let out = annalist(&["actor", "Medvedev", "--date", "2017-11-01"], None);
    assert!(String::from_utf8_lossy(&out.stdout).contains("because Prime Minister of Russia"));
    let out = annalist(&["actor", "Nobody Atall"], None);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn user_dictionaries_add_to_the_embedded_ones() {
    let dir = std::env::temp_dir().join(format!("annalist-dicts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("mine.txt"),
        "# name: people-mine\n# version: 1\n# source: test\n# licence: CC0-1.0\n\n= Jane Example\nshort: Example\ncountry: FRA\nsex: f\nterm: 2020-01-01 .. FRAGOV Minister of Examples\n",
    )
    .unwrap();
    let input = "{\"id\":\"a\",\"date\":\"2021-05-05\",\"text\":\"Jane Example met Emmanuel Macron in Paris.\"}\n";
    let out = annalist(
        &[
            "code",
            "-",
            "--input",
            "jsonl",
            "--format",
            "jsonl",
            "--dicts",
            dir.to_str().unwrap(),
        ],
        Some(input),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r = &records(&out)[0];
    let codes: Vec<(&str, &str)> = r["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["actor"].as_str().unwrap_or("")))
        .collect();
    assert!(codes.contains(&("Jane Example", "FRAGOV")), "{codes:?}");
    assert!(codes.contains(&("Emmanuel Macron", "FRAGOV")), "{codes:?}");
    assert!(r["annalist"]["dict_version"].as_str().unwrap().contains("+user."));
    // A broken user dictionary is refused with file and line.
    std::fs::write(dir.join("bad.txt"), "# name: people-bad\n# version: 1\n# source: t\n# licence: CC0-1.0\n= X Y\ncountry: FRA\nterm: 2020 2019 FRAGOV Z\n").unwrap();
    let out = annalist(
        &["code", "-", "--input", "jsonl", "--dicts", dir.to_str().unwrap()],
        Some(input),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.txt:7: term ends (2019) before it starts (2020)"),
        "{err}"
    );
}

/// Events of the reference report: each expected event is found with its actors and an accepted code,
/// and nothing on the must_not list is produced.
#[test]
fn reference_example_events() {
    let Some((r, expected)) = coded_reference_example() else {
        return;
    };
    let r = &r;
    let text = r["text"].as_str().unwrap();
    let events = r["events"].as_array().unwrap();
    // The country must match; a more specific code must match exactly, and the bare country is accepted
    // for its government ("China plans to ..." for CHNGOV).
    let accept =
        |want: &str, got: &str| got.get(..3) == want.get(..3) && (want.len() == 3 || got == want || got.len() == 3);
    let mut missing = Vec::new();
    for want in expected["events"].as_array().unwrap() {
        let evidence = want["evidence"].as_str().unwrap();
        let codes: Vec<&str> = want["any_of"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let found = events.iter().any(|e| {
            let span = chars(text, &e["evidence"]["start"], &e["evidence"]["end"]);
            let sentence_overlap = span.contains(evidence) || evidence.contains(&span) || {
                let s = &r["sentences"][e["sentence"].as_u64().unwrap() as usize];
                chars(text, &s["start"], &s["end"]).contains(evidence)
            };
            sentence_overlap
                && codes.contains(&e["code"].as_str().unwrap())
                && accept(
                    want["source"].as_str().unwrap(),
                    e["source"]["actor"].as_str().unwrap_or(""),
                )
                && accept(
                    want["target"].as_str().unwrap(),
                    e["target"]["actor"].as_str().unwrap_or(""),
                )
        });
        if !found {
            missing.push(format!(
                "{} -> {} {:?}: {evidence:?}",
                want["source"], want["target"], codes
            ));
        }
    }
    for e in events {
        let (s, t) = (
            e["source"]["actor"].as_str().unwrap_or(""),
            e["target"]["actor"].as_str().unwrap_or(""),
        );
        assert!(t.is_empty() || s.get(..3) != t.get(..3), "same-country dyad: {e:#}");
    }
    let got: Vec<String> = events
        .iter()
        .map(|e| {
            format!(
                "{} {}->{} {}",
                e["code"],
                e["source"]["actor"],
                e["target"]["actor"],
                chars(text, &e["evidence"]["start"], &e["evidence"]["end"])
            )
        })
        .collect();
    assert!(
        missing.is_empty(),
        "missing events:\n{}\ngot:\n{}",
        missing.join("\n"),
        got.join("\n")
    );
}
