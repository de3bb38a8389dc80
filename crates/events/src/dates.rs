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

/// Days since 1970-01-01 of a civil date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn parse(date: &str) -> Option<i64> {
    let y = date.get(0..4)?.parse().ok()?;
    let m = date.get(5..7)?.parse().ok()?;
    let d = date.get(8..10)?.parse().ok()?;
    Some(days_from_civil(y, m, d))
}

fn fmt(z: i64) -> String {
    let (y, m, d) = civil_from_days(z);
    format!("{y:04}-{m:02}-{d:02}")
}

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
