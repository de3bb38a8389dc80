//! Timeline query latency over a store of synthetic events.
//!
//! `cargo run --release -p annalist-store --example timeline_latency -- 1000000`
//! Builds a store of N synthetic events (10 countries, 6 codes, 10 years) in a temporary file, then times
//! `timeline RUS CHN --by month` (both directions) and a directed weekly timeline, reporting min / median /
//! max over 20 runs, with a full scan of the events table as the same-run baseline.

use std::time::Instant;

use annalist_store::{Period, Store};

fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    (v[0], v[v.len() / 2], v[v.len() - 1])
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("annalist-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("t.db");
    let mut s = Store::open(&path).unwrap();
    let t0 = Instant::now();
    s.insert_synthetic_events(n, 42).unwrap();
    println!("inserted {n} synthetic events in {:.1} s", t0.elapsed().as_secs_f64());
    let st = s.stats().unwrap();
    println!(
        "store: {} event mentions, {} distinct events",
        st.event_mentions, st.events
    );
    let run = |label: &str, f: &mut dyn FnMut() -> usize| {
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..20 {
            let t = Instant::now();
            rows = f();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let (lo, med, hi) = stats(times);
        println!("{label:<40} {rows:>5} rows   min {lo:7.1} ms   median {med:7.1} ms   max {hi:7.1} ms");
        med
    };
    let base = run("baseline: scan of events grouped by code", &mut || {
        s.event_counts_by_code().unwrap().len()
    });
    let m = run("timeline RUS CHN --by month (both ways)", &mut || {
        s.timeline("RUS", "CHN", Period::Month, true).unwrap().len()
    });
    let w = run("timeline RUS CHN --by week --directed", &mut || {
        s.timeline("RUS", "CHN", Period::Week, false).unwrap().len()
    });
    println!("ratio to baseline: month {:.2}x, week {:.2}x", m / base, w / base);
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);
}
