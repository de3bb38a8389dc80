//! Unicode folding for matching, with an alignment back to the original bytes.
//!
//! Wire text mixes curly and straight quotes, several dashes and non-breaking spaces. Matchers work on a
//! folded copy; every byte of that copy knows the original byte it came from, so a match found in the
//! folded text maps back to an exact span of the original.

/// Folds one char for matching. Returns `None` to keep it, `Some("")` to drop it.
pub fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '\u{FF07}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' | '\u{FF02}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' | '\u{FE58}'
        | '\u{FE63}' | '\u{FF0D}' => "-",
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '\u{2026}' => "...",
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
        '\u{FB00}' => "ff",
        '\u{FB01}' => "fi",
        '\u{FB02}' => "fl",
        '\u{FB03}' => "ffi",
        '\u{FB04}' => "ffl",
        _ => return None,
    })
}

/// A folded copy of a text with the original byte offset of each of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub text: String,
    /// `map[i]` is the original byte offset of folded byte `i`; `map[text.len()]` is the original length.
    map: Vec<u32>,
}

impl Normalized {
    /// Folds `original` (see [`fold_char`]); with `lowercase` also lower-cases it.
    pub fn new(original: &str, lowercase: bool) -> Normalized {
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len() + 1);
        let mut buf = [0u8; 4];
        for (i, c) in original.char_indices() {
            let before = text.len();
            match fold_char(c) {
                Some(s) => text.push_str(s),
                None if lowercase && !c.is_ascii() => text.extend(c.to_lowercase()),
                None if lowercase => text.push(c.to_ascii_lowercase()),
                None => text.push_str(c.encode_utf8(&mut buf)),
            }
            map.resize(map.len() + (text.len() - before), i as u32);
        }
        map.push(original.len() as u32);
        Normalized { text, map }
    }

    /// The original byte offset of a folded byte offset (`0..=text.len()`).
    pub fn original_offset(&self, folded: usize) -> usize {
        self.map[folded.min(self.map.len() - 1)] as usize
    }

    /// The original span `[start, end)` of a folded span. The end maps to the end of the last original
    /// char that contributed to the folded range.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.original_offset(start);
        if end == start {
            return (s, s);
        }
        // The original char of the last folded byte, and where it ends.
        let last = self.map[end - 1] as usize;
        let mut e = self.original_offset(end);
        if e <= last {
            // Several folded bytes from one original char ("…" -> "..."): end after that char.
            let mut k = end;
            while k < self.map.len() - 1 && self.map[k] as usize == last {
                k += 1;
            }
            e = self.map[k] as usize;
        }
        (s, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_quotes_dashes_spaces() {
        let n = Normalized::new("Moscow\u{2019}s \u{201C}ties\u{201D}\u{00A0}\u{2014} ok", false);
        assert_eq!(n.text, "Moscow's \"ties\" - ok");
    }

    #[test]
    fn alignment_maps_back_exactly() {
        let orig = "A\u{2019}b \u{2026} C\u{00AD}d";
        let n = Normalized::new(orig, true);
        assert_eq!(n.text, "a'b ... cd");
        let i = n.text.find("cd").unwrap();
        let (s, e) = n.original_span(i, i + 2);
        assert_eq!(&orig[s..e], "C\u{00AD}d");
        let j = n.text.find("...").unwrap();
        let (s, e) = n.original_span(j, j + 3);
        assert_eq!(&orig[s..e], "\u{2026}");
        let (s, e) = n.original_span(j, j + 1);
        assert_eq!(&orig[s..e], "\u{2026}");
    }

    #[test]
    fn lowercases_non_ascii() {
        let n = Normalized::new("ÉLYSÉE", true);
        assert_eq!(n.text, "élysée");
        let (s, e) = n.original_span(0, n.text.len());
        assert_eq!((s, e), (0, "ÉLYSÉE".len()));
    }
}
