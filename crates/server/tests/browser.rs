//! The dashboard in headless Chromium over the ingested examples: the chart, the event list, the map,
//! an article with its evidence highlighted and an actor page render, and screenshots are saved under
//! the target directory. Skipped (with a message) when /usr/bin/chromium is not installed
//! (scripts/ci-install-chromium.sh installs it).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs Chromium on `url` with `mode` (`--dump-dom` or `--screenshot=FILE`); returns stdout. Killed
/// after two minutes.
fn chromium(profile: &Path, mode: &str, url: &str) -> String {
    let out = profile.with_extension(format!("{}.out", std::process::id()));
    let err = profile.with_extension("err");
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=1280,1400",
            "--virtual-time-budget=20000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(mode)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let stdout = std::fs::read_to_string(&out).unwrap_or_default();
            assert!(
                status.success(),
                "chromium {mode} {url} failed ({status}): {}",
                std::fs::read_to_string(&err).unwrap_or_default()
            );
            return stdout;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium {mode} {url} did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[test]
fn dashboard_renders_in_headless_chromium() {
    if !Path::new(CHROMIUM).exists() {
        println!("skipped: {CHROMIUM} is not installed (scripts/ci-install-chromium.sh installs it)");
        return;
    }
    let dir = scratch("browser");
    let db = dir.join("annalist.db");
    ingest(&db, &example_paths(true));
    let s = start(&db, None, 1 << 20);
    let base = format!("http://{}", s.addr);
    let profile = dir.join("profile");
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));

    // Home: the most active dyad's chart, the events of its latest bar, the map.
    let dom = chromium(&profile, "--dump-dom", &format!("{base}/"));
    assert!(!dom.contains("class=\"error\""), "the dashboard shows an error:\n{dom}");
    let chart = dom.split("id=\"chart\"").nth(1).expect("a chart");
    assert!(chart.contains("<svg"), "no chart SVG:\n{dom}");
    assert!(count(chart, "class=\"bar") >= 1, "no bars:\n{dom}");
    assert!(
        count(chart, "<rect class=\"q") >= 1,
        "no stacked quad-class rects:\n{dom}"
    );
    assert!(chart.contains("class=\"goldstein\""), "no Goldstein line");
    assert!(
        count(chart, "class=\"bar selected\"") == 1,
        "the latest bar is not selected:\n{dom}"
    );
    let events = dom.split("id=\"events\"").nth(1).expect("an event list");
    assert!(count(events, "class=\"event q") >= 1, "no events listed:\n{dom}");
    assert!(events.contains("#/doc/"), "events do not link to their article");
    assert!(count(&dom, "class=\"country\"") > 100, "no world map");
    assert!(dom.contains("class=\"place ev\""), "no event place on the map");
    chromium(
        &profile,
        &format!("--screenshot={}", shots.join("annalist-dashboard.png").display()),
        &format!("{base}/"),
    );

    // A dyad by week, with a chosen bar.
    let dom = chromium(
        &profile,
        "--dump-dom",
        &format!("{base}/#/dyad/BLR/RUS?by=week&period=2019-W08"),
    );
    assert!(dom.contains("data-period=\"2019-W08\""), "{dom}");
    assert!(dom.contains("Events in 2019-W08"), "{dom}");
    assert!(count(&dom, "class=\"event q1\"") == 1, "{dom}");

    // An article: the event's evidence, its source and target, actors and quotes highlighted.
    let ev = get_json(s.addr, "/v1/events?doc=wire-minsk.txt");
    let (a, b) = (&ev["items"][0]["evidence_start"], &ev["items"][0]["evidence_end"]);
    let url = format!("{base}/#/doc/wire-minsk.txt?ev={a}-{b}");
    let dom = chromium(&profile, "--dump-dom", &url);
    assert!(!dom.contains("class=\"error\""), "{dom}");
    assert!(dom.contains("id=\"evidence\""), "no evidence mark:\n{dom}");
    assert!(
        dom.contains("class=\"ent src\"") || dom.contains("src"),
        "no source highlight"
    );
    assert!(dom.contains("tgt"), "no target highlight");
    assert!(dom.contains("class=\"quote"), "no quote highlight");
    assert!(
        dom.contains("href=\"#/actor/BLRGOV\""),
        "actors do not link to their page"
    );
    chromium(
        &profile,
        &format!("--screenshot={}", shots.join("annalist-article.png").display()),
        &url,
    );

    // An actor page: names, offices with dates, partners.
    let url = format!("{base}/#/actor/BLRGOV");
    let dom = chromium(&profile, "--dump-dom", &url);
    assert!(dom.contains("Alexander Lukashenko"), "{dom}");
    assert!(
        dom.contains("Top partners") && dom.contains("#/dyad/BLRGOV/RUSGOV"),
        "{dom}"
    );
    assert!(
        dom.contains("in office") || dom.contains("<td>20"),
        "no office dates:\n{dom}"
    );
    chromium(
        &profile,
        &format!("--screenshot={}", shots.join("annalist-actor.png").display()),
        &url,
    );

    // Search.
    let dom = chromium(&profile, "--dump-dom", &format!("{base}/#/search?q=grain"));
    assert!(dom.contains("id=\"hits\"") && dom.contains("<mark>"), "{dom}");

    println!(
        "screenshots: {}",
        ["annalist-dashboard.png", "annalist-article.png", "annalist-actor.png"]
            .map(|f| shots.join(f).display().to_string())
            .join(", ")
    );
}
