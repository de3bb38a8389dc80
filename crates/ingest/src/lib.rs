//! Readers: files, folders and standard input in several news formats, each turned into a
//! [`Document`] that keeps the original text.
//!
//! Design decision: a reader never edits the text it was given. It finds metadata (title, section,
//! dateline, agency, date) and marks the parts to code as regions; the rest of the pipeline points into
//! the same string. Every error names its file and line, and one bad document never stops the others:
//! [`DocStream`] yields `Result`s.
//!
//! ```
//! use annalist_ingest::{read_str, InputFormat};
//! let doc = read_str("Talks open\n\nGENEVA (Reuters) - Talks opened.", "x.txt", InputFormat::Auto).unwrap();
//! assert_eq!(doc.title.as_deref(), Some("Talks open"));
//! assert_eq!(doc.dateline.unwrap().place, "Geneva");
//! ```

pub mod dateline;
pub mod dates;
pub mod error;
pub mod html;
pub mod jsonl;
pub mod plain;
pub mod reuters;
pub mod wire;

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use annalist_core::{Document, Origin, Region, RegionKind, Span};

pub use error::{IngestError, Location};

/// Input formats. `Auto` chooses by extension (and for text, by content).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    #[default]
    Auto,
    /// Plain text, or a scraped wire page when it opens with a `date YYYY-MM-DD` header.
    Text,
    Html,
    Jsonl,
    /// Reuters-21578 SGML (latin-1).
    Reuters,
}

impl InputFormat {
    /// The format of a file by its extension; `None` for files a folder walk skips.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit_once('.').map(|(_, e)| e)?;
        Some(match ext {
            "txt" | "text" => InputFormat::Text,
            "html" | "htm" | "xhtml" => InputFormat::Html,
            "jsonl" | "ndjson" => InputFormat::Jsonl,
            "sgm" | "sgml" => InputFormat::Reuters,
            _ => return None,
        })
    }
}

/// Reading options.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    pub format: InputFormat,
    /// The largest document (file, or JSON line) accepted, in bytes.
    pub max_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: InputFormat::Auto,
            max_bytes: 10 * 1024 * 1024,
        }
    }
}

/// A document, or why one could not be read.
pub type DocResult = Result<Document, IngestError>;

fn check_text(bytes: Vec<u8>, at: &Location) -> Result<String, IngestError> {
    if let Some(offset) = memchr_nul(&bytes) {
        return Err(IngestError::Binary { at: at.clone(), offset });
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        IngestError::InvalidUtf8 {
            at: at.clone(),
            line: at.line.unwrap_or(line),
            offset,
        }
    })
}

fn memchr_nul(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == 0)
}

/// Reads one in-memory text document (plain text, wire page or HTML) named `path`.
pub fn read_str(text: &str, path: &str, format: InputFormat) -> DocResult {
    let at = Location::file(path);
    let format = match format {
        InputFormat::Auto => InputFormat::from_path(Path::new(path)).unwrap_or_else(|| sniff(text)),
        f => f,
    };
    match format {
        InputFormat::Html => from_html(text, &at),
        InputFormat::Jsonl | InputFormat::Reuters => {
            let mut docs = match format {
                InputFormat::Jsonl => text
                    .lines()
                    .enumerate()
                    .filter(|(_, l)| !l.trim().is_empty())
                    .map(|(i, l)| jsonl::parse_line(l, &Location::line(path, i as u64 + 1)))
                    .collect::<Vec<_>>(),
                _ => reuters::parse_file(text, path),
            };
            if docs.is_empty() {
                return Err(IngestError::Empty { at });
            }
            docs.swap_remove(0)
        }
        _ => from_text(text.to_string(), &at),
    }
}

fn sniff(text: &str) -> InputFormat {
    let t = text.trim_start();
    if t.starts_with('{') {
        InputFormat::Jsonl
    } else if t.starts_with("<!DOCTYPE lewis") || t.starts_with("<REUTERS") {
        InputFormat::Reuters
    } else if t.starts_with('<') {
        InputFormat::Html
    } else {
        InputFormat::Text
    }
}

fn from_text(text: String, at: &Location) -> DocResult {
    if text.trim().is_empty() {
        return Err(IngestError::Empty { at: at.clone() });
    }
    let mut doc = Document::new(at.path.clone(), text);
    doc.origin = Origin {
        path: at.path.clone(),
        line: at.line,
    };
    if !wire::parse(&mut doc) {
        plain::parse(&mut doc);
    }
    Ok(doc)
}

fn from_html(html: &str, at: &Location) -> DocResult {
    let art = html::extract(html).map_err(|source| IngestError::Html { at: at.clone(), source })?;
    let mut text = String::new();
    let mut regions = Vec::new();
    let mut title_span = None;
    if let Some(t) = art.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        text.push_str(t);
        title_span = Some(Span::new(0, t.len()));
        regions.push(Region {
            kind: RegionKind::Headline,
            span: Span::new(0, t.len()),
        });
        text.push_str("\n\n");
    }
    let body_start = text.len();
    text.push_str(art.body.trim());
    let mut doc = Document::new(at.path.clone(), text);
    let mut bs = body_start;
    if let Some(o) = dateline::parse_opening(&doc.text[body_start..]) {
        doc.dateline = Some(annalist_core::Dateline {
            place: o.place_name,
            span: Span::new(body_start + o.place.0, body_start + o.place.1),
        });
        doc.source = o.agency;
        bs += o.len;
    }
    if bs < doc.text.len() {
        regions.push(Region {
            kind: RegionKind::Body,
            span: Span::new(bs, doc.text.len()),
        });
    }
    doc.regions = regions;
    doc.title = art.title;
    doc.title_span = title_span;
    doc.format = "html".into();
    doc.url = art.url;
    doc.author = art.author;
    doc.section = art.section;
    if doc.source.is_none() {
        doc.source = art.site_name;
    }
    if let Some(p) = art.published {
        doc.date = dates::date_part(&p);
        doc.published = Some(p);
    }
    doc.origin = Origin {
        path: at.path.clone(),
        line: None,
    };
    Ok(doc)
}

/// One input to read: a file with its resolved format, or standard input.
#[derive(Debug, Clone)]
struct Source {
    path: Option<PathBuf>,
    format: InputFormat,
}

impl Source {
    fn name(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "-".to_string(), |p| p.display().to_string())
    }
}

/// Expands paths: `-` is standard input, folders are walked recursively in name order (files of unknown
/// extension inside folders are skipped), files are read with the format given or their extension's.
fn expand(paths: &[PathBuf], opts: &ReadOptions, errors: &mut Vec<IngestError>) -> Vec<Source> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Source {
                path: None,
                format: opts.format,
            });
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, opts, &mut out, errors),
            Ok(_) => out.push(Source {
                path: Some(p.clone()),
                format: match opts.format {
                    InputFormat::Auto => InputFormat::from_path(p).unwrap_or(InputFormat::Auto),
                    f => f,
                },
            }),
            Err(source) => errors.push(IngestError::Io {
                at: Location::file(p.display().to_string()),
                source,
            }),
        }
    }
    out
}

fn walk(dir: &Path, opts: &ReadOptions, out: &mut Vec<Source>, errors: &mut Vec<IngestError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(source) => {
            errors.push(IngestError::Io {
                at: Location::file(dir.display().to_string()),
                source,
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        if p.is_dir() {
            walk(&p, opts, out, errors);
        } else if let Some(f) = InputFormat::from_path(&p) {
            let format = if opts.format == InputFormat::Auto {
                f
            } else {
                opts.format
            };
            out.push(Source { path: Some(p), format });
        }
    }
}

/// Reads everything from `r`, failing with `TooLarge` past `limit` bytes.
fn read_capped(mut r: impl Read, limit: u64, at: &Location) -> Result<Vec<u8>, IngestError> {
    let mut buf = Vec::new();
    (&mut r)
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|source| IngestError::Io { at: at.clone(), source })?;
    if buf.len() as u64 > limit {
        let mut size = buf.len() as u64;
        size += std::io::copy(&mut r, &mut std::io::sink()).unwrap_or(0);
        return Err(IngestError::TooLarge {
            at: at.clone(),
            size,
            limit,
        });
    }
    Ok(buf)
}

/// Reads one line (without its end) into `buf`, keeping at most `limit + 1` bytes; returns the line's
/// full length in bytes, or `None` at the end of input.
fn read_line_capped(r: &mut dyn BufRead, buf: &mut Vec<u8>, limit: u64) -> std::io::Result<Option<u64>> {
    buf.clear();
    let mut total = 0u64;
    let mut any = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        let room = (limit + 1).saturating_sub(buf.len() as u64) as usize;
        buf.extend_from_slice(&chunk[..take.min(room)]);
        total += take as u64;
        r.consume(if done { take + 1 } else { take });
        if done {
            break;
        }
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(any.then_some(total))
}

/// A lazy stream of documents from files, folders and standard input, in input order.
pub struct DocStream {
    sources: VecDeque<Source>,
    pending: VecDeque<DocResult>,
    lines: Option<(Box<dyn BufRead + Send>, String, u64)>,
    opts: ReadOptions,
    buf: Vec<u8>,
}

impl DocStream {
    /// Opens a stream over `paths`. Paths that cannot be opened become errors in the stream.
    pub fn new(paths: &[PathBuf], opts: ReadOptions) -> DocStream {
        let mut errors = Vec::new();
        let sources = expand(paths, &opts, &mut errors);
        DocStream {
            sources: sources.into(),
            pending: errors.into_iter().map(Err).collect(),
            lines: None,
            opts,
            buf: Vec::new(),
        }
    }

    fn open(&mut self, src: Source) {
        let name = src.name();
        let at = Location::file(name.clone());
        let reader: Box<dyn Read + Send> = match &src.path {
            None => Box::new(std::io::stdin()),
            Some(p) => match File::open(p) {
                Ok(f) => {
                    if p.extension().is_some_and(|e| e == "gz") {
                        Box::new(flate2::read::MultiGzDecoder::new(f))
                    } else {
                        Box::new(f)
                    }
                }
                Err(source) => {
                    self.pending.push_back(Err(IngestError::Io { at, source }));
                    return;
                }
            },
        };
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        let mut format = src.format;
        if format == InputFormat::Auto {
            format = match reader.fill_buf() {
                Ok(head) => sniff(&String::from_utf8_lossy(&head[..head.len().min(512)])),
                Err(source) => {
                    self.pending.push_back(Err(IngestError::Io { at, source }));
                    return;
                }
            };
        }
        match format {
            InputFormat::Jsonl => self.lines = Some((Box::new(reader), name, 0)),
            InputFormat::Reuters => {
                // Files are ~1.3 MB; a corpus file may exceed the per-document limit.
                match read_capped(reader, self.opts.max_bytes.max(64 << 20), &at) {
                    Ok(bytes) => {
                        let text = reuters::latin1(&bytes);
                        self.pending.extend(reuters::parse_file(&text, &name));
                    }
                    Err(e) => self.pending.push_back(Err(e)),
                }
            }
            _ => {
                let doc = read_capped(reader, self.opts.max_bytes, &at)
                    .and_then(|b| check_text(b, &at))
                    .and_then(|t| {
                        if format == InputFormat::Html {
                            from_html(&t, &at)
                        } else {
                            from_text(t, &at)
                        }
                    });
                self.pending.push_back(doc);
            }
        }
    }

    fn next_line(&mut self) -> Option<DocResult> {
        let limit = self.opts.max_bytes;
        loop {
            let (reader, name, line_no) = self.lines.as_mut()?;
            *line_no += 1;
            let at = Location::line(name.clone(), *line_no);
            match read_line_capped(reader.as_mut(), &mut self.buf, limit) {
                Err(source) => {
                    self.lines = None;
                    return Some(Err(IngestError::Io { at, source }));
                }
                Ok(None) => {
                    self.lines = None;
                    return None;
                }
                Ok(Some(len)) if len > limit => {
                    return Some(Err(IngestError::TooLarge { at, size: len, limit }));
                }
                Ok(Some(_)) => {
                    if self.buf.iter().all(|b| b.is_ascii_whitespace()) {
                        continue;
                    }
                    let bytes = std::mem::take(&mut self.buf);
                    let r = check_text(bytes, &at).and_then(|l| jsonl::parse_line(&l, &at));
                    return Some(r);
                }
            }
        }
    }
}

impl Iterator for DocStream {
    type Item = DocResult;

    fn next(&mut self) -> Option<DocResult> {
        loop {
            if let Some(r) = self.pending.pop_front() {
                return Some(r);
            }
            if self.lines.is_some() {
                if let Some(r) = self.next_line() {
                    return Some(r);
                }
                continue;
            }
            let src = self.sources.pop_front()?;
            self.open(src);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("annalist-ingest-{}-{}", name, std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn bad_files_do_not_stop_the_others() {
        let d = tmpdir("bad");
        std::fs::write(d.join("a.txt"), "Title\n\nGood text here.").unwrap();
        std::fs::write(d.join("b.txt"), b"bin\x00ary").unwrap();
        std::fs::write(d.join("c.txt"), b"caf\xe9 latin-1").unwrap();
        std::fs::write(d.join("d.txt"), "   \n").unwrap();
        let mut f = File::create(d.join("e.jsonl")).unwrap();
        writeln!(f, "{{\"id\":\"1\",\"text\":\"One.\"}}").unwrap();
        writeln!(f, "{{broken").unwrap();
        writeln!(f).unwrap();
        writeln!(f, "{{\"id\":\"3\",\"text\":\"Three.\"}}").unwrap();
        std::fs::write(d.join("skip.bin"), b"\x00\x01").unwrap();
        let out: Vec<DocResult> = DocStream::new(std::slice::from_ref(&d), ReadOptions::default()).collect();
        let summary: Vec<String> = out
            .iter()
            .map(|r| match r {
                Ok(doc) => format!("ok {}", doc.id.rsplit('/').next().unwrap()),
                Err(e) => format!("err {}", e.location().to_string().rsplit('/').next().unwrap()),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "ok a.txt",
                "err b.txt",
                "err c.txt",
                "err d.txt",
                "ok 1",
                "err e.jsonl:2",
                "ok 3"
            ]
        );
        assert!(matches!(
            out[2],
            Err(IngestError::InvalidUtf8 { line: 1, offset: 3, .. })
        ));
    }

    #[test]
    fn long_json_line_is_refused_and_the_stream_goes_on() {
        let d = tmpdir("long");
        let mut f = File::create(d.join("x.jsonl")).unwrap();
        writeln!(f, "{{\"id\":\"big\",\"text\":\"{}\"}}", "a".repeat(5000)).unwrap();
        writeln!(f, "{{\"id\":\"small\",\"text\":\"ok\"}}").unwrap();
        let opts = ReadOptions {
            max_bytes: 1000,
            ..ReadOptions::default()
        };
        let out: Vec<DocResult> = DocStream::new(&[d.join("x.jsonl")], opts).collect();
        assert!(
            matches!(&out[0], Err(IngestError::TooLarge { size, .. }) if *size > 5000),
            "{:?}",
            out[0]
        );
        assert_eq!(out[1].as_ref().unwrap().id, "small");
    }

    #[test]
    fn missing_path_is_an_error_naming_it() {
        let out: Vec<DocResult> =
            DocStream::new(&[PathBuf::from("/nonexistent/x.txt")], ReadOptions::default()).collect();
        assert_eq!(out.len(), 1);
        assert!(out[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("/nonexistent/x.txt: cannot read"));
    }
}
