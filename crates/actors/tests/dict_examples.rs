//! Every dictionary entry's example sentences, run through the actor stage: on the example's date, the
//! entry's name in the sentence must resolve to the example's code. Dictionaries test themselves.

use annalist_core::{Document, Region, RegionKind, Span};
use annalist_lexicon::{format_day, Lexicon};

fn codes_in(sentence: &str, date: u32, lex: &Lexicon) -> Vec<(String, Option<String>)> {
    let mut doc = Document::new("example", sentence);
    doc.date = Some(format_day(date));
    doc.regions.push(Region {
        kind: RegionKind::Body,
        span: Span::new(0, sentence.len()),
    });
    let seg = annalist_text::segment(&doc);
    let found = annalist_actors::find(&doc, &seg, lex);
    found
        .mentions
        .iter()
        .map(|m| (doc.slice(m.head).to_string(), m.code.clone()))
        .collect()
}

#[test]
fn every_dictionary_example_codes_as_written() {
    let lex = Lexicon::embedded();
    let mut failures = Vec::new();
    let mut checked = 0;
    // People and organisations alike: (entry name, every spelling, its examples).
    let entries = lex
        .people
        .iter()
        .map(|p| (&p.name, &p.aliases, &p.examples))
        .chain(lex.orgs.iter().map(|o| (&o.name, &o.aliases, &o.examples)));
    for (name, aliases, examples) in entries {
        let names: Vec<&str> = std::iter::once(name.as_str())
            .chain(aliases.iter().map(String::as_str))
            .collect();
        for ex in examples {
            checked += 1;
            let got = codes_in(&ex.sentence, ex.date, lex);
            let ok = got
                .iter()
                .any(|(head, code)| names.contains(&head.as_str()) && code.as_deref() == Some(ex.code.as_str()));
            if !ok {
                failures.push(format!(
                    "line {} {name}: {:?} on {} -> {got:?}, want {}",
                    ex.line,
                    ex.sentence,
                    format_day(ex.date),
                    ex.code
                ));
            }
        }
    }
    assert!(checked > 3000, "only {checked} examples");
    assert!(
        failures.is_empty(),
        "{} of {checked} examples fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn resolve(name: &str, date: &str) -> (String, Option<String>) {
    let lex = Lexicon::embedded();
    let sentence = format!("{name} spoke to reporters.");
    let day = annalist_lexicon::parse_day(date, true).unwrap();
    let (_, code) = codes_in(&sentence, day, lex)
        .into_iter()
        .find(|(h, _)| h == name)
        .expect("name found");
    let p = lex.people.iter().position(|p| p.name == name).unwrap() as u32;
    let office = lex.resolve_person(p, day).term.map(|t| t.title.clone());
    (code.unwrap(), office)
}

#[test]
fn the_same_name_codes_by_date() {
    // Medvedev: president in 2010, prime minister in 2017, deputy chair of the Security Council in 2022.
    assert_eq!(
        resolve("Dmitry Medvedev", "2010-06-01"),
        ("RUSGOV".into(), Some("President of Russia".into()))
    );
    assert_eq!(
        resolve("Dmitry Medvedev", "2017-11-01"),
        ("RUSGOV".into(), Some("Prime Minister of Russia".into()))
    );
    let (code, office) = resolve("Dmitry Medvedev", "2022-03-01");
    assert_eq!(code, "RUSGOV");
    assert!(office.unwrap().contains("Security Council"));
    // Putin was prime minister in 2009.
    assert_eq!(
        resolve("Vladimir Putin", "2009-05-01").1.as_deref(),
        Some("Prime Minister of Russia")
    );
    // Boris Johnson: mayor of London in 2015, prime minister in 2020.
    assert_eq!(
        resolve("Boris Johnson", "2015-01-10").1.as_deref(),
        Some("Mayor of London")
    );
    assert_eq!(
        resolve("Boris Johnson", "2020-01-10").1.as_deref(),
        Some("Prime Minister of the United Kingdom")
    );
    // Out of office: the country, never a wrong office.
    assert_eq!(resolve("Donald Trump", "2022-06-01"), ("USA".into(), None));
    assert_eq!(resolve("Donald Trump", "2025-06-01").0, "USAGOV");
}

#[test]
fn term_boundaries_are_inclusive() {
    // Medvedev's premiership ends 2020-01-15 and his Security Council term starts 2020-01-16.
    assert_eq!(
        resolve("Dmitry Medvedev", "2020-01-15").1.as_deref(),
        Some("Prime Minister of Russia")
    );
    assert!(resolve("Dmitry Medvedev", "2020-01-16")
        .1
        .unwrap()
        .contains("Security Council"));
    // Obama: the day before his first term he has no office.
    assert_eq!(resolve("Barack Obama", "2009-01-19").0, "USA");
    assert_eq!(resolve("Barack Obama", "2009-01-20").0, "USAGOV");
}
