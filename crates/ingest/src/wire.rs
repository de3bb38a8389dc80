//! Scraped wire pages saved as text: a `date YYYY-MM-DD` header line with navigation words, the title,
//! an optional section, a dateline line ("November 01, 15:36 UTC+3 BEIJING"), an optional lead, and the
//! body opening with "BEIJING, November 1. /TASS/.".
//!
//! The header, section, dateline line and body opening stay in `text` (offsets are into the whole file) but
//! are outside every coded region.

use annalist_core::{Dateline, Document, Region, RegionKind, Span};

use crate::dateline::{format_offset, parse_dateline_line, parse_opening};

/// Lines of a text with their byte ranges (without the newline).
fn lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            out.push((start, end));
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// Trims a byte range to its non-whitespace content.
pub(crate) fn trim_range(text: &str, (s, e): (usize, usize)) -> (usize, usize) {
    let slice = &text[s..e];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead == slice.len() {
        return (s, s);
    }
    (s + lead, e - trail)
}

/// The `date YYYY-MM-DD` header: returns the date when the first non-blank line is one.
pub fn header_date(text: &str) -> Option<String> {
    let first = text.lines().find(|l| !l.trim().is_empty())?;
    let rest = first.trim_start().strip_prefix("date ")?;
    let d = rest.get(..10)?;
    let b = d.as_bytes();
    let ok = b.iter().enumerate().all(|(i, c)| {
        if i == 4 || i == 7 {
            *c == b'-'
        } else {
            c.is_ascii_digit()
        }
    });
    ok.then(|| d.to_string())
}

/// True when the text looks like a scraped wire page.
pub fn looks_like_wire(text: &str) -> bool {
    header_date(text).is_some()
}

/// Fills `doc` (whose `text` is set) from the wire layout. Returns false when the layout is not found.
pub fn parse(doc: &mut Document) -> bool {
    let text = doc.text.clone();
    let Some(date) = header_date(&text) else {
        return false;
    };
    let ls: Vec<(usize, usize)> = lines(&text)
        .into_iter()
        .map(|r| trim_range(&text, r))
        .filter(|(s, e)| s < e)
        .collect();
    if ls.len() < 2 {
        return false;
    }
    doc.format = "wire".into();
    doc.date = Some(date.clone());
    doc.published = Some(date.clone());
    // Line 0 is the header. The title follows.
    let mut i = 1;
    let title = ls[i];
    doc.title = Some(text[title.0..title.1].to_string());
    doc.title_span = Some(Span::new(title.0, title.1));
    doc.regions.push(Region {
        kind: RegionKind::Headline,
        span: Span::new(title.0, title.1),
    });
    i += 1;
    // Section and dateline line: up to three short lines before the dateline line.
    let mut dateline_line = None;
    for k in i..(i + 3).min(ls.len()) {
        let l = &text[ls[k].0..ls[k].1];
        if let Some(d) = parse_dateline_line(l) {
            dateline_line = Some((k, d));
            break;
        }
    }
    if let Some((k, d)) = &dateline_line {
        if *k > i {
            let sec = &text[ls[i].0..ls[i].1];
            if sec.split_whitespace().count() <= 4 && !sec.ends_with('.') {
                doc.section = Some(sec.to_string());
            }
        }
        if let Some((h, m)) = d.time {
            let mut published = format!("{date}T{h:02}:{m:02}:00");
            if let Some(off) = d.utc_offset_minutes {
                published.push_str(&format_offset(off));
            }
            doc.published = Some(published);
        }
        let base = ls[*k].0;
        doc.dateline = Some(Dateline {
            place: d.place_name.clone(),
            span: Span::new(base + d.place.0, base + d.place.1),
        });
        i = k + 1;
    }
    // Paragraphs from here on: find the body opening; what comes before it is the lead.
    let body_line = (i..ls.len()).find(|&k| parse_opening(&text[ls[k].0..ls[k].1]).is_some_and(|o| o.agency.is_some()));
    let body_start = match body_line {
        Some(k) => {
            let (s, e) = ls[k];
            let o = parse_opening(&text[s..e]).expect("checked above");
            doc.source = o.agency.clone();
            doc.dateline = Some(Dateline {
                place: o.place_name.clone(),
                span: Span::new(s + o.place.0, s + o.place.1),
            });
            if k > i {
                let (ls0, le0) = (ls[i].0, ls[k - 1].1);
                doc.lead = Some(text[ls0..le0].to_string());
                doc.regions.push(Region {
                    kind: RegionKind::Lead,
                    span: Span::new(ls0, le0),
                });
            }
            s + o.len
        }
        None if i < ls.len() => ls[i].0,
        None => text.len(),
    };
    let (bs, be) = trim_range(&text, (body_start, text.len()));
    if bs < be {
        doc.regions.push(Region {
            kind: RegionKind::Body,
            span: Span::new(bs, be),
        });
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = " date 2019-03-04 Back to Main page\nLeaders meet in Minsk\n\nWorld\nMarch 04, 10:05 UTC+3 MINSK\n\nThe two presidents talked for an hour\n\nMINSK, March 4. /TASS/. The two presidents talked for an hour. They agreed to meet again.\n";

    #[test]
    fn parses_layout() {
        let mut d = Document::new("x", PAGE);
        assert!(parse(&mut d));
        assert_eq!(d.title.as_deref(), Some("Leaders meet in Minsk"));
        assert_eq!(d.section.as_deref(), Some("World"));
        assert_eq!(d.published.as_deref(), Some("2019-03-04T10:05:00+03:00"));
        assert_eq!(d.source.as_deref(), Some("TASS"));
        assert_eq!(d.dateline.as_ref().unwrap().place, "Minsk");
        assert_eq!(d.lead.as_deref(), Some("The two presidents talked for an hour"));
        let body = d.regions.iter().find(|r| r.kind == RegionKind::Body).unwrap();
        assert_eq!(
            d.slice(body.span),
            "The two presidents talked for an hour. They agreed to meet again."
        );
        for r in &d.regions {
            assert!(!d.slice(r.span).contains("Back to Main page"));
            assert!(!d.slice(r.span).contains("/TASS/"));
        }
    }
}
