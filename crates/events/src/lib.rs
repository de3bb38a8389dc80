//! Events: CAMEO event coding by explainable token patterns over actor slots.
//!
//! Design decision: patterns (docs/patterns.md) are compiled into sequences of interned-word elements and
//! indexed by their words, so a sentence only tries the patterns whose words it contains. Matching is a
//! small backtracking walk over tokens where `$S`/`$T` consume whole actor mentions from the actor stage
//! (or compounds "A and B"). Passive variants are derived from active `$S verb $T` patterns; negation,
//! hypotheticals, questions and same-actor dyads are filtered after a match, with the reason kept for
//! `--explain`. Every event carries its rule id, evidence span and the dictionary version.
//!
//! ```
//! use annalist_core::{Document, Region, RegionKind, Span};
//! use annalist_lexicon::Lexicon;
//! let lex = Lexicon::embedded();
//! let coder = annalist_events::EventCoder::new(lex).unwrap();
//! let mut doc = Document::new("d", "Russia and China signed an energy agreement.");
//! doc.date = Some("2020-06-15".into());
//! doc.regions.push(Region { kind: RegionKind::Body, span: Span::new(0, doc.text.len()) });
//! let seg = annalist_text::segment(&doc);
//! let actors = annalist_actors::find(&doc, &seg, lex);
//! let events = coder.code(&doc, &seg, &actors, &[], None);
//! assert!(events.iter().all(|e| !e.rule.is_empty() && e.dict_version == lex.version()));
//! ```

pub mod cameo;
mod dates;

pub use annalist_lexicon::inflect;

use std::collections::HashMap;

use annalist_actors::{Actors, MentionKind};
use annalist_core::{ActorRef, Document, Event, Quote, QuoteKind, RegionKind, Span};
use annalist_lexicon::{Elem, Lexicon};
use annalist_text::{Normalized, Segmented};

pub use cameo::{CameoTable, CodeInfo};

/// Errors compiling patterns.
#[derive(Debug, thiserror::Error)]
pub enum EventsError {
    #[error("{file}:{line}: pattern {id}: unknown CAMEO code {code}")]
    UnknownCode {
        file: String,
        line: u32,
        id: String,
        code: String,
    },
}

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone)]
enum CElem {
    Source,
    Target,
    Word(Vec<u32>),
    Opt(Vec<u32>),
    Skip(u8),
    /// Auxiliaries and adverbs between a subject and its verb ("has", "will", "on Monday", "formally").
    Aux,
}

#[derive(Debug, Clone)]
struct Compiled {
    entry: u32,
    line: u32,
    passive: bool,
    /// "documents have been signed" inside a quote: the speaker's side did it, to the person addressed.
    agentless: bool,
    has_target: bool,
    elems: Vec<CElem>,
    /// Pattern contains a negation word / a modal word itself.
    neg_ok: bool,
    modal_ok: bool,
    /// Word ids the pattern requires (all must be in the sentence for it to be tried).
    required: Vec<u32>,
}

/// The compiled event patterns of a lexicon.
pub struct EventCoder {
    version: String,
    lex: &'static Lexicon,
    cameo: CameoTable,
    words: HashMap<String, u32>,
    patterns: Vec<Compiled>,
    /// For each word id: the patterns whose rarest required word it is.
    anchors: Vec<Vec<u32>>,
    special: Special,
}

#[derive(Debug, Default)]
struct Special {
    be: Vec<u32>,
    by: u32,
    neg: Vec<u32>,
    modal: Vec<u32>,
    aux: Vec<u32>,
    and: u32,
    comma: u32,
    question: u32,
}

const NEGATIONS: &[&str] = &["not", "n't", "never", "no", "neither", "nor", "without"];
const MODALS: &[&str] = &["could", "might", "may", "if", "unless", "whether"];
// Forms of "be" are skipped too ("X is ready to"), but a match that skipped one and has "by" right after
// its verb is a passive read as active and is dropped ("prisoners were freed by Iran").
const AUX: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "will",
    "would",
    "shall",
    "also",
    "formally",
    "officially",
    "jointly",
    "reportedly",
    "separately",
    "today",
    "yesterday",
    "tomorrow",
    "later",
    "earlier",
    "again",
    "already",
    "recently",
    "then",
    "finally",
    "now",
    "still",
    "first",
    "on",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "last",
    "week",
    "this",
    "did",
    "does",
    "do",
    "swiftly",
    "publicly",
    "repeatedly",
    "once",
    "just",
    "quickly",
    "effectively",
    "directly",
    "strongly",
    "firmly",
    "sharply",
];
const BE: &[&str] = &["is", "are", "was", "were", "be", "been", "being"];

/// One pattern tried on a sentence, for `--explain`.
#[derive(Debug, Clone)]
pub struct Trace {
    pub sentence: u32,
    pub lines: Vec<String>,
}

impl EventCoder {
    /// Compiles the lexicon's event patterns.
    pub fn new(lex: &'static Lexicon) -> Result<EventCoder, EventsError> {
        let cameo = CameoTable::embedded();
        let mut c = EventCoder {
            version: lex.version().to_string(),
            lex,
            cameo,
            words: HashMap::new(),
            patterns: Vec::new(),
            anchors: Vec::new(),
            special: Special::default(),
        };
        c.special.neg = NEGATIONS.iter().map(|w| c.intern(w)).collect();
        c.special.modal = MODALS.iter().map(|w| c.intern(w)).collect();
        c.special.aux = AUX.iter().map(|w| c.intern(w)).collect();
        c.special.and = c.intern("and");
        c.special.be = BE.iter().map(|w| c.intern(w)).collect();
        c.special.by = c.intern("by");
        c.special.comma = c.intern(",");
        c.special.question = c.intern("?");
        let by = c.intern("by");
        let be: Vec<u32> = BE.iter().map(|w| c.intern(w)).collect();
        for (ei, entry) in lex.patterns.iter().enumerate() {
            if c.cameo.get(&entry.code).is_none() {
                return Err(EventsError::UnknownCode {
                    file: entry.file.clone(),
                    line: entry.line,
                    id: entry.id.clone(),
                    code: entry.code.clone(),
                });
            }
            for (elems, line) in &entry.patterns {
                let mut ce: Vec<CElem> = Vec::new();
                let mut neg_ok = false;
                let mut modal_ok = false;
                for (k, e) in elems.iter().enumerate() {
                    match e {
                        Elem::Source | Elem::Target => {
                            ce.push(if matches!(e, Elem::Source) {
                                CElem::Source
                            } else {
                                CElem::Target
                            });
                            if matches!(elems.get(k + 1), Some(Elem::Word(_))) {
                                ce.push(CElem::Aux);
                            }
                        }
                        Elem::Word(alts) | Elem::Optional(alts) => {
                            let mut ids = Vec::new();
                            for a in alts {
                                let forms = if a.inflect {
                                    inflect::forms(&a.word)
                                } else {
                                    vec![a.word.clone()]
                                };
                                for f in forms {
                                    neg_ok |= NEGATIONS.contains(&f.as_str());
                                    modal_ok |= MODALS.contains(&f.as_str());
                                    let id = c.intern(&f);
                                    ids.push(id);
                                    if f == "'s" {
                                        ids.push(c.intern("\u{2019}s"));
                                    }
                                }
                            }
                            ids.sort_unstable();
                            ids.dedup();
                            ce.push(if matches!(e, Elem::Word(_)) {
                                CElem::Word(ids)
                            } else {
                                CElem::Opt(ids)
                            });
                        }
                        Elem::Skip(n) => ce.push(CElem::Skip(*n)),
                    }
                }
                let passive = passive_of(elems).map(|(verb, particle)| {
                    let mut p = vec![CElem::Target, CElem::Aux, CElem::Word(be.clone())];
                    p.push(CElem::Word(
                        c.intern_set(verb.iter().flat_map(|v| inflect::participles(v))),
                    ));
                    if let Some(pa) = particle {
                        p.push(CElem::Word(pa.iter().map(|w| c.intern(w)).collect()));
                    }
                    p.push(CElem::Word(vec![by]));
                    p.push(CElem::Source);
                    p
                });
                let agentless = agentless_of(elems).map(|(verb, noun)| {
                    let nouns =
                        c.intern_set(
                            noun.iter()
                                .flat_map(|(w, inf)| if *inf { inflect::forms(w) } else { vec![w.clone()] }),
                        );
                    let parts = c.intern_set(verb.iter().flat_map(|v| inflect::participles(v)));
                    vec![
                        CElem::Word(nouns),
                        CElem::Aux,
                        CElem::Word(be.clone()),
                        CElem::Word(parts),
                    ]
                });
                let has_target = elems.iter().any(|e| matches!(e, Elem::Target));
                if let Some(p) = agentless {
                    c.patterns.push(Compiled {
                        entry: ei as u32,
                        line: *line,
                        passive: true,
                        agentless: true,
                        has_target,
                        elems: p,
                        neg_ok,
                        modal_ok,
                        required: Vec::new(),
                    });
                }
                c.patterns.push(Compiled {
                    entry: ei as u32,
                    line: *line,
                    passive: false,
                    agentless: false,
                    has_target,
                    elems: ce,
                    neg_ok,
                    modal_ok,
                    required: Vec::new(),
                });
                if let Some(p) = passive {
                    c.patterns.push(Compiled {
                        entry: ei as u32,
                        line: *line,
                        passive: true,
                        agentless: false,
                        has_target,
                        elems: p,
                        neg_ok,
                        modal_ok,
                        required: Vec::new(),
                    });
                }
            }
        }
        // Index each pattern under one required word: the first word element's rarest alternative set.
        let mut freq = vec![0u32; c.words.len()];
        for p in &c.patterns {
            for e in &p.elems {
                if let CElem::Word(ids) = e {
                    for &i in ids {
                        freq[i as usize] += 1;
                    }
                }
            }
        }
        c.anchors = vec![Vec::new(); c.words.len()];
        for (pi, p) in c.patterns.iter_mut().enumerate() {
            // The word element whose alternatives are least frequent overall anchors the pattern.
            let anchor = p
                .elems
                .iter()
                .filter_map(|e| if let CElem::Word(ids) = e { Some(ids) } else { None })
                .min_by_key(|ids| ids.iter().map(|&i| freq[i as usize]).sum::<u32>())
                .cloned()
                .unwrap_or_default();
            for &i in &anchor {
                c.anchors[i as usize].push(pi as u32);
            }
            p.required = anchor;
        }
        Ok(c)
    }

    /// Interns every word; returns the sorted, distinct ids (a word element's alternatives).
    fn intern_set(&mut self, words: impl IntoIterator<Item = String>) -> Vec<u32> {
        let mut ids: Vec<u32> = words.into_iter().map(|w| self.intern(&w)).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    fn intern(&mut self, w: &str) -> u32 {
        let n = self.words.len() as u32;
        *self.words.entry(w.to_string()).or_insert(n)
    }

    /// The dictionary version stamped on every event.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Number of compiled patterns (pattern lines, without derived passives) and blocks.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.patterns.iter().filter(|p| !p.passive).count(),
            self.lex.patterns.len(),
        )
    }

    /// The CAMEO table in use.
    pub fn cameo(&self) -> &CameoTable {
        &self.cameo
    }

    /// Codes the events of a document. With `trace`, records for each sentence the patterns tried and
    /// why each matched or was dropped.
    pub fn code(
        &self,
        doc: &Document,
        seg: &Segmented,
        actors: &Actors,
        quotes: &[Quote],
        mut trace: Option<&mut Vec<Trace>>,
    ) -> Vec<Event> {
        let mut out = Vec::new();
        let text = &doc.text;
        let doc_date = doc.date.clone();
        // Lead sentences repeated at the start of the body are coded once, in the body.
        let body_first: Vec<String> = seg
            .sentences
            .iter()
            .filter(|s| s.region == RegionKind::Body)
            .take(3)
            .map(|s| norm_ws(doc.slice(s.span)))
            .collect();
        let lead_texts: Vec<String> = seg
            .sentences
            .iter()
            .filter(|s| s.region == RegionKind::Lead)
            .map(|s| norm_ws(doc.slice(s.span)))
            .collect();
        // Mentions are sorted by start; each sentence takes its range by binary search.
        let mention_starts: Vec<u32> = actors.mentions.iter().map(|m| m.span.start).collect();
        let sorted = mention_starts.windows(2).all(|w| w[0] <= w[1]);
        let mut ids: Vec<u32> = Vec::new();
        let mut slots: Vec<Option<(usize, usize)>> = Vec::new();
        let mut stamp: Vec<u32> = vec![0; self.patterns.len()];
        // Which words the current sentence has: a pattern is tried only when every word element can match.
        let mut present: Vec<u32> = vec![0; self.words.len()];
        let mut buf = String::new();
        for (si, sent) in seg.sentences.iter().enumerate() {
            let check_lead = !lead_texts.is_empty() && matches!(sent.region, RegionKind::Lead | RegionKind::Body);
            let sent_text = if check_lead {
                norm_ws(doc.slice(sent.span))
            } else {
                String::new()
            };
            let in_lead = check_lead
                && sent.region == RegionKind::Body
                && lead_texts.iter().any(|l| sent_text.starts_with(l.as_str()));
            if check_lead && sent.region == RegionKind::Lead && body_first.iter().any(|b| b.starts_with(&sent_text)) {
                if let Some(t) = trace.as_deref_mut() {
                    t.push(Trace {
                        sentence: si as u32,
                        lines: vec!["lead sentence repeated in the body: coded there".into()],
                    });
                }
                continue;
            }
            let range = seg.sentence_tokens[si].clone();
            let toks = &seg.tokens[range.clone()];
            ids.clear();
            for t in toks {
                let w = t.text(text);
                buf.clear();
                if w.is_ascii() {
                    buf.extend(w.bytes().map(|b| b.to_ascii_lowercase() as char));
                } else {
                    buf.push_str(&Normalized::new(w, true).text);
                }
                ids.push(self.words.get(buf.as_str()).copied().unwrap_or(NONE));
            }
            // Actor mentions by token start.
            slots.clear();
            slots.resize(toks.len(), None);
            let mut place_at: Vec<usize> = Vec::new();
            let (lo, hi) = if sorted {
                (
                    mention_starts.partition_point(|&st| st < sent.span.start),
                    mention_starts.partition_point(|&st| st < sent.span.end),
                )
            } else {
                (0, actors.mentions.len())
            };
            for (mi, m) in actors.mentions.iter().enumerate().take(hi).skip(lo) {
                // Places take slots too ("sent aid to Ukraine", "visited China"): the pattern's words
                // before the slot decide whether a place can be an actor there.
                if m.code.is_none() || m.kind == MentionKind::Adjective || !sent.span.contains(m.span) {
                    continue;
                }
                let a = toks.partition_point(|t| t.span.start < m.span.start);
                let b = toks.partition_point(|t| t.span.end <= m.span.end);
                if a < b && a < toks.len() && slots[a].is_none_or(|(_, e)| e < b) {
                    slots[a] = Some((mi, b));
                }
                if m.is_place && a < toks.len() {
                    place_at.push(a);
                }
            }
            let mut lines = Vec::new();
            let mut found: Vec<(Event, usize)> = Vec::new();
            let gen = si as u32 + 1;
            for &w in &ids {
                if w != NONE {
                    present[w as usize] = gen;
                }
            }
            for ti in 0..ids.len() {
                let w = ids[ti];
                if w == NONE {
                    continue;
                }
                for &pi in &self.anchors[w as usize] {
                    if stamp[pi as usize] == gen {
                        continue;
                    }
                    stamp[pi as usize] = gen;
                    let p = &self.patterns[pi as usize];
                    let possible = p.elems.iter().all(|e| match e {
                        CElem::Word(alts) => alts.iter().any(|&a| present[a as usize] == gen),
                        _ => true,
                    });
                    if !possible {
                        continue;
                    }
                    let entry = &self.lex.patterns[p.entry as usize];
                    let sctx = SentCtx {
                        ids: &ids,
                        slots: &slots,
                        places: &place_at,
                        special: &self.special,
                    };
                    let Some(m) = sctx.find(p) else {
                        if trace.is_some() {
                            lines.push(format!(
                                "  tried {}{} (line {}): no match",
                                entry.id,
                                if p.passive { " (passive)" } else { "" },
                                p.line
                            ));
                        }
                        continue;
                    };
                    let ev_span0 = Span {
                        start: toks[m.first].span.start,
                        end: toks[m.last].span.end,
                    };
                    // Agentless passives only inside a direct quote with a speaker (and an addressee when the
                    // pattern has a target).
                    let quoted = if p.agentless {
                        let q = quotes
                            .iter()
                            .find(|q| q.kind == QuoteKind::Direct && q.span.contains(ev_span0) && q.speaker.is_some());
                        match q {
                            Some(q) if !p.has_target || q.addressee.is_some() => Some(q),
                            _ => continue,
                        }
                    } else {
                        None
                    };
                    let why_not = self.filter(&sctx, p, &m, actors);
                    let rule = if p.agentless {
                        format!("{}+quoted-passive", entry.id)
                    } else if p.passive {
                        format!("{}+passive", entry.id)
                    } else {
                        entry.id.clone()
                    };
                    let ev_span = Span {
                        start: toks[m.first].span.start,
                        end: toks[m.last].span.end,
                    };
                    if let Some(reason) = why_not {
                        if trace.is_some() {
                            lines.push(format!(
                                "  tried {rule}: matched {:?} but dropped: {reason}",
                                doc.slice(ev_span)
                            ));
                        }
                        continue;
                    }
                    let info = self.cameo.get(&entry.code).expect("checked at compile time");
                    let aref = |mi: usize| {
                        let mm = &actors.mentions[mi];
                        ActorRef {
                            actor: mm.code.clone(),
                            name: mm.actor.map(|a| actors.actors[a].name.clone()),
                            span: mm.span,
                        }
                    };
                    let (date, date_reason) = dates::event_date(text, toks, doc_date.as_deref());
                    let (source, target) = match quoted {
                        Some(q) => (
                            q.speaker.clone().expect("checked"),
                            if p.has_target { q.addressee.clone() } else { None },
                        ),
                        None => (aref(m.sources[0]), m.targets.first().map(|&x| aref(x))),
                    };
                    let ev = Event {
                        source,
                        more_sources: m.sources.iter().skip(1).map(|&x| aref(x)).collect(),
                        target,
                        more_targets: m.targets.iter().skip(1).map(|&x| aref(x)).collect(),
                        code: entry.code.clone(),
                        root: info.root.clone(),
                        goldstein: info.goldstein,
                        quad_class: info.quad_class,
                        plover: info.plover.clone(),
                        sentence: si as u32,
                        evidence: ev_span,
                        rule: rule.clone(),
                        dict_version: self.version.clone(),
                        region: sent.region,
                        in_lead,
                        date: date.or_else(|| doc_date.clone()),
                        date_reason,
                        quote: None,
                        place: None,
                    };
                    if trace.is_some() {
                        lines.push(format!(
                            "  FIRED {rule} -> {} {} -> {} on {:?}",
                            entry.code,
                            ev.source.actor.as_deref().unwrap_or("?"),
                            ev.target.as_ref().and_then(|t| t.actor.as_deref()).unwrap_or("-"),
                            doc.slice(ev_span)
                        ));
                    }
                    found.push((ev, p.elems.len()));
                }
            }
            // Within a sentence: one event per (dyad, code family); the more specific code and the longer
            // pattern win.
            found.sort_by(|a, b| {
                b.0.code
                    .len()
                    .cmp(&a.0.code.len())
                    .then(b.1.cmp(&a.1))
                    .then(a.0.evidence.start.cmp(&b.0.evidence.start))
            });
            // Duplicates within a sentence: same dyad and code family (the more specific code wins); same
            // dyad and the very same evidence (the longer pattern wins; equal patterns keep both); an event
            // without a target beside the same source's targeted event over the same words.
            let mut kept: Vec<(Event, usize)> = Vec::new();
            for (e, n) in found {
                let dup = kept.iter().any(|(k, kn)| {
                    let family = same_family(&k.code, &e.code);
                    (same_dyad(k, &e) && (family || (k.evidence == e.evidence && k.root == e.root && *kn > n)))
                        || (e.target.is_none()
                            && k.target.is_some()
                            && k.source.actor == e.source.actor
                            && (family || k.evidence.contains(e.evidence)))
                });
                if !dup {
                    kept.push((e, n));
                }
            }
            let targeted: Vec<(Option<String>, String, Span)> = kept
                .iter()
                .filter(|(k, _)| k.target.is_some())
                .map(|(k, _)| (k.source.actor.clone(), k.code.clone(), k.evidence))
                .collect();
            kept.retain(|(k, _)| {
                k.target.is_some()
                    || !targeted
                        .iter()
                        .any(|(s, c, ev)| *s == k.source.actor && (same_family(c, &k.code) || ev.contains(k.evidence)))
            });
            let mut kept: Vec<Event> = kept.into_iter().map(|(e, _)| e).collect();
            kept.sort_by_key(|e| e.evidence.start);
            if let Some(t) = trace.as_deref_mut() {
                t.push(Trace {
                    sentence: si as u32,
                    lines,
                });
            }
            out.extend(kept);
        }
        out
    }

    /// Why a match must not become an event, if it must not.
    fn filter(&self, s: &SentCtx, p: &Compiled, m: &Match, actors: &Actors) -> Option<String> {
        let n = s.ids.len();
        if s.ids.last() == Some(&self.special.question) {
            return Some("question".into());
        }
        let (lo, hi) = (m.first, m.last);
        // A be-form between the source and the first pattern word, and "by" right after that word that the
        // pattern did not ask for: a passive sentence read as active.
        if let (Some(&first_word), false) = (m.pattern_tokens.first(), p.passive) {
            let src_end = lo.max(first_word.saturating_sub(4));
            let be_skipped = (src_end..first_word).any(|i| self.special.be.contains(&s.ids[i]));
            let by_next =
                s.ids.get(first_word + 1) == Some(&self.special.by) && !m.pattern_tokens.contains(&(first_word + 1));
            if be_skipped && by_next {
                return Some("passive voice read as active".into());
            }
        }
        if !p.neg_ok {
            for i in lo..=hi {
                if self.special.neg.contains(&s.ids[i]) && !m.pattern_tokens.contains(&i) {
                    return Some("negated".into());
                }
            }
        }
        if !p.modal_ok {
            let start = lo.saturating_sub(3);
            for i in start..=hi.min(n - 1) {
                if self.special.modal.contains(&s.ids[i]) && !m.pattern_tokens.contains(&i) {
                    return Some("hypothetical".into());
                }
            }
            // "If Russia attacks …"
            if (0..lo).any(|i| s.ids[i] == self.special.modal[3] || s.ids[i] == self.special.modal[4]) {
                return Some("conditional clause".into());
            }
        }
        let code = |mi: usize| actors.mentions[mi].code.clone();
        let same_entity = |a: usize, b: usize| {
            let (x, y) = (&actors.mentions[a], &actors.mentions[b]);
            x.actor.is_some() && x.actor == y.actor
        };
        for &t in &m.targets {
            for &sx in &m.sources {
                if code(sx) == code(t) || same_entity(sx, t) {
                    return Some(format!(
                        "source and target are the same actor ({})",
                        code(t).unwrap_or_default()
                    ));
                }
            }
        }
        None
    }
}

/// Codes of one family: one is a prefix of the other, or one is the root's general code ("010", "190")
/// and the other is in that root.
fn same_family(a: &str, b: &str) -> bool {
    let general = |c: &str| c.len() == 3 && c.ends_with('0');
    // The violent roots (18 assault, 19 fight, 20 mass violence) share their general codes.
    let violent = |c: &str| matches!(c.get(..2), Some("18" | "19" | "20"));
    a.starts_with(b)
        || b.starts_with(a)
        || ((general(a) || general(b)) && (a.get(..2) == b.get(..2) || (violent(a) && violent(b))))
}

fn same_dyad(a: &Event, b: &Event) -> bool {
    a.source.actor == b.source.actor && a.target.as_ref().map(|t| &t.actor) == b.target.as_ref().map(|t| &t.actor)
}

fn norm_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words with their `~` flag.
type Words = Vec<(String, bool)>;

/// `$S ~verb [*|[x]]… ~noun …` → (verb alternatives, noun alternatives) for a derived agentless passive
/// ("documents have been signed").
fn agentless_of(elems: &[Elem]) -> Option<(Vec<String>, Words)> {
    let [Elem::Source, Elem::Word(verb), rest @ ..] = elems else {
        return None;
    };
    if !verb.iter().all(|a| a.inflect) {
        return None;
    }
    for e in rest {
        match e {
            Elem::Skip(_) | Elem::Optional(_) => continue,
            Elem::Word(noun) if noun.iter().all(|a| a.inflect && a.word.len() > 3) => {
                return Some((
                    verb.iter().map(|a| a.word.clone()).collect(),
                    noun.iter().map(|a| (a.word.clone(), a.inflect)).collect(),
                ));
            }
            _ => return None,
        }
    }
    None
}

/// `$S ~verb [particle] $T` → (verb alternatives, particle alternatives) for a derived passive.
fn passive_of(elems: &[Elem]) -> Option<(Vec<String>, Option<Vec<String>>)> {
    let verb = |e: &Elem| match e {
        Elem::Word(alts) if alts.iter().all(|a| a.inflect) => {
            Some(alts.iter().map(|a| a.word.clone()).collect::<Vec<_>>())
        }
        _ => None,
    };
    let plain = |e: &Elem| match e {
        Elem::Word(alts) if alts.iter().all(|a| !a.inflect) => {
            Some(alts.iter().map(|a| a.word.clone()).collect::<Vec<_>>())
        }
        _ => None,
    };
    match elems {
        [Elem::Source, v, Elem::Target] => Some((verb(v)?, None)),
        [Elem::Source, v, pa, Elem::Target] => Some((verb(v)?, Some(plain(pa)?))),
        _ => None,
    }
}

struct SentCtx<'a> {
    ids: &'a [u32],
    slots: &'a [Option<(usize, usize)>],
    /// Token starts of mentions used as places ("in France"): targets only, never sources.
    places: &'a [usize],
    special: &'a Special,
}

#[derive(Debug, Default, Clone)]
struct Match {
    sources: Vec<usize>,
    targets: Vec<usize>,
    first: usize,
    last: usize,
    pattern_tokens: Vec<usize>,
}

impl SentCtx<'_> {
    /// The first match of `p` in the sentence (leftmost start).
    fn find(&self, p: &Compiled) -> Option<Match> {
        let n = self.ids.len();
        for start in 0..n {
            let ok_start = match &p.elems[0] {
                CElem::Source | CElem::Target => self.slots[start].is_some(),
                CElem::Word(ids) => ids.contains(&self.ids[start]),
                _ => true,
            };
            if !ok_start {
                continue;
            }
            let mut m = Match::default();
            if self.walk(&p.elems, 0, start, &mut m) {
                m.first = start;
                return Some(m);
            }
        }
        None
    }

    /// The mention sequences a slot can take at `ti`: the longest compound first, then a single mention.
    fn slot_options(&self, ti: usize) -> Vec<(Vec<usize>, usize)> {
        let Some((mi, end)) = self.slots[ti] else {
            return Vec::new();
        };
        let mut opts = vec![(vec![mi], end)];
        let mut cur = (vec![mi], end);
        loop {
            let e = cur.1;
            if e + 1 >= self.ids.len() {
                break;
            }
            let sep = self.ids[e];
            if sep != self.special.and && sep != self.special.comma {
                break;
            }
            // ", and"
            let next = if sep == self.special.comma && self.ids.get(e + 1) == Some(&self.special.and) {
                e + 2
            } else {
                e + 1
            };
            let Some(Some((m2, e2))) = self.slots.get(next).copied() else {
                break;
            };
            cur.0.push(m2);
            cur.1 = e2;
            if sep == self.special.and || next == e + 2 {
                opts.push(cur.clone());
                break;
            }
        }
        opts.reverse();
        opts
    }

    /// Matches token `ti` against one of `ids` and goes on with the next element.
    fn take_word(&self, ids: &[u32], elems: &[CElem], ei: usize, ti: usize, m: &mut Match) -> bool {
        if ti < self.ids.len() && ids.contains(&self.ids[ti]) {
            m.pattern_tokens.push(ti);
            if self.walk(elems, ei + 1, ti + 1, m) {
                return true;
            }
            m.pattern_tokens.pop();
        }
        false
    }

    fn walk(&self, elems: &[CElem], ei: usize, ti: usize, m: &mut Match) -> bool {
        if ei == elems.len() {
            m.last = ti.saturating_sub(1);
            return ti > 0;
        }
        let n = self.ids.len();
        match &elems[ei] {
            CElem::Source | CElem::Target => {
                if ti >= n {
                    return false;
                }
                let is_source = matches!(elems[ei], CElem::Source);
                if is_source && self.places.contains(&ti) {
                    return false;
                }
                for (ms, end) in self.slot_options(ti) {
                    if is_source {
                        m.sources = ms;
                    } else {
                        m.targets = ms;
                    }
                    if self.walk(elems, ei + 1, end, m) {
                        return true;
                    }
                    if is_source {
                        m.sources.clear();
                    } else {
                        m.targets.clear();
                    }
                }
                false
            }
            CElem::Word(ids) => self.take_word(ids, elems, ei, ti, m),
            CElem::Opt(ids) => self.take_word(ids, elems, ei, ti, m) || self.walk(elems, ei + 1, ti, m),
            CElem::Skip(k) => {
                for j in 0..=*k as usize {
                    if ti + j > n {
                        break;
                    }
                    if self.walk(elems, ei + 1, ti + j, m) {
                        return true;
                    }
                }
                false
            }
            CElem::Aux => {
                // A short parenthetical between subject and verb: "The Chinese leader, in turn, confirmed".
                if ti < n && self.ids[ti] == self.special.comma {
                    if let Some(k) = (ti + 2..(ti + 6).min(n)).find(|&k| self.ids[k] == self.special.comma) {
                        if (ti + 1..k).all(|x| self.slots[x].is_none()) && self.walk(elems, ei, k + 1, m) {
                            return true;
                        }
                    }
                }
                let mut j = 0;
                loop {
                    if self.walk(elems, ei + 1, ti + j, m) {
                        return true;
                    }
                    if j >= 3 || ti + j >= n || !self.special.aux.contains(&self.ids[ti + j]) {
                        return false;
                    }
                    j += 1;
                }
            }
        }
    }
}
