//! Dictionaries: plain-text sources (see `docs/dictionaries.md`) compiled into matchers.
//!
//! Design decision: the sources under `dicts/actors/` and `dicts/events/` are parsed and validated by the build script (a
//! broken entry fails the build with file and line), serialised compactly and embedded in the binary with
//! `include_bytes!`, stamped with the newest source version and a hash of all sources. At run time the
//! blob is decoded and two Aho-Corasick automata are built: one case-sensitive over proper names (people,
//! countries, capitals, seats, organisations), one case-insensitive over role phrases ("prime minister",
//! "troops"). Both run over folded text (quotes, dashes, spaces) and report exact original spans.
//! User dictionaries (`--dicts DIR`) go through the same parser and are merged.
//!
//! ```
//! let lex = annalist_lexicon::Lexicon::embedded();
//! let text = "Dmitry Medvedev met Xi Jinping in Beijing.";
//! let found = lex.find_names(text);
//! assert!(found.iter().any(|m| &text[m.start..m.end] == "Dmitry Medvedev"));
//! assert!(!lex.version().is_empty());
//! ```

pub mod inflect;
pub mod source;

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use annalist_text::Normalized;

pub use source::{
    format_day, parse_day, Agent, Alt, Country, Cue, Day, Elem, Entries, EventExample, Example, Org, PatternEntry,
    Person, SourceError, SourceFile, Term,
};

static EMBEDDED_BLOB: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/dicts.bin"));
static EMBEDDED_VERSION: &str = include_str!(concat!(env!("OUT_DIR"), "/dicts.version"));

/// The CAMEO actor types (reference/cameo-actor-types.tsv) that roles may use.
pub const ACTOR_TYPES: &[&str] = &[
    "AGR", "AMN", "BUS", "COP", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "GOV", "GRP", "HLH", "HRI", "IGO", "IMG",
    "INS", "INT", "IRC", "JUD", "LAB", "LEG", "MED", "MIL", "MNC", "MOD", "NGM", "NGO", "OPP", "PKO", "PTY", "RAD",
    "REB", "REF", "SEP", "SET", "SPY", "UAF", "UIS", "UNO",
];

/// Errors loading or building dictionaries.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}: {message}")]
    Invalid { file: String, line: u32, message: String },
    #[error("embedded dictionaries are corrupt: {0}")]
    Embedded(String),
    #[error("cannot build the matcher: {0}")]
    Build(String),
}

/// What a matched name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    CountryName(u32),
    CountryAdjective(u32),
    CountryPeople(u32),
    Capital(u32),
    Seat(u32),
    PersonFull(u32),
    PersonShort(u32),
    Org(u32),
}

/// A dictionary match: byte span in the original text and what it may stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMatch {
    pub start: usize,
    pub end: usize,
    pub targets: Vec<Target>,
}

/// A role phrase match ("foreign minister", "troops").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseMatch {
    pub start: usize,
    pub end: usize,
    pub agent: u32,
}

/// How a person's name resolves on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution<'a> {
    pub code: String,
    /// The term that gave the code; `None` when the code is the fallback.
    pub term: Option<&'a Term>,
}

/// Compiled dictionaries.
pub struct Lexicon {
    version: String,
    files: Vec<(String, String)>,
    pub countries: Vec<Country>,
    pub people: Vec<Person>,
    pub agents: Vec<Agent>,
    pub orgs: Vec<Org>,
    /// Event patterns (compiled by the events stage).
    pub patterns: Vec<PatternEntry>,
    /// Speech cues (verbs of saying, "according to").
    pub cues: Vec<Cue>,
    country_index: HashMap<String, u32>,
    names: AhoCorasick,
    name_patterns: Vec<String>,
    name_targets: Vec<Vec<Target>>,
    phrases: AhoCorasick,
    phrase_targets: Vec<u32>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("version", &self.version)
            .field("countries", &self.countries.len())
            .field("people", &self.people.len())
            .field("agents", &self.agents.len())
            .field("orgs", &self.orgs.len())
            .finish()
    }
}

fn fold(s: &str, lower: bool) -> String {
    Normalized::new(s, lower).text
}

fn is_word_byte_before(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric())
}

fn is_word_byte_after(text: &str, i: usize) -> bool {
    text[i..].chars().next().is_some_and(|c| c.is_alphanumeric())
}

/// Every match on word boundaries, then a greedy choice of non-overlapping matches, longest first.
/// Returns original byte spans and pattern indices, in text order.
fn select(ac: &AhoCorasick, n: &Normalized) -> Vec<(usize, usize, usize)> {
    let mut all: Vec<(usize, usize, usize)> = ac
        .find_overlapping_iter(&n.text)
        .filter(|m| !is_word_byte_before(&n.text, m.start()) && !is_word_byte_after(&n.text, m.end()))
        .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
        .collect();
    all.sort_by_key(|&(s, e, _)| (std::cmp::Reverse(e - s), s));
    let mut chosen: Vec<(usize, usize, usize)> = Vec::new();
    for m in all {
        if chosen.iter().all(|c| m.1 <= c.0 || c.1 <= m.0) {
            chosen.push(m);
        }
    }
    chosen.sort_by_key(|&(s, _, _)| s);
    chosen
        .into_iter()
        .map(|(s, e, p)| {
            let (a, b) = n.original_span(s, e);
            (a, b, p)
        })
        .collect()
}

impl Lexicon {
    /// The dictionaries compiled into this binary (decoded and built once per process).
    pub fn embedded() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| {
            let sources = Lexicon::embedded_sources().expect("embedded dictionaries decode (checked by tests)");
            Lexicon::build(sources, EMBEDDED_VERSION.to_string())
                .expect("embedded dictionaries build (checked by tests)")
        })
    }

    /// The embedded dictionary sources, decoded.
    pub fn embedded_sources() -> Result<Vec<SourceFile>, LexiconError> {
        postcard::from_bytes(EMBEDDED_BLOB).map_err(|e| LexiconError::Embedded(e.to_string()))
    }

    /// The stamp of the embedded dictionaries.
    pub fn embedded_version() -> &'static str {
        EMBEDDED_VERSION
    }

    /// Reads every `.txt` dictionary under `dir` (recursively).
    pub fn load_dir(dir: &Path) -> Result<Vec<SourceFile>, LexiconError> {
        fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
            let mut paths: Vec<_> = std::fs::read_dir(dir)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            paths.sort();
            for p in paths {
                if p.is_dir() {
                    walk(&p, out)?;
                } else if p.extension().is_some_and(|e| e == "txt") {
                    out.push(p);
                }
            }
            Ok(())
        }
        let mut paths = Vec::new();
        walk(dir, &mut paths).map_err(|source| LexiconError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        let mut out = Vec::new();
        for p in paths {
            let name = p.display().to_string();
            let text = std::fs::read_to_string(&p).map_err(|source| LexiconError::Io {
                path: name.clone(),
                source,
            })?;
            out.push(source::parse(&name, &text)?);
        }
        Ok(out)
    }

    /// Builds the matchers from parsed sources, checking codes across files.
    pub fn build(sources: Vec<SourceFile>, version: String) -> Result<Lexicon, LexiconError> {
        // Countries first: the other files are checked against them.
        let mut countries = Vec::new();
        for s in &sources {
            if let Entries::Countries(v) = &s.entries {
                countries.extend(v.iter().cloned());
            }
        }
        let mut country_index = HashMap::new();
        for (i, c) in countries.iter().enumerate() {
            country_index.entry(c.code.clone()).or_insert(i as u32);
        }
        let known_prefix = |code: &str| {
            let head = code.get(..3).unwrap_or("");
            country_index.is_empty() || country_index.contains_key(head) || ACTOR_TYPES.contains(&head)
        };
        let invalid = |file: &str, line: u32, message: String| LexiconError::Invalid {
            file: file.to_string(),
            line,
            message,
        };
        let mut people = Vec::new();
        let mut agents = Vec::new();
        let mut orgs = Vec::new();
        let mut event_patterns = Vec::new();
        let mut cues = Vec::new();
        let mut files = Vec::new();
        for s in sources {
            files.push((s.file.clone(), s.header.version.clone()));
            match s.entries {
                Entries::Countries(_) => {}
                Entries::People(v) => {
                    for mut p in v {
                        if !known_prefix(&p.country) {
                            return Err(invalid(
                                &s.file,
                                p.line,
                                format!("{}: unknown country code {}", p.name, p.country),
                            ));
                        }
                        if let Some(t) = p.terms.iter().find(|t| !known_prefix(&t.code)) {
                            return Err(invalid(
                                &s.file,
                                t.line,
                                format!("{}: code {} starts with no known country or type", p.name, t.code),
                            ));
                        }
                        p.aliases.retain(|a| a != &p.name);
                        people.push(p);
                    }
                }
                Entries::Agents(v) => {
                    if let Some(a) = v.iter().find(|a| !ACTOR_TYPES.contains(&a.role.as_str())) {
                        return Err(invalid(
                            &s.file,
                            a.line,
                            format!("{:?}: unknown actor type {}", a.phrase, a.role),
                        ));
                    }
                    agents.extend(v)
                }
                Entries::Cues(v) => cues.extend(v),
                Entries::Patterns(v) => {
                    let mut v = v;
                    event_patterns.append(&mut v);
                }
                Entries::Orgs(v) => {
                    if let Some(o) = v.iter().find(|o| !known_prefix(&o.code)) {
                        return Err(invalid(
                            &s.file,
                            o.line,
                            format!("{}: code {} starts with no known country or type", o.name, o.code),
                        ));
                    }
                    orgs.extend(v)
                }
            }
        }
        // Name patterns (case-sensitive, folded).
        let mut pattern_ix: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut name_targets: Vec<Vec<Target>> = Vec::new();
        let mut add = |s: &str, t: Target| {
            let f = fold(s.trim(), false);
            if f.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
                return;
            }
            let ix = *pattern_ix.entry(f.clone()).or_insert_with(|| {
                patterns.push(f);
                name_targets.push(Vec::new());
                patterns.len() - 1
            });
            if !name_targets[ix].contains(&t) {
                name_targets[ix].push(t);
            }
        };
        for (i, c) in countries.iter().enumerate() {
            let i = i as u32;
            add(&c.name, Target::CountryName(i));
            c.aliases.iter().for_each(|a| add(a, Target::CountryName(i)));
            c.adjectives.iter().for_each(|a| add(a, Target::CountryAdjective(i)));
            c.people.iter().for_each(|a| add(a, Target::CountryPeople(i)));
            c.capitals.iter().for_each(|a| add(a, Target::Capital(i)));
            c.seats.iter().for_each(|a| {
                add(a, Target::Seat(i));
                // "the Kremlin" is also written "Kremlin".
                if let Some(rest) = a.strip_prefix("the ") {
                    add(rest, Target::Seat(i));
                }
            });
        }
        for (i, p) in people.iter().enumerate() {
            let i = i as u32;
            add(&p.name, Target::PersonFull(i));
            p.aliases.iter().for_each(|a| add(a, Target::PersonFull(i)));
            p.shorts.iter().for_each(|a| add(a, Target::PersonShort(i)));
        }
        for (i, o) in orgs.iter().enumerate() {
            let i = i as u32;
            add(&o.name, Target::Org(i));
            o.aliases.iter().for_each(|a| add(a, Target::Org(i)));
        }
        let names = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| LexiconError::Build(e.to_string()))?;
        let mut phrase_patterns = Vec::new();
        let mut phrase_targets = Vec::new();
        let mut seen = HashMap::new();
        for (i, a) in agents.iter().enumerate() {
            let f = fold(a.phrase.trim(), true);
            if seen.insert(f.clone(), i).is_none() {
                phrase_patterns.push(f);
                phrase_targets.push(i as u32);
            }
        }
        let phrases = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&phrase_patterns)
            .map_err(|e| LexiconError::Build(e.to_string()))?;
        Ok(Lexicon {
            version,
            files,
            countries,
            people,
            agents,
            orgs,
            patterns: event_patterns,
            cues,
            country_index,
            names,
            name_patterns: patterns,
            name_targets,
            phrases,
            phrase_targets,
        })
    }

    /// Merges user dictionaries with (or, with `replace`, instead of) the embedded ones.
    pub fn with_user_dicts(dir: &Path, replace: bool) -> Result<Lexicon, LexiconError> {
        let user = Lexicon::load_dir(dir)?;
        let mut hash = source::FNV_START;
        for s in &user {
            hash = source::fnv1a(format!("{:?}", s).as_bytes(), hash);
        }
        let mut sources = if replace {
            Vec::new()
        } else {
            Lexicon::embedded_sources()?
        };
        let base = if replace {
            "user".to_string()
        } else {
            EMBEDDED_VERSION.to_string()
        };
        sources.extend(user);
        Lexicon::build(sources, format!("{base}+user.{:08x}", hash >> 32))
    }

    /// The version stamp every output record carries.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The source files and their versions.
    pub fn files(&self) -> &[(String, String)] {
        &self.files
    }

    pub fn country(&self, code: &str) -> Option<&Country> {
        self.country_index.get(code).map(|&i| &self.countries[i as usize])
    }

    /// All dictionary names in `text` on word boundaries; where matches overlap, the longest wins
    /// ("Salman bin Abdulaziz Al Saud" over "Crown Prince Salman", "Hindustan Times" over "The Hindu").
    pub fn find_names(&self, text: &str) -> Vec<NameMatch> {
        let n = Normalized::new(text, false);
        select(&self.names, &n)
            .into_iter()
            .map(|(start, end, pattern)| NameMatch {
                start,
                end,
                targets: self.name_targets[pattern].clone(),
            })
            .collect()
    }

    /// All role phrases in `text` (case-insensitive) on word boundaries, longest first where they overlap.
    pub fn find_phrases(&self, text: &str) -> Vec<PhraseMatch> {
        let n = Normalized::new(text, true);
        select(&self.phrases, &n)
            .into_iter()
            .map(|(start, end, pattern)| PhraseMatch {
                start,
                end,
                agent: self.phrase_targets[pattern],
            })
            .collect()
    }

    /// The code of person `i` on `date`: the term in force (the latest-starting one when several are),
    /// else the fallback, else the country alone.
    pub fn resolve_person(&self, i: u32, date: Day) -> Resolution<'_> {
        let p = &self.people[i as usize];
        let term = p
            .terms
            .iter()
            .filter(|t| t.start <= date && t.end.is_none_or(|e| date <= e))
            .max_by_key(|t| (t.code.ends_with("GOV"), t.start));
        match term {
            Some(t) => Resolution {
                code: t.code.clone(),
                term: Some(t),
            },
            None => Resolution {
                code: p.fallback.clone().unwrap_or_else(|| p.country.clone()),
                term: None,
            },
        }
    }

    /// The code of organisation `i`.
    pub fn org_code(&self, i: u32) -> &str {
        &self.orgs[i as usize].code
    }

    /// Looks a name up the way `annalist actor` explains it: every entry whose name, alias or short form
    /// equals `name` (folded, case-insensitive).
    pub fn lookup(&self, name: &str) -> Vec<Target> {
        let key = fold(name.trim(), true);
        let mut out: Vec<Target> = self
            .name_patterns
            .iter()
            .zip(&self.name_targets)
            .filter(|(pat, _)| fold(pat, true) == key)
            .flat_map(|(_, t)| t.iter().copied())
            .collect();
        out.sort_by_key(|t| format!("{t:?}"));
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_dictionaries_build() {
        let lex = Lexicon::embedded();
        assert!(lex.countries.len() > 200, "{lex:?}");
        assert!(lex.version().contains('+'));
    }

    #[test]
    fn medvedev_by_date() {
        let lex = Lexicon::embedded();
        let text = "Dmitry Medvedev";
        let m = &lex.find_names(text)[0];
        let Target::PersonFull(i) = m
            .targets
            .iter()
            .find(|t| matches!(t, Target::PersonFull(_)))
            .copied()
            .unwrap()
        else {
            unreachable!()
        };
        assert_eq!(lex.resolve_person(i, 20171101).code, "RUSGOV");
        assert!(lex
            .resolve_person(i, 20171101)
            .term
            .unwrap()
            .title
            .contains("Prime Minister"));
        assert!(lex
            .resolve_person(i, 20100101)
            .term
            .unwrap()
            .title
            .contains("President"));
    }

    #[test]
    fn spans_are_exact_through_folding() {
        let lex = Lexicon::embedded();
        let text = "Moscow\u{2019}s envoy met C\u{00f4}te d\u{2019}Ivoire officials";
        let found = lex.find_names(text);
        let got: Vec<&str> = found.iter().map(|m| &text[m.start..m.end]).collect();
        assert!(got.contains(&"Moscow"), "{got:?}");
    }

    #[test]
    fn a_rejected_match_does_not_hide_a_later_one() {
        // Regression: with leftmost-longest search, "The Hindu" matched inside "The Hindustan Times",
        // failed the word-boundary check, and the real name after it was lost.
        let lex = Lexicon::embedded();
        let text = "The Hindustan Times reported it.";
        let got: Vec<&str> = lex.find_names(text).iter().map(|m| &text[m.start..m.end]).collect();
        assert!(got.iter().any(|g| g.contains("Hindustan Times")), "{got:?}");
    }

    #[test]
    fn word_boundaries() {
        let lex = Lexicon::embedded();
        let text = "Chadwick and Turkeys";
        assert!(lex.find_names(text).is_empty(), "{:?}", lex.find_names(text));
    }

    #[test]
    fn source_errors_name_file_and_line() {
        let bad = "# name: leaders-x\n# version: 1\n# source: t\n# licence: CC0-1.0\n\n= A B\ncountry: RUS\nterm: 2020-13-01 .. RUSGOV X\n";
        let e = source::parse("x.txt", bad).unwrap_err();
        assert_eq!(e.to_string(), "x.txt:8: bad start date \"2020-13-01\"");
        let missing = "# name: countries\n# version: 1\n# source: t\n";
        assert_eq!(
            source::parse("c.txt", missing).unwrap_err().to_string(),
            "c.txt:1: header lacks `# licence:`"
        );
    }

    #[test]
    fn partial_dates_widen() {
        assert_eq!(parse_day("2020", true), Some(20200101));
        assert_eq!(parse_day("2020", false), Some(20201231));
        assert_eq!(parse_day("2024-02", false), Some(20240229));
        assert_eq!(parse_day("2023-02-29", true), None);
    }
}
