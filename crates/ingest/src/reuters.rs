//! Reuters-21578 SGML (`reut2-NNN.sgm`): latin-1 bytes, `&#N;` and `&lt;`-style entities, many
//! `<REUTERS>` stories a file. A story becomes a document whose text is the title, a blank line, the
//! dateline and the body, all entity-decoded; the dateline is outside the coded regions.

use annalist_core::{Dateline, Document, Origin, Region, RegionKind, Span};

use crate::dateline::parse_opening;
use crate::error::{IngestError, Location};
use crate::wire::trim_range;

/// Decodes latin-1 bytes (every byte is the code point of the same value).
pub fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

/// Decodes `&#N;`, `&#xN;`, `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&apos;`. Control characters other than
/// tab and newline (Reuters uses `&#2;`, `&#3;`, `&#5;` as transmission marks) are dropped.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ if name.starts_with("#x") || name.starts_with("#X") => {
                    u32::from_str_radix(&name[2..], 16).ok().and_then(char::from_u32)
                }
                _ if name.starts_with('#') => name[1..].parse::<u32>().ok().and_then(char::from_u32),
                _ => None,
            }?;
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                if !c.is_control() || c == '\n' || c == '\t' {
                    out.push(c);
                }
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn element<'a>(story: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let s = story.find(&open)? + open.len();
    let e = story[s..].find(&close)? + s;
    Some(&story[s..e])
}

fn attribute<'a>(open_tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let s = open_tag.find(&key)? + key.len();
    let e = open_tag[s..].find('"')? + s;
    Some(&open_tag[s..e])
}

/// Splits a decoded SGML file into stories; each is a document or an error naming the story's line.
pub fn parse_file(sgml: &str, path: &str) -> Vec<Result<Document, IngestError>> {
    let mut out = Vec::new();
    let mut pos = 0;
    // Lines are counted on from the previous story (counting from the start each time was quadratic).
    let (mut counted, mut line) = (0usize, 1u64);
    while let Some(rel) = sgml[pos..].find("<REUTERS") {
        let start = pos + rel;
        line += sgml[counted..start].bytes().filter(|&b| b == b'\n').count() as u64;
        counted = start;
        let at = Location::line(path, line);
        let Some(end_rel) = sgml[start..].find("</REUTERS>") else {
            out.push(Err(IngestError::Sgml {
                at,
                message: "<REUTERS> without </REUTERS>".into(),
            }));
            break;
        };
        let story = &sgml[start..start + end_rel];
        pos = start + end_rel + "</REUTERS>".len();
        out.push(story_to_doc(story, at));
    }
    out
}

fn story_to_doc(story: &str, at: Location) -> Result<Document, IngestError> {
    let open_tag = &story[..story.find('>').unwrap_or(story.len())];
    let id = attribute(open_tag, "NEWID").map_or_else(|| at.to_string(), |n| format!("reuters21578-{n}"));
    let title = element(story, "TITLE")
        .map(|t| decode_entities(t).trim().to_string())
        .filter(|t| !t.is_empty());
    let dateline = element(story, "DATELINE")
        .map(|d| decode_entities(d).trim().to_string())
        .filter(|d| !d.is_empty());
    // Stories of TYPE="UNPROC" (tables, raw copy) have their text straight inside <TEXT>, without <BODY>.
    let body = element(story, "BODY")
        .or_else(|| {
            let t = story.find("<TEXT")?;
            let s = t + story[t..].find('>')? + 1;
            let e = s + story[s..].find("</TEXT>")?;
            let inner = &story[s..e];
            // Brief stories: <TITLE> and <DATELINE> only; what follows them is the text, if any.
            let after = ["</DATELINE>", "</TITLE>"]
                .iter()
                .find_map(|t| inner.rfind(t).map(|i| &inner[i + t.len()..]));
            Some(after.unwrap_or(inner))
        })
        .map(decode_entities)
        .unwrap_or_default();
    let body = body.trim_end();
    let body = body
        .strip_suffix("Reuter")
        .or_else(|| body.strip_suffix("REUTER"))
        .unwrap_or(body)
        .trim_end();
    if title.is_none() && body.trim().is_empty() {
        return Err(IngestError::Empty { at });
    }
    let mut text = String::new();
    let mut regions = Vec::new();
    let mut title_span = None;
    if let Some(t) = &title {
        title_span = Some(Span::new(0, t.len()));
        regions.push(Region {
            kind: RegionKind::Headline,
            span: Span::new(0, t.len()),
        });
        text.push_str(t);
        text.push_str("\n\n");
    }
    let mut doc_dateline = None;
    if let Some(d) = &dateline {
        let ds = text.len();
        text.push_str(d);
        text.push(' ');
        if let Some(o) = parse_opening(&format!("{d} ")) {
            doc_dateline = Some(Dateline {
                place: o.place_name,
                span: Span::new(ds + o.place.0, ds + o.place.1),
            });
        }
    }
    let bs = text.len();
    text.push_str(body.trim_start());
    let (b0, b1) = trim_range(&text, (bs, text.len()));
    if b0 < b1 {
        regions.push(Region {
            kind: RegionKind::Body,
            span: Span::new(b0, b1),
        });
    }
    let mut doc = Document::new(id, text);
    doc.format = "reuters-sgml".into();
    doc.source = Some("Reuters".into());
    doc.title = title;
    doc.title_span = title_span;
    doc.dateline = doc_dateline;
    doc.regions = regions;
    if let Some(d) = element(story, "DATE") {
        doc.date = crate::dates::date_part(d);
        doc.published = doc.date.clone();
    }
    doc.origin = Origin {
        path: at.path.clone(),
        line: at.line,
    };
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SGML: &str = "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS TOPICS=\"YES\" NEWID=\"7\">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n<TEXT>&#2;\n<TITLE>TALKS &lt;OPEN&gt;</TITLE>\n<DATELINE>    GENEVA, Feb 26 - </DATELINE><BODY>Ministers met.\n    They agreed.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n<REUTERS NEWID=\"8\">\n";

    #[test]
    fn stories_become_documents() {
        let docs = parse_file(SGML, "r.sgm");
        assert_eq!(docs.len(), 2);
        let d = docs[0].as_ref().unwrap();
        assert_eq!(d.id, "reuters21578-7");
        assert_eq!(d.title.as_deref(), Some("TALKS <OPEN>"));
        assert_eq!(d.date.as_deref(), Some("1987-02-26"));
        assert_eq!(d.dateline.as_ref().unwrap().place, "Geneva");
        let body = d.regions.iter().find(|r| r.kind == RegionKind::Body).unwrap();
        assert_eq!(d.slice(body.span), "Ministers met.\n    They agreed.");
        let e = docs[1].as_ref().unwrap_err();
        assert!(e.to_string().starts_with("r.sgm:11:"), "{e}");
    }

    #[test]
    fn unprocessed_stories_keep_their_text() {
        let sgml = "<REUTERS NEWID=\"9\">\n<DATE>26-FEB-1987 16:34:34.40</DATE>\n<TEXT TYPE=\"UNPROC\">&#2;\nFEDERAL RESERVE WEEKLY REPORT\n    Net free reserves 644 vs 1,337\n Reuter\n&#3;</TEXT>\n</REUTERS>\n";
        let docs = parse_file(sgml, "u.sgm");
        let d = docs[0].as_ref().unwrap();
        assert!(d.text.contains("Net free reserves 644"), "{:?}", d.text);
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a &amp; b &#65;&#3; &bogus; &"), "a & b A &bogus; &");
    }
}
