//! Text: Unicode folding with alignment, tokens and sentences, all with exact offsets into the original.
//!
//! Design decision: nothing here copies or rewrites the document. Tokens and sentences are byte spans of
//! [`annalist_core::Document::text`]; the folded text used for matching ([`Normalized`]) keeps a byte map
//! back to the original, so a match in folded text is an exact span of the source.
//!
//! ```
//! use annalist_core::{Document, Region, RegionKind, Span};
//! let mut doc = Document::new("d", "Mr. Xi met Gen. Smith. They talked.");
//! doc.regions.push(Region { kind: RegionKind::Body, span: Span::new(0, doc.text.len()) });
//! let seg = annalist_text::segment(&doc);
//! assert_eq!(seg.sentences.len(), 2);
//! assert_eq!(doc.slice(seg.sentences[0].span), "Mr. Xi met Gen. Smith.");
//! ```

pub mod normalize;
pub mod sentence;
pub mod token;

pub use normalize::Normalized;
pub use token::{Token, TokenKind};

use annalist_core::{Document, Sentence, Span};

/// Tokens and sentences of a document. `sentence_tokens[i]` is the token range of sentence `i`.
#[derive(Debug, Clone, Default)]
pub struct Segmented {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub sentence_tokens: Vec<std::ops::Range<usize>>,
}

/// Tokenizes and splits every coded region of a document into sentences.
pub fn segment(doc: &Document) -> Segmented {
    let mut seg = Segmented::default();
    let mut paragraph_index = 0u32;
    let mut para_tokens = Vec::new();
    for region in &doc.regions {
        let starts = sentence::paragraph_starts(&doc.text, region.span);
        for (k, &ps) in starts.iter().enumerate() {
            let pe = starts.get(k + 1).copied().unwrap_or(region.span.end as usize);
            para_tokens.clear();
            token::tokenize_into(&doc.text, Span::new(ps, pe), &mut para_tokens);
            if para_tokens.is_empty() {
                continue;
            }
            let base = seg.tokens.len();
            let spans = sentence::split_tokens(&doc.text, &para_tokens);
            let mut ti = 0;
            for sp in spans {
                let first = ti;
                while ti < para_tokens.len() && para_tokens[ti].span.end <= sp.end {
                    ti += 1;
                }
                seg.sentences.push(Sentence {
                    span: sp,
                    region: region.kind,
                    paragraph: paragraph_index,
                });
                seg.sentence_tokens.push(base + first..base + ti);
            }
            seg.tokens.extend_from_slice(&para_tokens);
            paragraph_index += 1;
        }
    }
    seg
}
