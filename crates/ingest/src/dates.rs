//! Publication dates as found in inputs, reduced to `YYYY-MM-DD`.

use std::sync::OnceLock;

use regex::Regex;

use crate::dateline::month_number;

fn valid(y: u32, m: u32, d: u32) -> bool {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => return false,
    };
    (1000..=2999).contains(&y) && (1..=days).contains(&d)
}

fn fmt(y: u32, m: u32, d: u32) -> Option<String> {
    valid(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// The calendar date of a timestamp: ISO 8601 (`2017-11-01T15:36:00+03:00`, `2017-11-01`), RFC 2822
/// (`Wed, 01 Nov 2017 12:36:00 GMT`), `November 1, 2017`, `1 November 2017`, and Reuters `01-NOV-2017 ...`.
pub fn date_part(s: &str) -> Option<String> {
    static ISO: OnceLock<Regex> = OnceLock::new();
    static DMY: OnceLock<Regex> = OnceLock::new();
    static MDY: OnceLock<Regex> = OnceLock::new();
    let s = s.trim();
    let iso = ISO.get_or_init(|| Regex::new(r"^(\d{4})-(\d{2})-(\d{2})").expect("iso regex"));
    if let Some(c) = iso.captures(s) {
        return fmt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    }
    let dmy =
        DMY.get_or_init(|| Regex::new(r"(?i)\b(\d{1,2})[ \-]([a-z]{3,9})\.?[ \-,]+(\d{4})\b").expect("dmy regex"));
    if let Some(c) = dmy.captures(s) {
        if let Some(m) = month_number(&c[2]) {
            return fmt(c[3].parse().ok()?, m, c[1].parse().ok()?);
        }
    }
    let mdy = MDY
        .get_or_init(|| Regex::new(r"(?i)\b([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b").expect("mdy regex"));
    if let Some(c) = mdy.captures(s) {
        if let Some(m) = month_number(&c[1]) {
            return fmt(c[3].parse().ok()?, m, c[2].parse().ok()?);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(date_part("2017-11-01T15:36:00+03:00").as_deref(), Some("2017-11-01"));
        assert_eq!(
            date_part("Wed, 01 Nov 2017 12:36:00 GMT").as_deref(),
            Some("2017-11-01")
        );
        assert_eq!(date_part("26-FEB-1987 15:01:01.79").as_deref(), Some("1987-02-26"));
        assert_eq!(date_part("November 1, 2017").as_deref(), Some("2017-11-01"));
        assert_eq!(date_part("2017-02-30"), None);
        assert_eq!(date_part("yesterday"), None);
    }
}
