//! Paragraphs and sentences over tokens.
//!
//! A sentence ends at `.`, `!`, `?` or `...` (with any closing quotes and brackets right after it) when the
//! next token opens a sentence: an upper-case word, a number, an opening quote or bracket. It does not end
//! after titles ("Mr.", "Gen."), initials ("J."), month abbreviations before a day ("Nov. 1"), nor after
//! other abbreviations and dotted acronyms ("U.S.", "Inc.") unless the next word is a common sentence
//! opener. A lower-case word after the stop never opens a sentence (`"Why?" he asked.`). Paragraph breaks
//! (a blank line, or a new line indented as in fixed-width wire copy) always end a sentence.

use annalist_core::Span;

use crate::token::{Token, TokenKind};

/// Words after which a full stop never ends a sentence: they stand before a name.
const TITLES: &[&str] = &[
    "adm", "brig", "capt", "cmdr", "col", "cpl", "dr", "fr", "gen", "gov", "hon", "insp", "lt", "maj", "messrs",
    "mlle", "mme", "mr", "mrs", "ms", "msgr", "pres", "prof", "pvt", "rep", "rev", "sen", "sgt", "sr", "st", "supt",
];

/// Month abbreviations: no break before a day number ("Nov. 1").
const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Abbreviations that usually sit mid-sentence but may end one.
const OTHER_ABBREVS: &[&str] = &[
    "approx", "av", "ave", "bros", "co", "corp", "dept", "est", "etc", "fig", "inc", "jr", "ltd", "mt", "no", "nos",
    "op", "pp", "plc", "vol", "vs",
];

/// Capitalised words that commonly open a sentence: after an abbreviation they signal a break.
const OPENERS: &[&str] = &[
    "a",
    "according",
    "after",
    "also",
    "an",
    "and",
    "as",
    "at",
    "before",
    "but",
    "during",
    "for",
    "he",
    "her",
    "his",
    "however",
    "i",
    "if",
    "in",
    "it",
    "its",
    "meanwhile",
    "on",
    "she",
    "since",
    "that",
    "the",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "under",
    "we",
    "when",
    "while",
    "with",
    "yet",
];

fn is_closer(s: &str) -> bool {
    matches!(s, "\"" | "\u{201D}" | "\u{2019}" | "'" | ")" | "]" | "\u{00BB}" | "}")
}

fn is_opener_punct(s: &str) -> bool {
    matches!(
        s,
        "\"" | "\u{201C}" | "\u{2018}" | "'" | "(" | "[" | "\u{00AB}" | "\u{201E}"
    )
}

/// Byte offsets (absolute) where a new paragraph starts inside `range`: after a blank line, or after a
/// line break followed by indentation of two or more spaces or a tab.
pub fn paragraph_starts(text: &str, range: Span) -> Vec<usize> {
    let s = &text[range.range()];
    let b = s.as_bytes();
    let mut out = vec![range.start as usize];
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\n' {
            let mut j = i + 1;
            let mut spaces = 0;
            let mut blank = false;
            while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r' | b'\n') {
                match b[j] {
                    b'\n' => {
                        blank = true;
                        spaces = 0;
                    }
                    b'\t' => spaces += 2,
                    b' ' => spaces += 1,
                    _ => {}
                }
                j += 1;
            }
            if (blank || spaces >= 2) && j < b.len() {
                out.push(range.start as usize + j);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn lower_ascii(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// Splits one paragraph's tokens into sentences; returns spans from first to last token.
pub fn split_tokens(text: &str, tokens: &[Token]) -> Vec<Span> {
    let mut out = Vec::new();
    if tokens.is_empty() {
        return out;
    }
    let mut start = 0usize;
    let mut i = 0usize;
    while i < tokens.len() {
        let t = tokens[i];
        let tt = t.text(text);
        let terminal = t.kind == TokenKind::Punct && matches!(tt, "." | "!" | "?" | "..." | "\u{2026}")
            || (t.kind == TokenKind::Word && tt.len() > 2 && tt.ends_with('.'));
        if !terminal {
            i += 1;
            continue;
        }
        // Absorb further stops and adjacent closing quotes / brackets.
        let mut j = i + 1;
        while j < tokens.len() {
            let u = tokens[j];
            let ut = u.text(text);
            let adjacent = u.span.start == tokens[j - 1].span.end;
            if u.kind == TokenKind::Punct && (matches!(ut, "." | "!" | "?" | "...") || (adjacent && is_closer(ut))) {
                j += 1;
            } else {
                break;
            }
        }
        if j >= tokens.len() {
            break;
        }
        if ends_sentence(text, tokens, i, j) {
            out.push(Span {
                start: tokens[start].span.start,
                end: tokens[j - 1].span.end,
            });
            start = j;
        }
        i = j;
    }
    if start < tokens.len() {
        out.push(Span {
            start: tokens[start].span.start,
            end: tokens[tokens.len() - 1].span.end,
        });
    }
    out
}

/// Decides whether the stop at `tokens[stop]` (closers up to `next`) ends a sentence before `tokens[next]`.
fn ends_sentence(text: &str, tokens: &[Token], stop: usize, next: usize) -> bool {
    let nt = tokens[next];
    let ntext = nt.text(text);
    let first = ntext.chars().next().unwrap_or(' ');
    if first.is_lowercase() {
        return false;
    }
    let opens = first.is_uppercase() || first.is_numeric() || is_opener_punct(ntext) || nt.kind == TokenKind::Word;
    if !opens {
        return false;
    }
    let st = tokens[stop];
    let stext = st.text(text);
    // The word the stop belongs to: an acronym token carries its own dot.
    let (word, word_adjacent) = if st.kind == TokenKind::Word {
        (Some(stext.trim_end_matches('.')), true)
    } else if stext == "." && stop > 0 {
        let p = tokens[stop - 1];
        (
            Some(p.text(text)),
            p.span.end == st.span.start && p.kind == TokenKind::Word,
        )
    } else {
        (None, false)
    };
    if let (Some(w), true) = (word, word_adjacent) {
        let lw = lower_ascii(w);
        let next_is_opener_word = nt.kind == TokenKind::Word && OPENERS.contains(&lower_ascii(ntext).as_str());
        if TITLES.contains(&lw.as_str()) {
            return false;
        }
        // An initial: one upper-case letter.
        let mut cs = w.chars();
        if let (Some(c), None) = (cs.next(), cs.next()) {
            if c.is_uppercase() {
                return false;
            }
        }
        if MONTHS.contains(&lw.as_str()) && first.is_numeric() {
            return false;
        }
        if lw == "no" && first.is_numeric() {
            return false;
        }
        if OTHER_ABBREVS.contains(&lw.as_str()) || st.kind == TokenKind::Word {
            return next_is_opener_word;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;

    fn split(s: &str) -> Vec<&str> {
        let toks = tokenize(s);
        split_tokens(s, &toks).into_iter().map(|sp| &s[sp.range()]).collect()
    }

    #[test]
    fn simple_split() {
        assert_eq!(
            split("Xi met Putin. They signed a deal."),
            ["Xi met Putin.", "They signed a deal."]
        );
    }

    #[test]
    fn titles_initials_months_decimals() {
        assert_eq!(
            split("Mr. Smith met Gen. Jones on Nov. 1 in J. K. Street."),
            ["Mr. Smith met Gen. Jones on Nov. 1 in J. K. Street."]
        );
        assert_eq!(
            split("Growth was 3.5 percent. It fell."),
            ["Growth was 3.5 percent.", "It fell."]
        );
        assert_eq!(
            split("Martin Luther King Jr. was born in Atlanta."),
            ["Martin Luther King Jr. was born in Atlanta."]
        );
    }

    #[test]
    fn acronyms() {
        assert_eq!(
            split("The U.S. Army left. Then it came back."),
            ["The U.S. Army left.", "Then it came back."]
        );
        assert_eq!(
            split("He flew to the U.S. The talks began."),
            ["He flew to the U.S.", "The talks began."]
        );
    }

    #[test]
    fn quotations() {
        assert_eq!(
            split("\"We agree,\" he said. \"We will sign,\" Xi added. \"Why?\" he asked."),
            [
                "\"We agree,\" he said.",
                "\"We will sign,\" Xi added.",
                "\"Why?\" he asked."
            ]
        );
        assert_eq!(
            split("He said: \u{201C}It is done.\u{201D} Then he left."),
            ["He said: \u{201C}It is done.\u{201D}", "Then he left."]
        );
    }

    #[test]
    fn paragraphs() {
        let t = "First para\nstill first.\n\nSecond.\n    Third indented.";
        let p = paragraph_starts(t, Span::new(0, t.len()));
        assert_eq!(p.len(), 3);
        assert_eq!(&t[p[1]..p[1] + 6], "Second");
        assert_eq!(&t[p[2]..p[2] + 5], "Third");
    }
}
