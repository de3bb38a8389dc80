//! Every event pattern's examples, coded end to end (segment, actors, events): each must produce an event
//! from that pattern with exactly the example's source and target codes. Patterns test themselves.

use annalist_core::{Document, Region, RegionKind, Span};
use annalist_events::EventCoder;
use annalist_lexicon::{format_day, Lexicon};

#[test]
fn every_pattern_example_codes_as_written() {
    let lex = Lexicon::embedded();
    let coder = EventCoder::new(lex).expect("patterns compile");
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in &lex.patterns {
        for ex in &entry.examples {
            checked += 1;
            let mut doc = Document::new("example", ex.sentence.as_str());
            doc.date = Some(ex.date.map_or_else(|| "2020-06-15".to_string(), format_day));
            doc.regions.push(Region {
                kind: RegionKind::Body,
                span: Span::new(0, ex.sentence.len()),
            });
            let seg = annalist_text::segment(&doc);
            let actors = annalist_actors::find(&doc, &seg, lex);
            let events = coder.code(&doc, &seg, &actors, &[], None);
            let want_target = (ex.target != "-").then_some(ex.target.as_str());
            let ok = events.iter().any(|e| {
                (e.rule == entry.id || e.rule == format!("{}+passive", entry.id))
                    && std::iter::once(&e.source)
                        .chain(&e.more_sources)
                        .any(|s| s.actor.as_deref() == Some(ex.source.as_str()))
                    && e.target.as_ref().and_then(|t| t.actor.as_deref()) == want_target
            });
            if !ok {
                let got: Vec<String> = events
                    .iter()
                    .map(|e| {
                        format!(
                            "{} {}->{} ({})",
                            e.code,
                            e.source.actor.as_deref().unwrap_or("?"),
                            e.target.as_ref().and_then(|t| t.actor.as_deref()).unwrap_or("-"),
                            e.rule
                        )
                    })
                    .collect();
                let mentions: Vec<String> = actors
                    .mentions
                    .iter()
                    .map(|m| format!("{:?}={}", doc.slice(m.span), m.code.as_deref().unwrap_or("?")))
                    .collect();
                failures.push(format!(
                    "{}:{}: {}: {:?} want {}->{} got {:?}; actors {:?}",
                    entry.file, ex.line, entry.id, ex.sentence, ex.source, ex.target, got, mentions
                ));
            }
        }
    }
    for f in &failures {
        println!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} pattern examples fail (listed above)",
        failures.len()
    );
}

#[test]
fn patterns_cover_the_cameo_roots() {
    let lex = Lexicon::embedded();
    let coder = EventCoder::new(lex).unwrap();
    let (patterns, blocks) = coder.counts();
    println!("{patterns} patterns in {blocks} blocks");
    let mut codes: Vec<&str> = lex.patterns.iter().map(|p| p.code.as_str()).collect();
    codes.sort();
    codes.dedup();
    let roots: std::collections::BTreeSet<&str> = codes.iter().map(|c| &c[..2]).collect();
    println!("{} codes, {} roots", codes.len(), roots.len());
    assert_eq!(roots.len(), 20, "every CAMEO root has patterns: {roots:?}");
    assert!(codes.len() >= 200, "at least 200 codes, have {}", codes.len());
    assert!(patterns >= 2500, "at least 2,500 patterns, have {patterns}");
}
