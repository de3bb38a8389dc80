//! The dictionary source format (docs/dictionaries.md): parsing and validation with file and line.
//!
//! This module uses only `std` and `serde` so that the build script can include it and reject a broken
//! dictionary at build time with the same messages the runtime gives for `--dicts` files.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A date as `YYYYMMDD` (comparable as a number).
pub type Day = u32;

/// A dictionary error: file, 1-based line, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for SourceError {}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    pub version: String,
    pub source: String,
    pub licence: String,
}

/// A sentence written with an entry, run by the test suite: on `date`, the entry's name in `sentence`
/// resolves to `code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    pub date: Day,
    pub sentence: String,
    pub code: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country {
    /// The source file the entry comes from.
    pub file: String,
    pub code: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub adjectives: Vec<String>,
    pub people: Vec<String>,
    pub capitals: Vec<String>,
    pub seats: Vec<String>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub start: Day,
    /// Inclusive last day; `None` for a term still running.
    pub end: Option<Day>,
    pub code: String,
    pub title: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The source file the entry comes from.
    pub file: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub shorts: Vec<String>,
    pub country: String,
    /// `m`, `f` or empty.
    pub sex: String,
    pub terms: Vec<Term>,
    pub fallback: Option<String>,
    pub examples: Vec<Example>,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentFlags {
    pub title: bool,
    pub person: bool,
    pub plural: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub phrase: String,
    pub role: String,
    pub flags: AgentFlags,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Org {
    /// The source file the entry comes from.
    pub file: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub code: String,
    pub country: Option<String>,
    pub kind: String,
    pub examples: Vec<Example>,
    pub line: u32,
}

/// One alternative of a pattern word: the word and whether its inflections match too (`~word`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alt {
    pub word: String,
    pub inflect: bool,
}

/// An element of an event pattern (docs/patterns.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Elem {
    Source,
    Target,
    /// One token matching one of the alternatives.
    Word(Vec<Alt>),
    /// Zero or one token matching one of the alternatives.
    Optional(Vec<Alt>),
    /// Zero to N tokens.
    Skip(u8),
}

/// An example of an event pattern: on `date`, `sentence` codes to `source` → `target` (`-` for none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventExample {
    pub date: Option<Day>,
    pub sentence: String,
    pub source: String,
    pub target: String,
    pub line: u32,
}

/// An event pattern block: id, CAMEO code, one or more patterns, examples.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatternEntry {
    pub file: String,
    pub id: String,
    pub code: String,
    pub patterns: Vec<(Vec<Elem>, u32)>,
    pub examples: Vec<EventExample>,
    pub line: u32,
}

/// A speech cue: a verb of saying (inflected: `said`, `says`, `saying`) or a fixed phrase ("according to").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cue {
    pub phrase: String,
    /// `verb` or `phrase`.
    pub kind: String,
    pub line: u32,
}

/// What a dictionary file holds, from its header `name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entries {
    Countries(Vec<Country>),
    People(Vec<Person>),
    Agents(Vec<Agent>),
    Orgs(Vec<Org>),
    Patterns(Vec<PatternEntry>),
    Cues(Vec<Cue>),
}

fn parse_alts(s: &str) -> Result<Vec<Alt>, String> {
    let mut out = Vec::new();
    for a in s.split('|') {
        let (word, inflect) = match a.strip_prefix('~') {
            Some(w) => (w, true),
            None => (a, false),
        };
        if word.is_empty() || word.contains(['[', ']', '$', '*', ' ']) {
            return Err(format!("bad word {a:?}"));
        }
        out.push(Alt {
            word: word.to_lowercase().replace('\u{2019}', "'"),
            inflect,
        });
    }
    Ok(out)
}

/// Parses one `pattern:` line into elements.
pub fn parse_pattern(p: &str) -> Result<Vec<Elem>, String> {
    let mut out = Vec::new();
    for tok in p.split_whitespace() {
        let e = match tok {
            "$S" => Elem::Source,
            "$T" => Elem::Target,
            "*" => Elem::Skip(3),
            _ if tok.starts_with('*') => {
                let n: u8 = tok[1..]
                    .parse()
                    .map_err(|_| format!("bad skip {tok:?} (write * or *N)"))?;
                if n == 0 || n > 8 {
                    return Err(format!("skip {tok:?} out of range (1..=8)"));
                }
                Elem::Skip(n)
            }
            _ if tok.starts_with('[') => {
                let inner = tok
                    .strip_prefix('[')
                    .and_then(|t| t.strip_suffix(']'))
                    .ok_or_else(|| format!("unclosed optional {tok:?}"))?;
                Elem::Optional(parse_alts(inner)?)
            }
            _ if tok.starts_with('$') => return Err(format!("unknown slot {tok:?} ($S or $T)")),
            _ => Elem::Word(parse_alts(tok)?),
        };
        out.push(e);
    }
    if !out.iter().any(|e| matches!(e, Elem::Word(_))) {
        return Err("a pattern needs at least one word".into());
    }
    if out.iter().filter(|e| matches!(e, Elem::Source)).count() != 1 {
        return Err("a pattern needs exactly one $S".into());
    }
    if out.iter().filter(|e| matches!(e, Elem::Target)).count() > 1 {
        return Err("a pattern has at most one $T".into());
    }
    Ok(out)
}

fn is_event_code(s: &str) -> bool {
    (2..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    pub file: String,
    pub header: Header,
    pub entries: Entries,
}

/// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; a partial date widens to the first day (`start`) or the last
/// day (`!start`) of its period.
pub fn parse_day(s: &str, start: bool) -> Option<Day> {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let y = num(parts.first()?, 4)?;
    let (m, d) = match parts.len() {
        1 => (if start { 1 } else { 12 }, if start { 1 } else { 31 }),
        2 => {
            let m = num(parts[1], 2)?;
            (m, if start { 1 } else { days_in_month(y, m)? })
        }
        3 => (num(parts[1], 2)?, num(parts[2], 2)?),
        _ => return None,
    };
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m)? || !(1000..=2999).contains(&y) {
        return None;
    }
    Some(y * 10000 + m * 100 + d)
}

fn days_in_month(y: u32, m: u32) -> Option<u32> {
    Some(match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => return None,
    })
}

/// Formats a day as `YYYY-MM-DD`.
pub fn format_day(d: Day) -> String {
    format!("{:04}-{:02}-{:02}", d / 10000, d / 100 % 100, d % 100)
}

fn is_actor_code(s: &str) -> bool {
    !s.is_empty() && s.len().is_multiple_of(3) && s.len() <= 15 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn list(v: &str) -> Vec<String> {
    v.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

struct Block<'a> {
    head: &'a str,
    line: usize,
    fields: Vec<(&'a str, &'a str, usize)>,
}

/// Parses one dictionary file. `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<SourceFile, SourceError> {
    let err = |line: usize, message: String| SourceError {
        file: file.to_string(),
        line,
        message,
    };
    let mut header = Header::default();
    let mut body_lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        if let Some(c) = line.strip_prefix('#') {
            if let Some((k, v)) = c.trim().split_once(':') {
                let v = v.trim().to_string();
                match k.trim() {
                    "name" if header.name.is_empty() => header.name = v,
                    "version" if header.version.is_empty() => header.version = v,
                    "source" if header.source.is_empty() => header.source = v,
                    "licence" | "license" if header.licence.is_empty() => header.licence = v,
                    _ => {}
                }
            }
            continue;
        }
        body_lines.push((i + 1, line));
    }
    for (k, v) in [
        ("name", &header.name),
        ("version", &header.version),
        ("source", &header.source),
        ("licence", &header.licence),
    ] {
        if v.is_empty() {
            return Err(err(1, format!("header lacks `# {k}:`")));
        }
    }
    if header.name == "cues" {
        let mut cues = Vec::new();
        for (n, line) in body_lines {
            if line.trim().is_empty() {
                continue;
            }
            let parts: Vec<&str> = line.split('|').map(str::trim).collect();
            if parts.len() != 2 || parts[0].is_empty() || !matches!(parts[1], "verb" | "phrase") {
                return Err(err(
                    n,
                    format!("expected `word | verb` or `phrase words | phrase`, found {line:?}"),
                ));
            }
            cues.push(Cue {
                phrase: parts[0].to_lowercase(),
                kind: parts[1].to_string(),
                line: n as u32,
            });
        }
        return Ok(SourceFile {
            file: file.to_string(),
            header,
            entries: Entries::Cues(cues),
        });
    }
    if header.name == "agents" {
        let mut agents = Vec::new();
        for (n, line) in body_lines {
            if line.trim().is_empty() {
                continue;
            }
            let parts: Vec<&str> = line.split('|').map(str::trim).collect();
            if parts.len() < 2 || parts.len() > 3 || parts[0].is_empty() {
                return Err(err(n, format!("expected `phrase | TYPE | flags`, found {line:?}")));
            }
            if !(parts[1].len() == 3 && is_actor_code(parts[1])) {
                return Err(err(n, format!("{:?} is not a three-letter CAMEO actor type", parts[1])));
            }
            let mut flags = AgentFlags::default();
            if let Some(f) = parts.get(2) {
                for flag in f.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    match flag {
                        "title" => flags.title = true,
                        "person" => flags.person = true,
                        "plural" => flags.plural = true,
                        other => return Err(err(n, format!("unknown flag {other:?} (title, person, plural)"))),
                    }
                }
            }
            agents.push(Agent {
                phrase: parts[0].to_string(),
                role: parts[1].to_string(),
                flags,
                line: n as u32,
            });
        }
        return Ok(SourceFile {
            file: file.to_string(),
            header,
            entries: Entries::Agents(agents),
        });
    }
    // Block formats.
    let mut blocks: Vec<Block> = Vec::new();
    for (n, line) in body_lines {
        if line.trim().is_empty() {
            continue;
        }
        if let Some(head) = line.strip_prefix("= ") {
            blocks.push(Block {
                head: head.trim(),
                line: n,
                fields: Vec::new(),
            });
            continue;
        }
        let Some(block) = blocks.last_mut() else {
            return Err(err(n, format!("text before the first `= ` entry: {line:?}")));
        };
        let Some((k, v)) = line.split_once(':') else {
            return Err(err(n, format!("expected `field: value`, found {line:?}")));
        };
        block.fields.push((k.trim(), v.trim(), n));
    }
    let entries = if header.name.starts_with("events") {
        let mut out: Vec<PatternEntry> = Vec::new();
        for b in &blocks {
            if b.head.contains(' ') || !b.head.contains('.') {
                return Err(err(b.line, format!("pattern id {:?} must be CODE.slug", b.head)));
            }
            let mut e = PatternEntry {
                file: file.to_string(),
                id: b.head.to_string(),
                code: String::new(),
                patterns: vec![],
                examples: vec![],
                line: b.line as u32,
            };
            for &(k, v, n) in &b.fields {
                match k {
                    "code" => {
                        if !is_event_code(v) {
                            return Err(err(n, format!("{v:?} is not a CAMEO event code")));
                        }
                        e.code = v.into()
                    }
                    "pattern" => e.patterns.push((parse_pattern(v).map_err(|m| err(n, m))?, n as u32)),
                    "example" => {
                        let parts: Vec<&str> = v.split('|').map(str::trim).collect();
                        let (date, rest) = match parts.len() {
                            3 => (None, &parts[..]),
                            4 => (
                                Some(
                                    parse_day(parts[0], true)
                                        .ok_or_else(|| err(n, format!("bad example date {:?}", parts[0])))?,
                                ),
                                &parts[1..],
                            ),
                            _ => {
                                return Err(err(
                                    n,
                                    format!("expected `example: [DATE |] sentence | SOURCE | TARGET`, found {v:?}"),
                                ))
                            }
                        };
                        e.examples.push(EventExample {
                            date,
                            sentence: rest[0].into(),
                            source: rest[1].into(),
                            target: rest[2].into(),
                            line: n as u32,
                        })
                    }
                    "note" => {}
                    other => return Err(err(n, format!("unknown field {other:?} in a pattern entry"))),
                }
            }
            if e.code.is_empty() {
                return Err(err(b.line, format!("{} has no `code:`", e.id)));
            }
            if !e.id.starts_with(&format!("{}.", e.code)) && !e.id.starts_with(&e.code) {
                return Err(err(
                    b.line,
                    format!("id {} does not start with its code {}", e.id, e.code),
                ));
            }
            if e.patterns.is_empty() {
                return Err(err(b.line, format!("{} has no `pattern:`", e.id)));
            }
            if e.examples.is_empty() {
                return Err(err(b.line, format!("{} has no `example:`", e.id)));
            }
            if out.iter().any(|o| o.id == e.id) {
                return Err(err(b.line, format!("duplicate pattern id {}", e.id)));
            }
            out.push(e);
        }
        Entries::Patterns(out)
    } else if header.name == "countries" {
        let mut out = Vec::new();
        for b in &blocks {
            let Some((code, name)) = b.head.split_once(' ') else {
                return Err(err(b.line, "expected `= CODE Name`".into()));
            };
            if code.len() != 3 || !is_actor_code(code) {
                return Err(err(b.line, format!("{code:?} is not a three-letter country code")));
            }
            let mut c = Country {
                file: file.to_string(),
                code: code.into(),
                name: name.trim().into(),
                aliases: vec![],
                adjectives: vec![],
                people: vec![],
                capitals: vec![],
                seats: vec![],
                line: b.line as u32,
            };
            for &(k, v, n) in &b.fields {
                match k {
                    "alias" => c.aliases.extend(list(v)),
                    "adj" => c.adjectives.extend(list(v)),
                    "people" => c.people.extend(list(v)),
                    "capital" => c.capitals.extend(list(v)),
                    "seat" => c.seats.extend(list(v)),
                    other => return Err(err(n, format!("unknown field {other:?} in a country entry"))),
                }
            }
            out.push(c);
        }
        Entries::Countries(out)
    } else if header.name.starts_with("leaders") || header.name.starts_with("people") {
        let mut out = Vec::new();
        for b in &blocks {
            let mut p = Person {
                file: file.to_string(),
                name: b.head.to_string(),
                aliases: vec![],
                shorts: vec![],
                country: String::new(),
                sex: String::new(),
                terms: vec![],
                fallback: None,
                examples: vec![],
                line: b.line as u32,
            };
            for &(k, v, n) in &b.fields {
                match k {
                    "alias" => p.aliases.extend(list(v)),
                    "short" => p.shorts.extend(list(v)),
                    "country" => {
                        if v.len() != 3 || !is_actor_code(v) {
                            return Err(err(n, format!("{v:?} is not a three-letter country code")));
                        }
                        p.country = v.into()
                    }
                    "sex" => {
                        if !matches!(v, "m" | "f") {
                            return Err(err(n, format!("sex must be m or f, found {v:?}")));
                        }
                        p.sex = v.into()
                    }
                    "term" => p.terms.push(parse_term(v, n).map_err(|m| err(n, m))?),
                    "fallback" => {
                        if !is_actor_code(v) {
                            return Err(err(n, format!("{v:?} is not an actor code")));
                        }
                        p.fallback = Some(v.into())
                    }
                    "example" => p.examples.push(parse_example(v, n).map_err(|m| err(n, m))?),
                    other => return Err(err(n, format!("unknown field {other:?} in a person entry"))),
                }
            }
            if p.country.is_empty() {
                return Err(err(b.line, format!("{} has no `country:`", p.name)));
            }
            if p.terms.is_empty() {
                return Err(err(b.line, format!("{} has no `term:`", p.name)));
            }
            for ex in &p.examples {
                let ok = p
                    .terms
                    .iter()
                    .any(|t| t.start <= ex.date && t.end.is_none_or(|e| ex.date <= e) && t.code == ex.code)
                    || (ex.code == p.fallback.clone().unwrap_or_else(|| p.country.clone())
                        && !p
                            .terms
                            .iter()
                            .any(|t| t.start <= ex.date && t.end.is_none_or(|e| ex.date <= e)));
                if !ok {
                    return Err(err(
                        ex.line as usize,
                        format!(
                            "example date {} is in no term of {} coded {}",
                            format_day(ex.date),
                            p.name,
                            ex.code
                        ),
                    ));
                }
            }
            out.push(p);
        }
        Entries::People(out)
    } else if header.name.starts_with("organizations") || header.name.starts_with("organisations") {
        let mut out = Vec::new();
        for b in &blocks {
            let mut o = Org {
                file: file.to_string(),
                name: b.head.to_string(),
                aliases: vec![],
                code: String::new(),
                country: None,
                kind: String::new(),
                examples: vec![],
                line: b.line as u32,
            };
            for &(k, v, n) in &b.fields {
                match k {
                    "alias" => o.aliases.extend(list(v)),
                    "code" => {
                        if !is_actor_code(v) {
                            return Err(err(n, format!("{v:?} is not an actor code")));
                        }
                        o.code = v.into()
                    }
                    "country" => o.country = Some(v.into()),
                    "kind" => o.kind = v.into(),
                    "example" => o.examples.push(parse_example(v, n).map_err(|m| err(n, m))?),
                    other => return Err(err(n, format!("unknown field {other:?} in an organisation entry"))),
                }
            }
            if o.code.is_empty() {
                return Err(err(b.line, format!("{} has no `code:`", o.name)));
            }
            out.push(o);
        }
        Entries::Orgs(out)
    } else {
        return Err(err(
            1,
            format!(
                "unknown dictionary name {:?} (countries, leaders-*, people-*, agents, organizations)",
                header.name
            ),
        ));
    };
    Ok(SourceFile {
        file: file.to_string(),
        header,
        entries,
    })
}

fn parse_term(v: &str, line: usize) -> Result<Term, String> {
    let mut it = v.splitn(4, ' ');
    let (Some(s), Some(e), Some(code)) = (it.next(), it.next(), it.next()) else {
        return Err(format!("expected `term: START END CODE Title`, found {v:?}"));
    };
    let start = parse_day(s, true).ok_or_else(|| format!("bad start date {s:?}"))?;
    let end = if e == ".." {
        None
    } else {
        Some(parse_day(e, false).ok_or_else(|| format!("bad end date {e:?}"))?)
    };
    if end.is_some_and(|e| e < start) {
        return Err(format!("term ends ({e}) before it starts ({s})"));
    }
    if !is_actor_code(code) {
        return Err(format!("{code:?} is not an actor code"));
    }
    Ok(Term {
        start,
        end,
        code: code.into(),
        title: it.next().unwrap_or("").trim().into(),
        line: line as u32,
    })
}

fn parse_example(v: &str, line: usize) -> Result<Example, String> {
    let parts: Vec<&str> = v.split('|').map(str::trim).collect();
    if parts.len() != 3 {
        return Err(format!("expected `example: DATE | sentence | CODE`, found {v:?}"));
    }
    Ok(Example {
        date: parse_day(parts[0], true).ok_or_else(|| format!("bad example date {:?}", parts[0]))?,
        sentence: parts[1].into(),
        code: parts[2].into(),
        line: line as u32,
    })
}

/// FNV-1a 64-bit: a stable hash of the dictionary sources for the version stamp.
pub fn fnv1a(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// The FNV-1a offset basis.
pub const FNV_START: u64 = 0xcbf29ce484222325;
