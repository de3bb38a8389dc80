//! Load time and memory of the embedded gazetteer, measured with a counting allocator (own test binary).
//! `cargo test -p annalist-geo --release --test load -- --nocapture` prints the numbers.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[test]
fn load_time_and_memory() {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let t = Instant::now();
    let g = annalist_geo::Gazetteer::load_embedded().unwrap();
    let took = t.elapsed();
    let kept = LIVE.load(Ordering::Relaxed) - before;
    let peak = PEAK.load(Ordering::Relaxed) - before;
    println!(
        "gazetteer: {} features, {} names; load {:.1} ms; heap kept {:.1} MB, peak {:.1} MB",
        g.features.len(),
        g.name_count(),
        took.as_secs_f64() * 1000.0,
        kept as f64 / 1e6,
        peak as f64 / 1e6
    );
    assert!(g.features.len() > 30_000);
    // Generous bounds (debug builds are slow): a regression to several times this is a bug.
    assert!(kept < 80_000_000, "gazetteer keeps {kept} bytes");
    assert!(took.as_secs() < 20, "gazetteer took {took:?}");
}
