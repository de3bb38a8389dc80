//! Property tests over the whole reading + segmenting path: any input in any format never panics, and
//! every region and sentence is in bounds, ordered and on char boundaries; output offsets are code points.

use annalist_ingest::{read_str, InputFormat};
use annalist_pipeline::Pipeline;
use proptest::prelude::*;

fn inputs() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(" date 2017-11-01 Back to Main page\n".to_string()),
        Just("November 01, 15:36 UTC+3 BEIJING\n".to_string()),
        Just("BEIJING, November 1. /TASS/. ".to_string()),
        Just("WASHINGTON (Reuters) - ".to_string()),
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<script>x</script>".to_string()),
        Just("{\"id\":1,\"text\":\"".to_string()),
        Just("\"}\n".to_string()),
        Just("<REUTERS NEWID=\"1\"><TITLE>".to_string()),
        Just("</TITLE><BODY>".to_string()),
        Just("</BODY></REUTERS>".to_string()),
        Just("&#5;&amp;".to_string()),
        Just("\n\n".to_string()),
        "[A-Za-z .,\"]{1,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn formats() -> impl Strategy<Value = InputFormat> {
    prop_oneof![
        Just(InputFormat::Auto),
        Just(InputFormat::Text),
        Just(InputFormat::Html),
        Just(InputFormat::Jsonl),
        Just(InputFormat::Reuters),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn any_input_reads_and_segments_within_bounds(s in inputs(), f in formats()) {
        let Ok(doc) = read_str(&s, "prop", f) else { return Ok(()) };
        let text = doc.text.clone();
        let mut last = 0;
        for r in &doc.regions {
            prop_assert!(r.span.start as usize >= last && r.span.start < r.span.end && r.span.end as usize <= text.len());
            prop_assert!(text.is_char_boundary(r.span.start as usize) && text.is_char_boundary(r.span.end as usize));
            last = r.span.end as usize;
        }
        if let Some(d) = &doc.dateline {
            prop_assert!(d.span.end as usize <= text.len() && text.is_char_boundary(d.span.start as usize));
        }
        let p = Pipeline::new();
        let a = p.annotate(doc).expect("annotation never fails on a read document");
        let out = p.to_output(&a);
        let n = text.chars().count() as u32;
        for s in &out.sentences {
            prop_assert!(s.start < s.end && s.end <= n);
        }
    }
}
