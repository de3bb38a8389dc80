//! Places over whole documents: a fixture written for these tests, the reference TASS example (when
//! `../shared/examples/` is present), ambiguous names, metonymy and event places.

use annalist_actors::Actors;
use annalist_core::{ActorRef, Document, Event, Place, PlaceRole, RegionKind, Span};
use annalist_geo::{event_place, find_places, Gazetteer};
use annalist_ingest::{read_str, InputFormat};
use annalist_lexicon::Lexicon;
use annalist_text::Segmented;

struct Coded {
    doc: Document,
    seg: Segmented,
    actors: Actors,
    places: Vec<Place>,
}

fn code(doc: Document) -> Coded {
    let seg = annalist_text::segment(&doc);
    let actors = annalist_actors::find(&doc, &seg, Lexicon::embedded());
    let places = find_places(&doc, &seg, &actors, Gazetteer::embedded());
    Coded {
        doc,
        seg,
        actors,
        places,
    }
}

fn code_text(text: &str) -> Coded {
    let mut doc = Document::new("t", text);
    doc.date = Some("2024-03-05".into());
    doc.regions.push(annalist_core::Region {
        kind: RegionKind::Body,
        span: Span::new(0, text.len()),
    });
    code(doc)
}

fn place<'a>(c: &'a Coded, name: &str) -> Option<&'a Place> {
    c.places.iter().find(|p| p.name == name)
}

fn surfaces(c: &Coded, p: &Place) -> Vec<String> {
    p.mentions.iter().map(|&m| c.doc.slice(m).to_string()).collect()
}

#[test]
fn fixture_dateline_places_and_metonyms() {
    let text = include_str!("fixtures/plain-kabul.txt");
    let c = code(read_str(text, "plain-kabul.txt", InputFormat::Auto).unwrap());
    // The dateline place comes first, with its later mention "to Kabul".
    let kabul = &c.places[0];
    assert_eq!((kabul.name.as_str(), kabul.role), ("Kabul", PlaceRole::Dateline));
    assert_eq!(kabul.country.as_deref(), Some("AFG"));
    assert_eq!(kabul.precision.as_deref(), Some("city"));
    assert!((kabul.lat.unwrap() - 34.5).abs() < 0.2 && (kabul.lon.unwrap() - 69.2).abs() < 0.2);
    assert_eq!(surfaces(&c, kabul), vec!["KABUL", "Kabul"]);
    assert!(
        kabul.reason.as_deref().unwrap().contains("dateline"),
        "{:?}",
        kabul.reason
    );

    // Metonyms are actors, not places: "Moscow said", "Islamabad promised", "The Kremlin".
    for name in ["Moscow", "Islamabad", "Kremlin"] {
        assert!(place(&c, name).is_none(), "{name} is a metonym here: {:#?}", c.places);
    }

    let mazar = c
        .places
        .iter()
        .find(|p| p.name.starts_with("Maz"))
        .expect("Mazar-i-Sharif");
    assert_eq!(mazar.country.as_deref(), Some("AFG"));
    assert!(
        mazar.reason.as_deref().unwrap().contains("after \"reached\""),
        "{:?}",
        mazar.reason
    );
    let peshawar = place(&c, "Peshawar").unwrap();
    assert_eq!(peshawar.country.as_deref(), Some("PAK"));
    // Jalalabad: several places share the name; the article's countries choose the Afghan one.
    let jalalabad = c.places.iter().find(|p| p.name.starts_with("Jal")).expect("Jalalabad");
    assert_eq!(jalalabad.country.as_deref(), Some("AFG"));
    assert!(jalalabad.runner_up.is_some(), "an ambiguous name records the runner-up");
    // "Paris, Texas": admin context beats the population of the French capital.
    let paris = place(&c, "Paris").unwrap();
    assert_eq!(paris.country.as_deref(), Some("USA"));
    assert_eq!(paris.admin1.as_deref(), Some("US.TX Texas"));
    assert!(
        paris.reason.as_deref().unwrap().contains("admin context"),
        "{:?}",
        paris.reason
    );
    assert!(
        paris.runner_up.as_deref().unwrap().starts_with("Paris, FR"),
        "{:?}",
        paris.runner_up
    );
    // Countries and demonyms are toponyms of their country.
    let afg = place(&c, "Afghanistan").unwrap();
    assert_eq!(afg.precision.as_deref(), Some("country"));
    assert!(surfaces(&c, afg).contains(&"Afghan".to_string()));
    assert!(place(&c, "Pakistan").is_some_and(|p| surfaces(&c, p) == ["Pakistani"]));
}

#[test]
fn reference_example_beijing_dateline() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/examples/tass-2017-11-01-xi-medvedev.txt"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} not found");
        return;
    };
    let c = code(read_str(&text, path, InputFormat::Auto).unwrap());
    let beijing = &c.places[0];
    assert_eq!(beijing.name, "Beijing");
    assert_eq!(beijing.role, PlaceRole::Dateline);
    assert_eq!(beijing.country.as_deref(), Some("CHN"));
    assert!((beijing.lat.unwrap() - 39.9).abs() < 0.1 && (beijing.lon.unwrap() - 116.4).abs() < 0.1);
    for country in ["China", "Russia"] {
        let p = place(&c, country).unwrap_or_else(|| panic!("{country}: {:#?}", c.places));
        assert_eq!(p.precision.as_deref(), Some("country"));
    }
    // "Moscow's strategic interaction with Beijing", "cooperate with Moscow": the governments.
    assert!(place(&c, "Moscow").is_none(), "{:#?}", c.places);
    assert!(
        beijing
            .mentions
            .iter()
            .all(|&m| !c.doc.regions.iter().any(|r| r.span.contains(m))),
        "Beijing in the body is a metonym: {:?}",
        surfaces(&c, beijing)
    );
}

#[test]
fn metonymy_is_kept_apart() {
    let c = code_text("Moscow said the talks would take place in Moscow next week.");
    let moscow = place(&c, "Moscow").unwrap();
    assert_eq!(surfaces(&c, moscow), vec!["Moscow"]);
    assert_eq!(moscow.mentions[0].start, 42, "only the place after \"in\"");
    let actor = c.actors.mentions.iter().find(|m| m.span.start == 0).unwrap();
    assert_eq!(actor.code.as_deref(), Some("RUSGOV"));
}

#[test]
fn ambiguous_names() {
    let c = code_text("Protesters marched in London, Ontario, and in Springfield, Ill., on Sunday.");
    let london = place(&c, "London").unwrap();
    assert_eq!(london.country.as_deref(), Some("CAN"), "{:?}", london.reason);
    let springfield = place(&c, "Springfield").unwrap();
    assert_eq!(
        springfield.admin1.as_deref(),
        Some("US.IL Illinois"),
        "{:?}",
        springfield.reason
    );

    // Without context, the largest place of a name wins, and the reason says so.
    let c = code_text("The exhibition opens in Paris and then travels to Valencia.");
    assert_eq!(place(&c, "Paris").unwrap().country.as_deref(), Some("FRA"));
    let valencia = place(&c, "Valencia").unwrap();
    assert!(valencia.runner_up.is_some());

    // Washington, D.C. is the capital, not the state.
    let c = code_text("Delegates met in Washington, D.C., on Friday.");
    let w = place(&c, "Washington").unwrap();
    assert_eq!(
        (w.country.as_deref(), w.precision.as_deref()),
        (Some("USA"), Some("city"))
    );
    assert!((w.lon.unwrap() + 77.0).abs() < 0.3, "{w:?}");
}

#[test]
fn common_words_and_people_are_not_places() {
    let c = code_text("Police said in March that Nelson Mandela's house was for sale. Mandela Nelson spoke.");
    assert!(c.places.is_empty(), "{:#?}", c.places);
    let c = code_text("Fighting spread to Split and Mobile, officials said.");
    let names: Vec<&str> = c.places.iter().map(|p| p.name.as_str()).collect();
    assert!(names.contains(&"Split"), "{names:?}");
}

fn event(c: &Coded, sentence: u32, source: &str, code_: &str, target: Option<&str>) -> Event {
    let s = c.seg.sentences[sentence as usize].span;
    let text = c.doc.slice(s);
    let at = |w: &str| {
        let i = s.start as usize + text.find(w).unwrap();
        Span::new(i, i + w.len())
    };
    let actor = |w: &str, code: &str| ActorRef {
        actor: Some(code.to_string()),
        name: None,
        span: at(w),
    };
    Event {
        source: actor(source, code_),
        target: target.map(|t| actor(t, "AFGGOV")),
        code: "040".into(),
        root: "04".into(),
        goldstein: Some(1.0),
        quad_class: 1,
        plover: None,
        sentence,
        evidence: at(source),
        rule: "test".into(),
        dict_version: "test".into(),
        more_sources: vec![],
        more_targets: vec![],
        region: RegionKind::Body,
        in_lead: false,
        date: None,
        date_reason: None,
        quote: None,
        place: None,
    }
}

#[test]
fn event_places() {
    let text = include_str!("fixtures/plain-kabul.txt");
    let c = code(read_str(text, "plain-kabul.txt", InputFormat::Auto).unwrap());
    let si = |needle: &str| {
        c.seg
            .sentences
            .iter()
            .position(|s| c.doc.slice(s.span).contains(needle))
            .unwrap() as u32
    };
    // A place in the same clause.
    let e = event(&c, si("A second convoy"), "convoy", "AFG", None);
    let p = event_place(&e, &c.places, &c.doc, &c.seg, &c.actors).unwrap();
    assert_eq!(p.role, PlaceRole::Event);
    assert_eq!(p.name, "Peshawar");
    assert!(p.reason.as_deref().unwrap().contains("same clause"), "{:?}", p.reason);
    // No place in the sentence; an actor is Afghan: the dateline.
    let e = event(
        &c,
        si("Shehbaz Sharif met"),
        "Shehbaz Sharif",
        "PAKGOV",
        Some("Afghan envoys"),
    );
    let p = event_place(&e, &c.places, &c.doc, &c.seg, &c.actors).unwrap();
    assert_eq!(p.name, "Kabul");
    assert!(p.reason.as_deref().unwrap().contains("dateline"), "{:?}", p.reason);
    // The Kremlin's event: a metonym is no place; no Afghan actor: the source's country.
    let e = event(&c, si("The Kremlin did not say"), "Kremlin", "RUSGOV", None);
    let p = event_place(&e, &c.places, &c.doc, &c.seg, &c.actors).unwrap();
    assert_eq!((p.name.as_str(), p.precision.as_deref()), ("Russia", Some("country")));
    assert!(
        p.reason.as_deref().unwrap().contains("source actor RUSGOV"),
        "{:?}",
        p.reason
    );
}
