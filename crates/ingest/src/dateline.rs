//! Datelines: the place-and-date openings of wire copy, which are metadata, not text to code.
//!
//! Recognised openings (at the start of the body):
//! - `BEIJING, November 1. /TASS/. `   (TASS)
//! - `WASHINGTON, Nov 1 (Reuters) - `, `WASHINGTON (Reuters) - `, `LONDON (AP) — `
//! - `SALVADOR, Feb 26 - `             (Reuters 1987)
//! - `MOSCOW, Nov. 1 — `, `KYIV — `

use std::sync::OnceLock;

use regex::Regex;

/// A dateline opening found at the start of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    /// Byte range of the place words, relative to the searched string.
    pub place: (usize, usize),
    /// The place as a reader writes it ("Beijing", "New York").
    pub place_name: String,
    /// The agency named in the opening ("TASS", "Reuters").
    pub agency: Option<String>,
    /// Month (1–12) and day when the opening names them.
    pub month_day: Option<(u32, u32)>,
    /// Length of the whole opening, including the separator and following spaces.
    pub len: usize,
}

const MONTHS: &str = r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)";

fn opening_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let place = r"(?P<place>[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3})";
        // A date right after the place is preferred over a region ("BEIJING, November 1").
        let date_or_region = format!(
            r"(?:,? (?P<month>{MONTHS}) (?P<day>\d{{1,2}})\.?|, (?P<region>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+){{0,2}})(?:,? (?P<month2>{MONTHS}) (?P<day2>\d{{1,2}})\.?)?)?"
        );
        let agency = r"(?:\s*/(?P<agency1>[A-Za-z\-]{2,20})/\.?|\s*\((?P<agency2>[A-Za-z\-. ]{2,30})\))?";
        let sep = r"(?:\s*[-–—]+\s*|\s+)";
        Regex::new(&format!(r"^{place}{date_or_region}{agency}{sep}")).expect("dateline regex")
    })
}

/// Parses a month name or abbreviation ("Nov", "Nov.", "November", "NOVEMBER").
pub fn month_number(s: &str) -> Option<u32> {
    let l = s.trim_end_matches('.').to_ascii_lowercase();
    let m = match l.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

/// "NEW YORK" -> "New York", "RIO DE JANEIRO" -> "Rio de Janeiro".
pub fn place_case(s: &str) -> String {
    let small = ["de", "da", "do", "del", "la", "le", "of", "el", "al", "es", "du"];
    s.split(' ')
        .enumerate()
        .map(|(i, w)| {
            let lw = w.to_lowercase();
            if i > 0 && small.contains(&lw.as_str()) {
                return lw;
            }
            let mut out = String::new();
            let mut up = true;
            for c in lw.chars() {
                if up {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                up = matches!(c, '-' | '\'' | '’' | '.');
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Finds a dateline opening at the start of `s`. Requires either an agency, a date, or a dash separator,
/// so that an all-caps first word of a sentence ("NATO said") is not taken for a place.
pub fn parse_opening(s: &str) -> Option<Opening> {
    let caps = opening_re().captures(s)?;
    let whole = caps.get(0)?;
    let place = caps.name("place")?;
    let agency = caps
        .name("agency1")
        .or_else(|| caps.name("agency2"))
        .map(|m| m.as_str().trim().to_string());
    let month_day = match (
        caps.name("month").or(caps.name("month2")),
        caps.name("day").or(caps.name("day2")),
    ) {
        (Some(m), Some(d)) => Some((month_number(m.as_str())?, d.as_str().parse().ok()?)),
        _ => None,
    };
    let sep_is_dash = s[place.end()..whole.end()].contains(['-', '–', '—']);
    if agency.is_none() && month_day.is_none() && !sep_is_dash {
        return None;
    }
    // The place must be mostly letters and at least two of them.
    if place.as_str().chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return None;
    }
    let mut place_name = place_case(place.as_str());
    if let Some(r) = caps.name("region") {
        place_name = format!("{}, {}", place_name, r.as_str());
    }
    Some(Opening {
        place: (place.start(), place.end()),
        place_name,
        agency,
        month_day,
        len: whole.end(),
    })
}

/// A scraped page's dateline line: "November 01, 15:36 UTC+3 BEIJING".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatelineLine {
    pub month: u32,
    pub day: u32,
    pub time: Option<(u32, u32)>,
    /// Offset east of UTC in minutes.
    pub utc_offset_minutes: Option<i32>,
    pub place: (usize, usize),
    pub place_name: String,
}

fn line_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"^(?P<month>{MONTHS}) (?P<day>\d{{1,2}}),?(?: (?P<h>\d{{1,2}}):(?P<m>\d{{2}}))?(?: (?:UTC|GMT)(?P<off>[+-]\d{{1,2}}(?::?\d{{2}})?)?)?(?: (?P<place>[A-Z][A-Za-z'’.\- ]+))?\s*$"
        ))
        .expect("dateline line regex")
    })
}

/// Parses a whole line as a dateline line.
pub fn parse_dateline_line(line: &str) -> Option<DatelineLine> {
    let c = line_re().captures(line)?;
    let month = month_number(c.name("month")?.as_str())?;
    let day: u32 = c.name("day")?.as_str().parse().ok()?;
    let time = match (c.name("h"), c.name("m")) {
        (Some(h), Some(m)) => Some((h.as_str().parse().ok()?, m.as_str().parse().ok()?)),
        _ => None,
    };
    let utc_offset_minutes = c.name("off").and_then(|o| parse_offset(o.as_str()));
    let place = c.name("place")?;
    let trimmed = place.as_str().trim_end();
    Some(DatelineLine {
        month,
        day,
        time,
        utc_offset_minutes,
        place: (place.start(), place.start() + trimmed.len()),
        place_name: place_case(trimmed),
    })
}

/// "+3" -> 180, "-05:30" -> -330, "+0530" -> 330.
pub fn parse_offset(s: &str) -> Option<i32> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => (1, s),
    };
    let rest = rest.replace(':', "");
    let (h, m) = if rest.len() > 2 {
        rest.split_at(rest.len() - 2)
    } else {
        (rest.as_str(), "0")
    };
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 14 || m >= 60 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

/// Formats an offset in minutes as "+03:00".
pub fn format_offset(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tass_opening() {
        let s = "BEIJING, November 1. /TASS/. Russian Prime Minister";
        let o = parse_opening(s).unwrap();
        assert_eq!(o.place_name, "Beijing");
        assert_eq!(o.agency.as_deref(), Some("TASS"));
        assert_eq!(o.month_day, Some((11, 1)));
        assert_eq!(&s[o.len..], "Russian Prime Minister");
        assert_eq!(&s[o.place.0..o.place.1], "BEIJING");
    }

    #[test]
    fn reuters_openings() {
        let s = "WASHINGTON, Nov 1 (Reuters) - The U.S. said";
        let o = parse_opening(s).unwrap();
        assert_eq!(
            (o.place_name.as_str(), o.agency.as_deref()),
            ("Washington", Some("Reuters"))
        );
        assert_eq!(&s[o.len..], "The U.S. said");
        let s = "SALVADOR, Feb 26 - Showers continued";
        let o = parse_opening(s).unwrap();
        assert_eq!(o.place_name, "Salvador");
        assert_eq!(&s[o.len..], "Showers continued");
        let s = "NEW YORK (AP) \u{2014} Stocks fell";
        let o = parse_opening(s).unwrap();
        assert_eq!(o.place_name, "New York");
        assert_eq!(&s[o.len..], "Stocks fell");
    }

    #[test]
    fn no_opening_in_plain_sentences() {
        assert!(parse_opening("NATO said on Monday that").is_none());
        assert!(parse_opening("The talks began").is_none());
        assert!(parse_opening("US troops left").is_none());
    }

    #[test]
    fn dateline_line() {
        let d = parse_dateline_line("November 01, 15:36 UTC+3 BEIJING").unwrap();
        assert_eq!(
            (d.month, d.day, d.time, d.utc_offset_minutes),
            (11, 1, Some((15, 36)), Some(180))
        );
        assert_eq!(d.place_name, "Beijing");
        assert!(parse_dateline_line("World").is_none());
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+3"), Some(180));
        assert_eq!(parse_offset("-05:30"), Some(-330));
        assert_eq!(format_offset(180), "+03:00");
        assert_eq!(format_offset(-330), "-05:30");
    }
}
