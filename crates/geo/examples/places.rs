//! Prints the actors' place-relevant mentions and the resolved toponyms of a file or a text:
//! `cargo run -p annalist-geo --example places -- FILE` or `… -- --text "Fighting in Paris, Texas."`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let doc = match args.as_slice() {
        [flag, text] if flag == "--text" => {
            let mut d = annalist_core::Document::new("text", text.clone());
            d.regions.push(annalist_core::Region {
                kind: annalist_core::RegionKind::Body,
                span: annalist_core::Span::new(0, text.len()),
            });
            d
        }
        [path] => {
            let text = std::fs::read_to_string(path).expect("readable file");
            annalist_ingest::read_str(&text, path, annalist_ingest::InputFormat::Auto).expect("a document")
        }
        _ => {
            eprintln!("usage: places FILE | --text TEXT");
            std::process::exit(2);
        }
    };
    let seg = annalist_text::segment(&doc);
    let actors = annalist_actors::find(&doc, &seg, annalist_lexicon::Lexicon::embedded());
    for m in actors
        .mentions
        .iter()
        .filter(|m| m.etype == annalist_core::EntityType::Loc || m.is_place)
    {
        println!(
            "actor {:?} {:?} {:?} place={}",
            doc.slice(m.span),
            m.kind,
            m.code,
            m.is_place
        );
    }
    let gaz = annalist_geo::Gazetteer::embedded();
    for (t, r) in annalist_geo::resolve_toponyms(&doc, &seg, &actors, gaz) {
        println!(
            "{:?} {:?} -> {} | runner-up {:?}",
            doc.slice(t.span),
            t.kind,
            r.reason,
            r.runner_up
        );
    }
}
