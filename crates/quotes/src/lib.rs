//! Quotations and their speakers: direct quotes (straight and curly marks, over several sentences and
//! paragraphs, partial quotes) and indirect speech ("X said that …", "according to X, …", "…, X said"),
//! each attributed to a speaker resolved through the actor stage's coreference.
//!
//! Design decision: quote marks are paired per paragraph on tokens, with the news convention that a
//! paragraph which opens a quote and does not close it continues only when the next paragraph opens with a
//! quote mark; otherwise the quote ends with its paragraph, so an unbalanced mark never swallows the rest of
//! the article. Speakers come from cue verbs next to the quote (`," X said`, `X said: "`, `," said X`) or
//! continue the previous quote; every quote records why (`attribution`). Inside a direct quote "we"/"our"
//! become the speaker's side and "you" the person addressed, so that event patterns can fire inside quotes.
//!
//! ```
//! use annalist_core::{Document, Region, RegionKind, Span};
//! use annalist_lexicon::Lexicon;
//! let lex = Lexicon::embedded();
//! let mut doc = Document::new("d", "\"We are ready,\" Vladimir Putin said.");
//! doc.date = Some("2020-01-01".into());
//! doc.regions.push(Region { kind: RegionKind::Body, span: Span::new(0, doc.text.len()) });
//! let seg = annalist_text::segment(&doc);
//! let actors = annalist_actors::find(&doc, &seg, lex);
//! let found = annalist_quotes::QuoteFinder::new(lex).find(&doc, &seg, &actors);
//! assert_eq!(doc.slice(found.quotes[0].span), "We are ready,");
//! assert_eq!(found.quotes[0].speaker.as_ref().unwrap().actor.as_deref(), Some("RUSGOV"));
//! ```

use std::collections::HashSet;

use annalist_actors::{Actors, Mention, MentionKind};
use annalist_core::{ActorRef, Document, EntityType, Quote, QuoteKind, Span};
use annalist_lexicon::{inflect, Lexicon};
use annalist_text::{Segmented, TokenKind};

/// What the quote stage found.
#[derive(Debug, Clone, Default)]
pub struct Quotes {
    pub quotes: Vec<Quote>,
    /// "we"/"our"/"us" and "you" inside direct quotes, resolved to the speaker's side and the addressee.
    pub mentions: Vec<Mention>,
}

/// Finds quotations with the cue words of a lexicon.
pub struct QuoteFinder {
    verbs: HashSet<String>,
    phrases: Vec<Vec<String>>,
}

fn is_open(t: &str) -> bool {
    matches!(t, "\u{201C}" | "\u{00AB}" | "\u{201E}")
}
fn is_close(t: &str) -> bool {
    matches!(t, "\u{201D}" | "\u{00BB}")
}

/// A quote-mark token: which way it faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open,
    Close,
}

impl QuoteFinder {
    pub fn new(lex: &Lexicon) -> QuoteFinder {
        let mut verbs = HashSet::new();
        let mut phrases = Vec::new();
        for c in &lex.cues {
            if c.kind == "verb" {
                verbs.extend(inflect::forms(&c.phrase));
            } else {
                phrases.push(c.phrase.split_whitespace().map(String::from).collect());
            }
        }
        QuoteFinder { verbs, phrases }
    }

    fn is_cue(&self, w: &str) -> bool {
        self.verbs.contains(&w.to_lowercase())
    }

    /// Finds the quotes of a document.
    pub fn find(&self, doc: &Document, seg: &Segmented, actors: &Actors) -> Quotes {
        let text = &doc.text;
        let toks = &seg.tokens;
        let tt = |i: usize| toks[i].text(text);
        // Token index -> sentence index.
        let mut sent_of = vec![0u32; toks.len()];
        for (si, r) in seg.sentence_tokens.iter().enumerate() {
            for i in r.clone() {
                sent_of[i] = si as u32;
            }
        }
        // Paragraph token ranges.
        let mut paras: Vec<std::ops::Range<usize>> = Vec::new();
        for (si, s) in seg.sentences.iter().enumerate() {
            let r = seg.sentence_tokens[si].clone();
            match paras.last_mut() {
                Some(p) if si > 0 && seg.sentences[si - 1].paragraph == s.paragraph => p.end = r.end,
                _ => paras.push(r),
            }
        }
        let mark = |i: usize| -> Option<Mark> {
            let t = tt(i);
            if is_open(t) {
                return Some(Mark::Open);
            }
            if is_close(t) {
                return Some(Mark::Close);
            }
            if t != "\"" {
                return None;
            }
            let space_before = i == 0 || toks[i - 1].span.end < toks[i].span.start;
            let space_after = i + 1 >= toks.len() || toks[i].span.end < toks[i + 1].span.start;
            Some(if space_before && !space_after {
                Mark::Open
            } else {
                Mark::Close
            })
        };
        // 1. Direct quotes: (first content token, last content token exclusive, open mark, close mark).
        let mut direct: Vec<(usize, usize, usize, Option<usize>)> = Vec::new();
        let mut carry: Option<usize> = None;
        for (pi, p) in paras.iter().enumerate() {
            let mut open: Option<usize> = carry.take();
            let continuing = open.is_some();
            for i in p.clone() {
                if continuing && i == p.start {
                    // The mark that reopens a quote continued from the previous paragraph.
                    continue;
                }
                match mark(i) {
                    Some(Mark::Open) if open.is_none() => open = Some(i),
                    Some(Mark::Close) | Some(Mark::Open) if open.is_some() => {
                        let o = open.take().unwrap_or(i);
                        if i > o + 1 {
                            direct.push((o + 1, i, o, Some(i)));
                        }
                    }
                    _ => {}
                }
            }
            if let Some(o) = open {
                if paras.get(pi + 1).is_some_and(|np| mark(np.start) == Some(Mark::Open)) {
                    // News convention: the quote goes on in the next paragraph, which reopens it.
                    carry = Some(o);
                } else if p.end > o + 1 {
                    // Unbalanced: the quote ends with its paragraph.
                    direct.push((o + 1, p.end, o, None));
                }
            }
        }
        let merged = direct;
        let mention_at = |i: usize| {
            actors
                .mentions
                .iter()
                .filter(|m| m.kind != MentionKind::Adjective && !m.is_place)
                .find(|m| m.span.start == toks[i].span.start)
        };
        let mention_ending = |i: usize| {
            actors
                .mentions
                .iter()
                .filter(|m| m.kind != MentionKind::Adjective && !m.is_place)
                .filter(|m| m.span.end == toks[i].span.end)
                .max_by_key(|m| m.span.len())
        };
        let aref = |m: &Mention| ActorRef {
            actor: m.code.clone(),
            name: m.actor.map(|a| actors.actors[a].name.clone()),
            span: m.span,
        };
        let mut quotes: Vec<Quote> = Vec::new();
        let mut quoted_tokens: Vec<(usize, usize)> = Vec::new();
        for &(a, b, open, close) in &merged {
            if a >= b {
                continue;
            }
            let content = Span {
                start: toks[a].span.start,
                end: toks[b - 1].span.end,
            };
            quoted_tokens.push((open, close.unwrap_or(b)));
            let sentences = (sent_of[a], sent_of[b - 1]);
            let mut speaker: Option<ActorRef> = None;
            let mut cue: Option<Span> = None;
            let mut why = None;
            // After the closing mark, in the same sentence: `, X said` / `, said X`.
            if let Some(c) = close {
                let end_sent = seg.sentence_tokens[sent_of[c] as usize].end;
                let mut i = c + 1;
                if i < end_sent && tt(i) == "," {
                    i += 1;
                }
                if i < end_sent {
                    if let Some(m) = mention_at(i) {
                        let after = toks.partition_point(|t| t.span.end <= m.span.end);
                        let mut v = after;
                        while v < end_sent
                            && matches!(tt(v).to_lowercase().as_str(), "has" | "had" | "also" | "then" | "later")
                        {
                            v += 1;
                        }
                        if v < end_sent && self.is_cue(tt(v)) {
                            speaker = Some(aref(m));
                            cue = Some(toks[v].span);
                            why = Some("speaker and cue after the quote".to_string());
                        }
                    } else if self.is_cue(tt(i)) && i + 1 < end_sent {
                        if let Some(m) = mention_at(i + 1) {
                            speaker = Some(aref(m));
                            cue = Some(toks[i].span);
                            why = Some("cue and speaker after the quote".to_string());
                        }
                    } else {
                        // An unresolved speaker: a noun phrase up to a cue ("a senior official said").
                        let mut v = i;
                        while v < end_sent && v < i + 6 && !self.is_cue(tt(v)) && toks[v].kind == TokenKind::Word {
                            v += 1;
                        }
                        if v > i && v < end_sent && self.is_cue(tt(v)) {
                            let sp = Span {
                                start: toks[i].span.start,
                                end: toks[v - 1].span.end,
                            };
                            let inner = actors
                                .mentions
                                .iter()
                                .filter(|m| sp.contains(m.span) && m.code.is_some())
                                .max_by_key(|m| m.span.len());
                            speaker = Some(ActorRef {
                                actor: inner.and_then(|m| m.code.clone()),
                                name: None,
                                span: sp,
                            });
                            cue = Some(toks[v].span);
                            why = Some("unnamed speaker before a cue after the quote".to_string());
                        }
                    }
                }
            }
            // Before the opening mark: `X said: "` / `X said, "` / `According to X, "`.
            if speaker.is_none() {
                let start_sent = seg.sentence_tokens[sent_of[open] as usize].start;
                let mut i = open;
                while i > start_sent && matches!(tt(i - 1), ":" | "," | "that") {
                    i -= 1;
                }
                if i > start_sent && self.is_cue(tt(i - 1)) {
                    let v = i - 1;
                    let mut j = v;
                    while j > start_sent
                        && matches!(
                            tt(j - 1).to_lowercase().as_str(),
                            "has" | "had" | "also" | "then" | "later"
                        )
                    {
                        j -= 1;
                    }
                    if j > start_sent {
                        if let Some(m) = mention_ending(j - 1) {
                            speaker = Some(aref(m));
                            cue = Some(toks[v].span);
                            why = Some("speaker and cue before the quote".to_string());
                        }
                    }
                }
            }
            // A quote with no cue continues the previous quote's speaker when it follows it closely.
            if speaker.is_none() {
                if let Some(prev) = quotes.last() {
                    if prev.kind == QuoteKind::Direct && sentences.0 <= prev.sentences.1 + 2 {
                        speaker = prev.speaker.clone();
                        why = Some("continues the previous quote".to_string());
                    }
                }
            }
            // A partial quote inside a sentence: the sentence's subject speaks ("called the talks 'constructive'").
            quotes.push(Quote {
                span: content,
                kind: QuoteKind::Direct,
                speaker,
                cue,
                sentences,
                attribution: why,
                addressee: None,
            });
        }
        // 2. Indirect speech, outside direct quotes.
        let in_direct = |i: usize| quoted_tokens.iter().any(|&(o, c)| o <= i && i <= c);
        for (si, r) in seg.sentence_tokens.iter().enumerate() {
            let (s0, s1) = (r.start, r.end);
            if s0 == s1 {
                continue;
            }
            let last = if matches!(tt(s1 - 1), "." | "!" | "?") {
                s1 - 1
            } else {
                s1
            };
            // "according to X, CONTENT" / "CONTENT, according to X"
            for ph in &self.phrases {
                let n = ph.len();
                for i in s0..s1.saturating_sub(n) {
                    if in_direct(i) || !(0..n).all(|k| tt(i + k).eq_ignore_ascii_case(&ph[k])) {
                        continue;
                    }
                    let Some(m) = mention_at(i + n) else { continue };
                    let after = toks.partition_point(|t| t.span.end <= m.span.end);
                    let cue_span = Span {
                        start: toks[i].span.start,
                        end: toks[i + n - 1].span.end,
                    };
                    let (a, b) = if i == s0 && after < last && tt(after) == "," {
                        (after + 1, last)
                    } else if i > s0 && tt(i - 1) == "," {
                        (s0, i - 1)
                    } else {
                        continue;
                    };
                    if a < b && !(a..b).any(in_direct) {
                        quotes.push(Quote {
                            span: Span {
                                start: toks[a].span.start,
                                end: toks[b - 1].span.end,
                            },
                            kind: QuoteKind::Indirect,
                            speaker: Some(aref(m)),
                            cue: Some(cue_span),
                            sentences: (si as u32, si as u32),
                            attribution: Some(format!("\"{}\" + speaker", ph.join(" "))),
                            addressee: None,
                        });
                    }
                }
            }
            // "X said (that) CONTENT" and "CONTENT, X said."
            for v in s0..s1 {
                if in_direct(v) || !self.is_cue(tt(v)) || toks[v].kind != TokenKind::Word {
                    continue;
                }
                let mut j = v;
                while j > s0
                    && matches!(
                        tt(j - 1).to_lowercase().as_str(),
                        "has" | "had" | "also" | "have" | "then" | "later" | "will"
                    )
                {
                    j -= 1;
                }
                let Some(m) = (j > s0).then(|| mention_ending(j - 1)).flatten() else {
                    continue;
                };
                if in_direct(j - 1) {
                    continue;
                }
                let msent = toks.partition_point(|t| t.span.start < m.span.start);
                // Content after the cue: skip an object ("told reporters") and "that".
                let mut a = v + 1;
                if a < last
                    && matches!(
                        tt(a).to_lowercase().as_str(),
                        "reporters" | "journalists" | "parliament" | "lawmakers" | "the" | "a"
                    )
                {
                    while a < last && !matches!(tt(a).to_lowercase().as_str(), "that" | "," | ":") && a < v + 5 {
                        a += 1;
                    }
                }
                if a < last && matches!(tt(a).to_lowercase().as_str(), "that" | ",") {
                    a += 1;
                }
                let after_ok = a < last
                    && !matches!(tt(a), ":" | "\"" | "\u{201C}" | ".")
                    && !matches!(
                        tt(a).to_lowercase().as_str(),
                        "on" | "in" | "at" | "during" | "after" | "to" | "by" | "it"
                    );
                if after_ok && !(a..last).any(in_direct) && last - a >= 3 {
                    quotes.push(Quote {
                        span: Span {
                            start: toks[a].span.start,
                            end: toks[last - 1].span.end,
                        },
                        kind: QuoteKind::Indirect,
                        speaker: Some(aref(m)),
                        cue: Some(toks[v].span),
                        sentences: (si as u32, si as u32),
                        attribution: Some("speaker and cue before the reported clause".into()),
                        addressee: None,
                    });
                } else if msent > s0 + 2 && tt(msent - 1) == "," && v + 1 >= last && !(s0..msent).any(in_direct) {
                    quotes.push(Quote {
                        span: Span {
                            start: toks[s0].span.start,
                            end: toks[msent - 2].span.end,
                        },
                        kind: QuoteKind::Indirect,
                        speaker: Some(aref(m)),
                        cue: Some(toks[v].span),
                        sentences: (si as u32, si as u32),
                        attribution: Some("reported clause, then speaker and cue".into()),
                        addressee: None,
                    });
                }
            }
        }
        quotes.sort_by_key(|q| q.span.start);
        // 3. "we"/"our"/"us" and "you" inside direct quotes.
        let mut mentions = Vec::new();
        for q in quotes.iter_mut().filter(|q| q.kind == QuoteKind::Direct) {
            let Some(sp) = q.speaker.clone() else { continue };
            let speaker_mention = actors.mentions.iter().find(|m| m.span == sp.span);
            let addressee = addressee(actors, speaker_mention, q.sentences.0);
            q.addressee = addressee.map(aref);
            let a = toks.partition_point(|t| t.span.start < q.span.start);
            let b = toks.partition_point(|t| t.span.end <= q.span.end);
            for i in a..b {
                let w = tt(i).to_lowercase();
                let (side, code, actor) = match w.as_str() {
                    "we" | "us" | "our" => ("speaker", sp.actor.clone(), speaker_mention.and_then(|m| m.actor)),
                    "you" | "your" => match addressee {
                        Some(m) => ("addressee", m.code.clone(), m.actor),
                        None => continue,
                    },
                    _ => continue,
                };
                if code.is_none() {
                    continue;
                }
                let _ = side;
                mentions.push(Mention {
                    span: toks[i].span,
                    head: toks[i].span,
                    kind: MentionKind::Pronoun,
                    etype: EntityType::Person,
                    code,
                    actor,
                    sentence: sent_of[i],
                    quoted: true,
                    is_place: false,
                });
            }
        }
        Quotes { quotes, mentions }
    }
}

/// The person a quote is addressed to: the most recent person mention before the quote (within two
/// sentences) whose actor is not the speaker's.
fn addressee<'a>(actors: &'a Actors, speaker: Option<&Mention>, sentence: u32) -> Option<&'a Mention> {
    let speaker_actor = speaker.and_then(|m| m.actor);
    let speaker_country = speaker
        .and_then(|m| m.code.as_ref())
        .map(|c| c[..3.min(c.len())].to_string());
    actors
        .mentions
        .iter()
        .rev()
        .filter(|m| m.sentence + 2 >= sentence && m.sentence <= sentence && m.etype == EntityType::Person && !m.quoted)
        .filter(|m| m.actor.is_some() && m.actor != speaker_actor)
        .find(|m| m.code.as_ref().map(|c| c[..3.min(c.len())].to_string()) != speaker_country)
}

#[cfg(test)]
mod tests {
    use super::*;
    use annalist_core::{Region, RegionKind};

    fn run(text: &str) -> (Document, Quotes) {
        let lex = Lexicon::embedded();
        let mut doc = Document::new("t", text);
        doc.date = Some("2017-11-01".into());
        doc.regions.push(Region {
            kind: RegionKind::Body,
            span: Span::new(0, text.len()),
        });
        let seg = annalist_text::segment(&doc);
        let actors = annalist_actors::find(&doc, &seg, lex);
        let q = QuoteFinder::new(lex).find(&doc, &seg, &actors);
        (doc, q)
    }

    fn summary(doc: &Document, q: &Quotes) -> Vec<(String, String, Option<String>)> {
        q.quotes
            .iter()
            .map(|x| {
                (
                    format!("{:?}", x.kind),
                    doc.slice(x.span).to_string(),
                    x.speaker.as_ref().map(|s| doc.slice(s.span).to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn unbalanced_quote_stops_at_its_paragraph() {
        let (d, q) = run(
            "\"We will never give up, Vladimir Putin said.\n\nThe next paragraph is not a quote. Neither is this one.",
        );
        let s = summary(&d, &q);
        assert_eq!(s.len(), 1, "{s:?}");
        assert!(!s[0].1.contains("next paragraph"));
    }

    #[test]
    fn quote_over_three_paragraphs() {
        let text =
            "Vladimir Putin said: \"The first part.\n\n\"The second part.\n\n\"The third part.\"\n\nThen he left.";
        let (d, q) = run(text);
        let s = summary(&d, &q);
        let direct: Vec<_> = s.iter().filter(|x| x.0 == "Direct").collect();
        assert_eq!(direct.len(), 1, "{s:?}");
        assert!(
            direct[0].1.starts_with("The first part.") && direct[0].1.ends_with("The third part."),
            "{s:?}"
        );
        assert_eq!(direct[0].2.as_deref(), Some("Vladimir Putin"));
    }

    #[test]
    fn quote_at_the_end_of_an_article_and_interleaved_speakers() {
        let text = "\"Yes,\" Emmanuel Macron said. \"No,\" Olaf Scholz replied. \"Maybe later.\"";
        let (d, q) = run(text);
        let s = summary(&d, &q);
        assert_eq!(s[0].2.as_deref(), Some("Emmanuel Macron"));
        assert_eq!(s[1].2.as_deref(), Some("Olaf Scholz"));
        assert_eq!(
            s[2],
            ("Direct".into(), "Maybe later.".into(), Some("Olaf Scholz".into()))
        );
    }

    #[test]
    fn indirect_speech() {
        let (d, q) = run("According to Vladimir Putin, the talks went well. Emmanuel Macron said that France would send aid to Ukraine.");
        let s = summary(&d, &q);
        assert!(
            s.contains(&(
                "Indirect".into(),
                "the talks went well".into(),
                Some("Vladimir Putin".into())
            )),
            "{s:?}"
        );
        assert!(
            s.contains(&(
                "Indirect".into(),
                "France would send aid to Ukraine".into(),
                Some("Emmanuel Macron".into())
            )),
            "{s:?}"
        );
    }
}
