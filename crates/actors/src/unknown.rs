//! Names that no dictionary knows: capitalised sequences typed by their form and context, so that
//! maintainers can see them (`annalist code --unknown-actors`) and add them.

use annalist_core::{Document, EntityType, Span};
use annalist_text::{Segmented, TokenKind};

/// A capitalised sequence outside every dictionary mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    pub span: Span,
    pub etype: EntityType,
}

/// Capitalised words that open sentences or are not names.
const COMMON: &[&str] = &[
    "A",
    "About",
    "According",
    "After",
    "All",
    "Also",
    "Although",
    "An",
    "And",
    "Another",
    "Any",
    "As",
    "At",
    "Because",
    "Before",
    "Both",
    "But",
    "By",
    "Despite",
    "During",
    "Each",
    "Either",
    "Even",
    "Every",
    "For",
    "From",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Last",
    "Many",
    "Meanwhile",
    "More",
    "Most",
    "Mr",
    "Mrs",
    "Ms",
    "My",
    "New",
    "No",
    "Not",
    "Now",
    "Of",
    "On",
    "One",
    "Only",
    "Or",
    "Our",
    "Over",
    "Some",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "Thus",
    "To",
    "Two",
    "Under",
    "Unlike",
    "Until",
    "We",
    "What",
    "When",
    "Where",
    "Whether",
    "Which",
    "While",
    "Who",
    "Why",
    "With",
    "Without",
    "Yet",
    "You",
    "Your",
    "Dr",
    "Sir",
    "St",
    "Mt",
];

/// Words that start a noun phrase: a capitalised one of these is not part of a name.
const DETERMINERS: &[&str] = &[
    "The", "A", "An", "This", "That", "These", "Those", "His", "Her", "Its", "Their", "Our", "My",
];

const NUMBERS: &[&str] = &[
    "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "First", "Second",
];

const CALENDAR: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
];

/// Words inside a capitalised sequence that make it an organisation.
const ORG_WORDS: &[&str] = &[
    "Agency",
    "Airlines",
    "Airways",
    "Alliance",
    "Assembly",
    "Association",
    "Authority",
    "Bank",
    "Board",
    "Bureau",
    "Chamber",
    "Club",
    "Co",
    "Coalition",
    "Command",
    "Commission",
    "Committee",
    "Communications",
    "Company",
    "Congress",
    "Corp",
    "Corporation",
    "Council",
    "Court",
    "Department",
    "Exchange",
    "FC",
    "Federation",
    "Force",
    "Forces",
    "Foundation",
    "Front",
    "Fund",
    "Group",
    "Holdings",
    "Inc",
    "Industries",
    "Institute",
    "International",
    "League",
    "Ltd",
    "Media",
    "Ministry",
    "Motors",
    "Movement",
    "News",
    "Office",
    "Organisation",
    "Organization",
    "Parliament",
    "Partners",
    "Party",
    "Plc",
    "Police",
    "Post",
    "Press",
    "Reserve",
    "Service",
    "Society",
    "Systems",
    "Telegraph",
    "Times",
    "Trust",
    "Union",
    "United",
    "University",
    "Airport",
];

const TITLES: &[&str] = &[
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Sir",
    "Lord",
    "Lady",
    "President",
    "Minister",
    "Premier",
    "Chancellor",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Gen",
    "General",
    "Col",
    "Colonel",
    "Lt",
    "Sen",
    "Senator",
    "Rep",
    "Gov",
    "Governor",
    "Judge",
    "Justice",
    "Ambassador",
    "Secretary",
    "Mayor",
    "Chairman",
    "Pope",
    "Sheikh",
    "Emir",
    "Rev",
    "Bishop",
];

const LOCATIVE: &[&str] = &["in", "at", "near", "from", "to", "outside", "into", "across", "via"];

const CONNECTORS: &[&str] = &[
    "of", "de", "da", "del", "van", "von", "bin", "al", "la", "le", "for", "&",
];

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Finds capitalised sequences in the coded sentences that do not overlap `covered`.
pub fn find(doc: &Document, seg: &Segmented, covered: &[Span]) -> Vec<Unknown> {
    let text = &doc.text;
    let mut out = Vec::new();
    let is_covered = |s: Span| covered.iter().any(|c| c.overlaps(s));
    for (si, _) in seg.sentences.iter().enumerate() {
        let range = seg.sentence_tokens[si].clone();
        let toks = &seg.tokens[range.clone()];
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            let w = t.text(text);
            if t.kind != TokenKind::Word || !is_cap(w) || is_covered(t.span) {
                i += 1;
                continue;
            }
            // Grow the sequence.
            let start = i;
            let mut end = i + 1;
            while end < toks.len() {
                let u = toks[end];
                let uw = u.text(text);
                if is_covered(u.span) {
                    break;
                }
                if u.kind == TokenKind::Word && is_cap(uw) {
                    end += 1;
                } else if (CONNECTORS.contains(&uw) || uw == "-" || uw == ".")
                    && end + 1 < toks.len()
                    && toks[end + 1].kind == TokenKind::Word
                    && is_cap(toks[end + 1].text(text))
                    && !is_covered(toks[end + 1].span)
                    && (uw != "." || uw.len() == 1 && toks[end - 1].text(text).chars().count() == 1)
                {
                    end += 2;
                } else {
                    break;
                }
            }
            let mut words: Vec<usize> = (start..end).collect();
            // Drop sentence-opening common words and calendar words at the edges.
            let sentence_start = |k: usize| {
                k == 0
                    || matches!(
                        toks[k - 1].text(text),
                        "\"" | "\u{201C}" | "(" | "-" | ":" | "'" | "\u{2018}"
                    )
            };
            while let Some(&k) = words.first() {
                let w = toks[k].text(text);
                let opener = sentence_start(k) || DETERMINERS.contains(&w);
                if (opener && COMMON.contains(&w)) || CALENDAR.contains(&w) || TITLES.contains(&w) {
                    words.remove(0);
                } else {
                    break;
                }
            }
            while let Some(&k) = words.last() {
                let w = toks[k].text(text);
                if CALENDAR.contains(&w) || CONNECTORS.contains(&w) || w == "-" || w == "." {
                    words.pop();
                } else {
                    break;
                }
            }
            if let (Some(&a), Some(&b)) = (words.first(), words.last()) {
                let span = Span {
                    start: toks[a].span.start,
                    end: toks[b].span.end,
                };
                let ws: Vec<&str> = words.iter().map(|&k| toks[k].text(text)).collect();
                let prev = a.checked_sub(1).map(|k| toks[k].text(text));
                let prev2 = a.checked_sub(2).map(|k| toks[k].text(text));
                let next = toks.get(b + 1).map(|t| t.text(text));
                let titled = prev.is_some_and(|p| TITLES.contains(&p))
                    || (prev == Some(".") && prev2.is_some_and(|p| TITLES.contains(&p)));
                let single_sentence_initial = ws.len() == 1 && sentence_start(a);
                let etype = if ws.len() == 1 && (ORG_WORDS.contains(&ws[0]) || COMMON.contains(&ws[0])) {
                    None
                } else if ws.iter().any(|w| ORG_WORDS.contains(w)) {
                    Some(EntityType::Org)
                } else if titled {
                    Some(EntityType::Person)
                } else if ws.len() == 1
                    && ws[0].len() >= 2
                    && ws[0].chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
                {
                    Some(EntityType::Org)
                } else if prev.is_some_and(|p| LOCATIVE.contains(&p)) {
                    Some(EntityType::Loc)
                } else if ((2..=4).contains(&ws.len())
                    && ws
                        .iter()
                        .all(|w| w.chars().skip(1).any(|c| c.is_lowercase()) || w.len() <= 2)
                    && !ws.iter().any(|w| COMMON.contains(w) || NUMBERS.contains(w)))
                    || (ws.len() == 1
                        && !single_sentence_initial
                        && matches!(next, Some("said" | "says" | "told" | "added")))
                {
                    // Two to four title-case words, or one word before a speech verb: a person's name.
                    Some(EntityType::Person)
                } else if ws.len() >= 2 {
                    Some(EntityType::Misc)
                } else {
                    None
                };
                if let Some(etype) = etype {
                    out.push(Unknown { span, etype });
                }
            }
            i = end.max(i + 1);
        }
        let _ = range;
    }
    out
}
