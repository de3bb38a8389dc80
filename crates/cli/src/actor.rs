//! `annalist actor NAME --date D`: what a name resolves to on a date, and why.

use std::process::ExitCode;

use annalist_lexicon::{format_day, parse_day, Lexicon, Target};
use anyhow::{bail, Result};

fn today() -> String {
    annalist_core::date::utc_date(std::time::SystemTime::now())
}

pub fn explain(name: &str, date: Option<&str>, lex: &Lexicon) -> Result<ExitCode> {
    let date_s = date.map(str::to_string).unwrap_or_else(today);
    let Some(day) = parse_day(&date_s, true) else {
        bail!("--date {date_s:?} is not a date (YYYY-MM-DD)");
    };
    println!("{name:?} on {} (dictionaries {})", format_day(day), lex.version());
    let targets = lex.lookup(name);
    let lower = name.trim().to_lowercase();
    let agents: Vec<_> = lex.agents.iter().filter(|a| a.phrase.to_lowercase() == lower).collect();
    if targets.is_empty() && agents.is_empty() {
        println!("  not in any dictionary: in text it is typed by form and context only (see --unknown-actors)");
        return Ok(ExitCode::from(1));
    }
    for t in targets {
        match t {
            Target::PersonFull(i) | Target::PersonShort(i) => {
                let p = &lex.people[i as usize];
                let how = if matches!(t, Target::PersonShort(_)) {
                    "short form: resolves in text after the full name, or after a title when only one holder is in office"
                } else {
                    "full name"
                };
                println!("  person {} ({}; {}:{}) by {how}", p.name, p.country, p.file, p.line);
                let r = lex.resolve_person(i, day);
                match r.term {
                    Some(t) => println!(
                        "    -> {}  because {} ({} to {}) covers {}",
                        r.code,
                        t.title,
                        format_day(t.start),
                        t.end.map_or("today".into(), format_day),
                        format_day(day)
                    ),
                    None => println!(
                        "    -> {}  because no term covers {}: coded by country (fallback)",
                        r.code,
                        format_day(day)
                    ),
                }
                for t in &p.terms {
                    println!(
                        "       term {} to {} {} {}",
                        format_day(t.start),
                        t.end.map_or("..        ".into(), format_day),
                        t.code,
                        t.title
                    );
                }
            }
            Target::Org(i) => {
                let o = &lex.orgs[i as usize];
                println!(
                    "  organisation {} ({}; {}:{})\n    -> {}",
                    o.name, o.kind, o.file, o.line, o.code
                );
            }
            Target::CountryName(i) => {
                let c = &lex.countries[i as usize];
                println!("  country name of {} ({})\n    -> {}", c.name, c.file, c.code);
            }
            Target::CountryAdjective(i) | Target::CountryPeople(i) => {
                let c = &lex.countries[i as usize];
                println!(
                    "  demonym of {}\n    -> {} with the role that follows (\"{} troops\" -> {}MIL)",
                    c.name, c.code, name, c.code
                );
            }
            Target::Capital(i) => {
                let c = &lex.countries[i as usize];
                println!(
                    "  capital of {}\n    -> {}GOV as the subject of an action or speech (metonym); a place after \"in\", \"to\", \"from\"",
                    c.name, c.code
                );
            }
            Target::Seat(i) => {
                let c = &lex.countries[i as usize];
                println!("  seat of power of {}\n    -> {}GOV", c.name, c.code);
            }
        }
    }
    for a in agents {
        println!(
            "  role {:?} (line {})\n    -> COUNTRY+{} with a country in context (\"Russian {}\" -> RUS{})",
            a.phrase, a.line, a.role, a.phrase, a.role
        );
    }
    Ok(ExitCode::SUCCESS)
}
