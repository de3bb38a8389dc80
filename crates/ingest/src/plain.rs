//! Plain text: the first line is the title when it looks like one (short, no final stop, followed by a
//! blank line); a dateline opening at the start of the body ("WASHINGTON (Reuters) - ") is metadata.

use annalist_core::{Dateline, Document, Region, RegionKind, Span};

use crate::dateline::parse_opening;
use crate::wire::trim_range;

/// True when `line` reads like a headline rather than a sentence of the body.
fn looks_like_title(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (1..=25).contains(&words)
        && line.len() <= 200
        && !line.ends_with(['.', ',', ';', ':'])
        && !line.starts_with(['"', '“', '('])
}

/// Fills `doc` (whose `text` is set) with title, dateline and regions.
pub fn parse(doc: &mut Document) {
    doc.format = "text".into();
    let text = doc.text.clone();
    let (s, e) = trim_range(&text, (0, text.len()));
    if s >= e {
        return;
    }
    let mut body_start = s;
    // First line, and whether a blank line follows it.
    // Search the first line break inside the trimmed text only: one after it is past `e`.
    let first_end = text[s..e].find('\n').map_or(e, |i| s + i);
    let (ts, te) = trim_range(&text, (s, first_end));
    let rest = &text[first_end..e];
    let blank_follows = rest.starts_with("\n\n")
        || rest.starts_with("\r\n\r\n")
        || rest.trim_start_matches([' ', '\t', '\r']).starts_with("\n\n");
    if first_end < e && blank_follows && looks_like_title(&text[ts..te]) {
        doc.title = Some(text[ts..te].to_string());
        doc.title_span = Some(Span::new(ts, te));
        doc.regions.push(Region {
            kind: RegionKind::Headline,
            span: Span::new(ts, te),
        });
        body_start = trim_range(&text, (first_end, e)).0;
    }
    if let Some(o) = parse_opening(&text[body_start..e]) {
        doc.dateline = Some(Dateline {
            place: o.place_name.clone(),
            span: Span::new(body_start + o.place.0, body_start + o.place.1),
        });
        if doc.source.is_none() {
            doc.source = o.agency.clone();
        }
        body_start += o.len;
    }
    let (bs, be) = trim_range(&text, (body_start, e));
    if bs < be {
        doc.regions.push(Region {
            kind: RegionKind::Body,
            span: Span::new(bs, be),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_body() {
        let mut d = Document::new("x", "Labour plans pay rise\n\nPay is to rise. Ms Hewitt said so.\n");
        parse(&mut d);
        assert_eq!(d.title.as_deref(), Some("Labour plans pay rise"));
        assert_eq!(d.regions.len(), 2);
        assert_eq!(d.slice(d.regions[1].span), "Pay is to rise. Ms Hewitt said so.");
    }

    #[test]
    fn no_title_when_first_line_is_a_sentence() {
        let mut d = Document::new("x", "Pay is to rise.\n\nMs Hewitt said so.");
        parse(&mut d);
        assert!(d.title.is_none());
        assert_eq!(d.regions.len(), 1);
    }

    #[test]
    fn one_line_with_trailing_blank_lines() {
        // Regression (found by the pipeline property test): the first line break lay after the trimmed
        // end, and slicing from it panicked.
        let mut d = Document::new("x", "BEIJING, November 1. /TASS/. \n\n");
        parse(&mut d);
        assert_eq!(d.dateline.as_ref().map(|x| x.place.as_str()), Some("Beijing"));
    }

    #[test]
    fn dateline_opening_is_not_coded() {
        let mut d = Document::new("x", "Talks open\n\nGENEVA (Reuters) - Talks opened on Monday.");
        parse(&mut d);
        assert_eq!(d.dateline.as_ref().unwrap().place, "Geneva");
        assert_eq!(d.source.as_deref(), Some("Reuters"));
        assert_eq!(d.slice(d.regions[1].span), "Talks opened on Monday.");
    }
}
