//! The date of an event: the document date unless the sentence names another ("on Saturday",
//! "yesterday", "last week", "on November 1").

use annalist_text::Token;

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

use annalist_core::date::{civil_from_days, days_from_civil, format_days as fmt, parse_days as parse};

/// The event date named in a sentence, with the phrase that named it; `(None, None)` when the sentence
/// names none (the caller uses the document date).
pub fn event_date(text: &str, toks: &[Token], doc_date: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(base) = doc_date.and_then(parse) else {
        return (None, None);
    };
    let words: Vec<String> = toks.iter().map(|t| t.text(text).to_ascii_lowercase()).collect();
    for (i, w) in words.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| words[j].as_str());
        if let Some(wd) = WEEKDAYS.iter().position(|d| d == w) {
            if matches!(prev, Some("on" | "last")) {
                // 1970-01-01 was a Thursday (index 3).
                let base_wd = (base + 3).rem_euclid(7);
                let mut back = (base_wd - wd as i64).rem_euclid(7);
                if prev == Some("last") && back == 0 {
                    back = 7;
                }
                if back == 0 {
                    return (None, None);
                }
                return (
                    Some(fmt(base - back)),
                    Some(format!("{} {}", prev.unwrap_or(""), toks[i].text(text))),
                );
            }
        }
        if w == "yesterday" {
            return (Some(fmt(base - 1)), Some("yesterday".into()));
        }
        if w == "week" && prev == Some("last") {
            return (
                Some(fmt(base - 7)),
                Some("last week (approximate: a week before the article)".into()),
            );
        }
        if let Some(m) = MONTHS.iter().position(|mm| w.starts_with(mm) && w.len() <= 9) {
            if prev == Some("on") {
                let mut k = i + 1;
                if words.get(k).map(String::as_str) == Some(".") {
                    k += 1;
                }
                if let Some(d) = words
                    .get(k)
                    .and_then(|d| d.parse::<i64>().ok())
                    .filter(|d| (1..=31).contains(d))
                {
                    let (y, _, _) = civil_from_days(base);
                    let mut z = days_from_civil(y, m as i64 + 1, d);
                    if z > base {
                        z = days_from_civil(y - 1, m as i64 + 1, d);
                    }
                    if z == base {
                        return (None, None);
                    }
                    return (Some(fmt(z)), Some(format!("on {} {d}", toks[i].text(text))));
                }
            }
        }
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use annalist_text::token::tokenize;

    fn date_of(s: &str, doc: &str) -> Option<String> {
        event_date(s, &tokenize(s), Some(doc)).0
    }

    #[test]
    fn relative_dates() {
        // 2017-11-01 was a Wednesday.
        assert_eq!(
            date_of("They met on Monday.", "2017-11-01").as_deref(),
            Some("2017-10-30")
        );
        assert_eq!(date_of("They met on Wednesday.", "2017-11-01"), None);
        assert_eq!(
            date_of("They met last Wednesday.", "2017-11-01").as_deref(),
            Some("2017-10-25")
        );
        assert_eq!(
            date_of("They met yesterday.", "2017-03-01").as_deref(),
            Some("2017-02-28")
        );
        assert_eq!(
            date_of("They met last week.", "2017-11-01").as_deref(),
            Some("2017-10-25")
        );
        assert_eq!(
            date_of("They met on Nov. 28.", "2017-11-01").as_deref(),
            Some("2016-11-28")
        );
        assert_eq!(
            date_of("They met on October 30.", "2017-11-01").as_deref(),
            Some("2017-10-30")
        );
        assert_eq!(date_of("They met.", "2017-11-01"), None);
    }
}
