//! Resolution: which gazetteer feature a toponym names, with the reason and the runner-up.
//!
//! Every candidate gets a score from priors (population, feature class: country > continent > division >
//! capital > city; primary name over alternate) and from the article (the actor stage's country, the
//! dateline's country, countries and divisions named elsewhere, an admin context right after the name,
//! other places nearby). The reason lists what the winner has and the runner-up lacks.

use std::collections::{HashMap, HashSet};

use crate::gazetteer::{Feature, Gazetteer, Kind};
use crate::toponyms::{Toponym, ToponymKind};

/// A resolved toponym.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub feature: u32,
    pub reason: String,
    /// The next-best candidate, for review ("Paris, US-TX (pop 24,782)").
    pub runner_up: Option<String>,
    /// How far the winner's score is ahead of the runner-up's (infinite when alone).
    pub margin: f64,
}

/// What the article says about where it is.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Country code of the dateline place.
    pub dateline_country: Option<Box<str>>,
    /// Country codes named in the article (by unambiguous toponyms and actors), with counts.
    pub countries: HashMap<Box<str>, usize>,
    /// `(iso2, admin1)` of divisions named in the article.
    pub admin1: HashSet<(Box<str>, Box<str>)>,
    /// Points of unambiguous places named in the article.
    pub points: Vec<(f64, f64)>,
}

struct Factor {
    label: String,
    weight: f64,
}

fn score(g: &Gazetteer, t: &Toponym, ix: u32, primary: bool, ctx: &Context) -> (f64, Vec<Factor>) {
    let f = g.get(ix);
    let mut fs: Vec<Factor> = Vec::new();
    let mut s = ((f.population + 10) as f64).ln();
    // A division's population is the sum of its places: a city of the same name wins when it is large
    // ("New York", "Washington" in news are the cities).
    match f.kind {
        Kind::Country => s += 8.0,
        Kind::Continent => s += 6.0,
        Kind::Admin1 => s -= 1.5,
        Kind::City if f.capital => s += 3.0,
        Kind::City => {}
    }
    if !primary {
        s -= 4.0;
    }
    if t.kind == ToponymKind::Dateline && f.kind == Kind::City {
        fs.push(Factor {
            label: "a dateline names a city".into(),
            weight: 4.0,
        });
    }
    if t.actor_country == Some(ix) {
        fs.push(Factor {
            label: if t.kind == ToponymKind::Demonym {
                "demonym of the country (actor dictionaries)".into()
            } else {
                "country name (actor dictionaries)".into()
            },
            weight: 12.0,
        });
    }
    if t.capital_hint && f.capital {
        fs.push(Factor {
            label: "a capital, used as a place".into(),
            weight: 8.0,
        });
    }
    if !t.context.is_empty() && !t.context.contains(&ix) {
        let fits = t.context.iter().any(|&c| {
            let cf = g.get(c);
            match cf.kind {
                Kind::Admin1 => cf.iso2 == f.iso2 && cf.admin1 == f.admin1,
                Kind::Country => cf.country == f.country,
                _ => false,
            }
        });
        if fits {
            fs.push(Factor {
                label: format!("admin context {:?}", &*g.get(t.context[0]).name),
                weight: 25.0,
            });
        }
    }
    if f.kind != Kind::Country && f.kind != Kind::Continent {
        if ctx.dateline_country.as_deref() == Some(&*f.country) && t.kind != ToponymKind::Dateline {
            fs.push(Factor {
                label: format!("in the dateline's country {}", f.country),
                weight: 3.0,
            });
        }
        if let Some(&n) = ctx.countries.get(&f.country) {
            fs.push(Factor {
                label: format!("country {} named in the article", f.country),
                weight: 2.0 + 0.5 * n.min(4) as f64,
            });
        }
        if f.kind == Kind::City && ctx.admin1.contains(&(f.iso2.clone(), f.admin1.clone())) {
            let a = g
                .admin1_of(f)
                .map_or_else(|| f.admin1.to_string(), |a| g.get(a).name.to_string());
            fs.push(Factor {
                label: format!("division {a} named in the article"),
                weight: 3.0,
            });
        }
        if f.kind == Kind::City
            && ctx
                .points
                .iter()
                .any(|&p| p != (f.lat, f.lon) && crate::haversine_km(p, (f.lat, f.lon)) < 250.0)
        {
            fs.push(Factor {
                label: "near other places named in the article".into(),
                weight: 2.0,
            });
        }
    }
    s += fs.iter().map(|x| x.weight).sum::<f64>();
    (s, fs)
}

/// A candidate as a reviewer reads it: "Paris, US-TX (pop 24,782)", "Georgia (country, GEO)".
pub fn describe(g: &Gazetteer, f: &Feature) -> String {
    match f.kind {
        Kind::Continent => format!("{} (continent)", f.name),
        Kind::Country => format!("{} (country, {})", f.name, f.country),
        Kind::Admin1 => format!("{}, {} (division {}.{})", f.name, f.country, f.iso2, f.admin1),
        Kind::City => {
            let _ = g;
            format!("{}, {}-{} (pop {})", f.name, f.iso2, f.admin1, thousands(f.population))
        }
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Resolves one toponym in a context.
pub fn resolve(g: &Gazetteer, t: &Toponym, ctx: &Context) -> Option<Resolved> {
    let mut scored: Vec<(f64, u32, Vec<Factor>)> = t
        .candidates
        .iter()
        .map(|r| {
            let (s, fs) = score(g, t, r.feature, r.primary, ctx);
            (s, r.feature, fs)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let (_, best, factors) = scored.first()?;
    let f = g.get(*best);
    let runner = scored.get(1);
    let mut why: Vec<String> = match runner {
        Some((_, r, rf)) => {
            let rlabels: HashSet<&str> = rf.iter().map(|x| x.label.as_str()).collect();
            let mut w: Vec<String> = factors
                .iter()
                .filter(|x| !rlabels.contains(x.label.as_str()))
                .map(|x| x.label.clone())
                .collect();
            let rfeat = g.get(*r);
            if w.is_empty() {
                w.push(if f.kind != rfeat.kind && f.kind < rfeat.kind {
                    format!("a {} rather than a {}", kind_word(f.kind), kind_word(rfeat.kind))
                } else if f.population >= rfeat.population {
                    format!("largest population ({})", thousands(f.population))
                } else {
                    "primary name".to_string()
                });
            }
            w
        }
        None => {
            let mut w: Vec<String> = factors.iter().map(|x| x.label.clone()).collect();
            w.insert(0, "the only place of that name".into());
            w
        }
    };
    if t.kind == ToponymKind::Dateline {
        why.insert(0, "dateline".into());
    }
    if let Some(c) = &t.cue {
        why.push(format!("place cue: {c}"));
    }
    let margin = runner.map_or(f64::INFINITY, |r| scored[0].0 - r.0);
    Some(Resolved {
        margin,
        feature: *best,
        reason: format!("{}: {}", describe(g, f), why.join("; ")),
        runner_up: runner.map(|(_, r, _)| describe(g, g.get(*r))),
    })
}

fn kind_word(k: Kind) -> &'static str {
    match k {
        Kind::Continent => "continent",
        Kind::Country => "country",
        Kind::Admin1 => "first-level division",
        Kind::City => "city",
    }
}

/// The context of an article: the countries its actors belong to, the dateline, and the places resolved
/// with confidence (`anchors`: feature indices).
pub fn context(g: &Gazetteer, anchors: &[u32], actor_countries: &[String], dateline: Option<u32>) -> Context {
    let mut ctx = Context {
        dateline_country: dateline.map(|d| g.get(d).country.clone()).filter(|c| !c.is_empty()),
        ..Context::default()
    };
    for c in actor_countries {
        if g.country(c).is_some() {
            *ctx.countries.entry(c.as_str().into()).or_default() += 1;
        }
    }
    for &ix in anchors.iter().chain(dateline.iter()) {
        let f = g.get(ix);
        if f.country.is_empty() {
            continue;
        }
        *ctx.countries.entry(f.country.clone()).or_default() += 1;
        match f.kind {
            Kind::Admin1 => {
                ctx.admin1.insert((f.iso2.clone(), f.admin1.clone()));
            }
            Kind::City => ctx.points.push((f.lat, f.lon)),
            _ => {}
        }
    }
    ctx
}
