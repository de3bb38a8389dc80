//! Property tests: for any input, tokens and sentences are in bounds, on char boundaries, ordered, and
//! the folded text maps back exactly.

use annalist_core::{Document, Region, RegionKind, Span};
use annalist_text::{segment, token::tokenize, Normalized};
use proptest::prelude::*;

/// Strings mixing news punctuation, quotes, dashes, spaces, abbreviations and arbitrary Unicode.
fn newsy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("U.S.".to_string()),
        Just("Mr.".to_string()),
        Just("3.5".to_string()),
        Just("\u{201C}".to_string()),
        Just("\u{201D}".to_string()),
        Just("\u{2019}s".to_string()),
        Just("n't".to_string()),
        Just("\u{2014}".to_string()),
        Just("\u{00A0}".to_string()),
        Just("\u{2026}".to_string()),
        Just(". ".to_string()),
        Just("\n\n".to_string()),
        Just("\n    ".to_string()),
        "[A-Za-z]{1,8}",
        " ",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn tokens_are_ordered_char_aligned_spans(s in newsy()) {
        let toks = tokenize(&s);
        let mut last = 0;
        for t in &toks {
            prop_assert!(t.span.start as usize >= last);
            prop_assert!(t.span.start < t.span.end);
            prop_assert!(s.is_char_boundary(t.span.start as usize) && s.is_char_boundary(t.span.end as usize));
            prop_assert!(!t.text(&s).trim().is_empty());
            last = t.span.end as usize;
        }
    }

    #[test]
    fn sentences_cover_tokens_in_order(s in newsy()) {
        let mut doc = Document::new("p", s.clone());
        doc.regions.push(Region { kind: RegionKind::Body, span: Span::new(0, s.len()) });
        let seg = segment(&doc);
        let mut last = 0u32;
        for (i, sent) in seg.sentences.iter().enumerate() {
            prop_assert!(sent.span.start >= last && sent.span.start < sent.span.end);
            prop_assert!(s.is_char_boundary(sent.span.start as usize) && s.is_char_boundary(sent.span.end as usize));
            last = sent.span.end;
            let r = seg.sentence_tokens[i].clone();
            prop_assert!(!r.is_empty());
            for t in &seg.tokens[r] {
                prop_assert!(sent.span.contains(t.span));
            }
        }
        let covered: usize = seg.sentence_tokens.iter().map(|r| r.len()).sum();
        prop_assert_eq!(covered, seg.tokens.len());
    }

    #[test]
    fn folded_spans_map_back_to_char_boundaries(s in newsy(), lower in any::<bool>()) {
        let n = Normalized::new(&s, lower);
        for (i, _) in n.text.char_indices() {
            let (a, b) = n.original_span(i, n.text.len());
            prop_assert!(a <= b && b <= s.len());
            prop_assert!(s.is_char_boundary(a) && s.is_char_boundary(b));
        }
        // Every folded char comes from an original char whose text folds to (part of) it.
        for (i, c) in n.text.char_indices() {
            let (a, b) = n.original_span(i, i + c.len_utf8());
            prop_assert!(a < b, "folded char {c:?} maps to an empty original span");
        }
    }
}
