//! The shared body of every fuzz target: read one input in a format, annotate it, render it. No input may
//! panic, and every region stays inside the text on char boundaries.

use annalist_ingest::{read_str, InputFormat};
use annalist_pipeline::Pipeline;

pub fn check(data: &[u8], format: InputFormat) {
    let text = match format {
        InputFormat::Reuters => annalist_ingest::reuters::latin1(data),
        _ => match std::str::from_utf8(data) {
            Ok(s) => s.to_string(),
            Err(_) => return,
        },
    };
    if let Ok(doc) = read_str(&text, "fuzz", format) {
        let len = doc.text.len();
        for r in &doc.regions {
            assert!(r.span.end as usize <= len && doc.text.is_char_boundary(r.span.start as usize));
        }
        let p = Pipeline::new();
        let a = p.annotate(doc).expect("annotation of a read document never fails");
        let _ = p.to_output(&a);
    }
}
