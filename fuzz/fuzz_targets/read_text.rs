//! Fuzz the text reader and everything after it: no input may panic, and every span stays in bounds.
#![no_main]

use annalist_ingest::{read_str, InputFormat};
use annalist_pipeline::Pipeline;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = match InputFormat::Text {
        InputFormat::Reuters => annalist_ingest::reuters::latin1(data),
        _ => match std::str::from_utf8(data) {
            Ok(s) => s.to_string(),
            Err(_) => return,
        },
    };
    if let Ok(doc) = read_str(&text, "fuzz", InputFormat::Text) {
        let len = doc.text.len();
        for r in &doc.regions {
            assert!(r.span.end as usize <= len && doc.text.is_char_boundary(r.span.start as usize));
        }
        let p = Pipeline::new();
        let a = p.annotate(doc).expect("annotation of a read document never fails");
        let _ = p.to_output(&a);
    }
});
