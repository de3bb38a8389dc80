//! Tokens with exact byte spans into the original text.
//!
//! Rules, in the spirit of the Penn Treebank conventions used by news taggers: possessive `'s` and the
//! negation `n't` are their own tokens ("Moscow" "’s", "did" "n't"); hyphens split words ("Chinese" "-"
//! "Russian"); dotted acronyms stay whole ("U.S.", "U.N."); numbers keep their decimal point, thousands
//! separators and clock colons ("3.5", "1,000", "15:36"); ordinals stay whole ("19th").

use annalist_core::Span;

use crate::normalize::fold_char;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

/// One token. `span` is exact against the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

impl Token {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.span.range()]
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

fn is_mark(c: char) -> bool {
    // Combining marks (accents written as separate code points) belong to the word.
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{20D0}'..='\u{20FF}')
}

/// True when the char is skipped between tokens.
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(fold_char(c), Some("") | Some(" "))
}

/// Tokenizes `text[range]`, appending to `out`.
pub fn tokenize_into(text: &str, range: Span, out: &mut Vec<Token>) {
    let base = range.start as usize;
    let s = &text[range.range()];
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let n = chars.len();
    let end_of = |k: usize| if k < n { chars[k].0 } else { s.len() };
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if is_space(c) {
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        if c.is_numeric() {
            kind = TokenKind::Number;
            i += 1;
            while i < n {
                let d = chars[i].1;
                if d.is_alphanumeric() {
                    i += 1;
                } else if matches!(d, '.' | ',' | ':' | '/')
                    && i + 1 < n
                    && chars[i + 1].1.is_ascii_digit()
                    && chars[i - 1].1.is_ascii_digit()
                {
                    i += 2;
                } else {
                    break;
                }
            }
        } else if is_word_char(c) {
            kind = TokenKind::Word;
            i += 1;
            // Dotted acronym: letter (. letter)+ .  e.g. U.S. / U.N. / e.g.
            if i < n && chars[i].1 == '.' && i + 1 < n && chars[i + 1].1.is_alphabetic() {
                let mut k = i;
                let mut ok = true;
                while k < n && chars[k].1 == '.' {
                    if k + 1 < n && chars[k + 1].1.is_alphabetic() && (k + 2 >= n || !is_word_char(chars[k + 2].1)) {
                        k += 2;
                    } else {
                        ok = k > i;
                        break;
                    }
                }
                if ok && k > i {
                    // Swallow the final dot of the acronym.
                    if k < n && chars[k].1 == '.' {
                        k += 1;
                    }
                    i = k;
                    out.push(Token {
                        span: Span::new(base + chars[start].0, base + end_of(i)),
                        kind,
                    });
                    continue;
                }
            }
            while i < n {
                let d = chars[i].1;
                if is_word_char(d) {
                    // Split n't: "didn't" -> "did" "n't"
                    if (d == 'n' || d == 'N')
                        && i + 2 < n
                        && is_apostrophe(chars[i + 1].1)
                        && (chars[i + 2].1 == 't' || chars[i + 2].1 == 'T')
                        && (i + 3 >= n || !is_word_char(chars[i + 3].1))
                        && i > start
                    {
                        break;
                    }
                    i += 1;
                } else if is_apostrophe(d) && i + 1 < n && is_word_char(chars[i + 1].1) {
                    // Possessive / contraction suffixes become their own token.
                    let rest_end = {
                        let mut k = i + 1;
                        while k < n && is_word_char(chars[k].1) {
                            k += 1;
                        }
                        k
                    };
                    let suffix: String = chars[i + 1..rest_end]
                        .iter()
                        .map(|x| x.1.to_ascii_lowercase())
                        .collect();
                    if matches!(suffix.as_str(), "s" | "re" | "ve" | "ll" | "d" | "m") {
                        break;
                    }
                    i += 1; // O'Brien, d'Ivoire
                } else {
                    break;
                }
            }
        } else if is_apostrophe(c)
            && i + 1 < n
            && chars[i + 1].1.is_alphabetic()
            && out.last().is_some_and(|t| t.span.end as usize == base + chars[i].0)
        {
            // A clitic after a word: 's 're 've 'll 'd 'm
            kind = TokenKind::Word;
            i += 1;
            while i < n && is_word_char(chars[i].1) {
                i += 1;
            }
        } else {
            kind = TokenKind::Punct;
            i += 1;
            // Runs of dots ("...") stay one token.
            if c == '.' {
                while i < n && chars[i].1 == '.' {
                    i += 1;
                }
            }
        }
        out.push(Token {
            span: Span::new(base + chars[start].0, base + end_of(i)),
            kind,
        });
        // n't as its own token
        if kind == TokenKind::Word
            && i + 2 < n
            && (chars[i].1 == 'n' || chars[i].1 == 'N')
            && is_apostrophe(chars[i + 1].1)
            && (chars[i + 2].1 == 't' || chars[i + 2].1 == 'T')
        {
            let s0 = i;
            i += 3;
            out.push(Token {
                span: Span::new(base + chars[s0].0, base + end_of(i)),
                kind: TokenKind::Word,
            });
        }
    }
}

/// Tokenizes a whole text.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    tokenize_into(text, Span::new(0, text.len()), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        tokenize(s).iter().map(|t| t.text(s)).collect()
    }

    #[test]
    fn basic_words_and_punct() {
        assert_eq!(toks("Xi met Putin."), ["Xi", "met", "Putin", "."]);
    }

    #[test]
    fn possessive_and_negation() {
        assert_eq!(toks("Moscow\u{2019}s plan"), ["Moscow", "\u{2019}s", "plan"]);
        assert_eq!(toks("They didn't sign"), ["They", "did", "n't", "sign"]);
        assert_eq!(toks("O'Brien said"), ["O'Brien", "said"]);
    }

    #[test]
    fn acronyms_numbers_hyphens() {
        assert_eq!(toks("the U.S. army"), ["the", "U.S.", "army"]);
        assert_eq!(
            toks("3.5 per cent of 1,000 at 15:36"),
            ["3.5", "per", "cent", "of", "1,000", "at", "15:36"]
        );
        assert_eq!(toks("Chinese-Russian ties"), ["Chinese", "-", "Russian", "ties"]);
        assert_eq!(toks("the 19th Congress"), ["the", "19th", "Congress"]);
        assert_eq!(toks("Wait..."), ["Wait", "..."]);
    }

    #[test]
    fn initials_are_split_from_their_dot() {
        assert_eq!(toks("J. K. Rowling"), ["J", ".", "K", ".", "Rowling"]);
    }
}
