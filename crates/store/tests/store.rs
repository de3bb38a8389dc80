//! The store end to end: ingest is idempotent, updates replace rows, near-duplicates fold into one
//! story and one event with counts, search and timelines answer, bad databases give clear errors.

use annalist_core::{Document, Region, RegionKind, Span};
use annalist_pipeline::Pipeline;
use annalist_store::{EventFilter, Outcome, Period, Store, StoreError};

fn doc(id: &str, date: &str, source: &str, text: &str) -> Document {
    let mut d = Document::new(id, text);
    d.date = Some(date.into());
    d.source = Some(source.into());
    d.title = Some(format!("Story {id}"));
    d.regions.push(Region {
        kind: RegionKind::Body,
        span: Span::new(0, text.len()),
    });
    d
}

fn ingest(store: &mut Store, p: &Pipeline, docs: Vec<Document>) -> Vec<Outcome> {
    let batch: Vec<_> = docs
        .into_iter()
        .map(|d| {
            let a = p.annotate(d).unwrap();
            let r = p.to_output(&a);
            (a, r)
        })
        .collect();
    store.ingest_batch(&batch).unwrap()
}

const STORY: &str = "Russia and China signed an agreement on energy cooperation in Beijing on Monday. Officials said the deal covers gas supplies for thirty years and new pipelines across Siberia. The two governments also agreed to expand trade in grain and machinery, to open two new border crossings in the Far East, and to hold regular talks between their energy ministries. Analysts in Moscow said the agreement would make China the largest buyer of Russian gas by the end of the decade, while European buyers would take a smaller share. The next round of talks is planned for the spring in Moscow, the foreign ministry said in a statement.";

#[test]
fn ingest_is_idempotent_and_updates_replace() {
    let p = Pipeline::new();
    let mut s = Store::open_in_memory().unwrap();
    assert_eq!(
        ingest(&mut s, &p, vec![doc("a", "2017-11-01", "TASS", STORY)]),
        [Outcome::Inserted]
    );
    let before = s.stats().unwrap();
    assert_eq!(
        ingest(&mut s, &p, vec![doc("a", "2017-11-01", "TASS", STORY)]),
        [Outcome::Unchanged]
    );
    assert_eq!(s.stats().unwrap().sentences, before.sentences);
    let changed = STORY.replace("thirty", "twenty");
    assert_eq!(
        ingest(&mut s, &p, vec![doc("a", "2017-11-01", "TASS", &changed)]),
        [Outcome::Replaced]
    );
    let after = s.stats().unwrap();
    assert_eq!((after.documents, after.sentences), (1, before.sentences));
    assert!(s.search("twenty", 10).unwrap().len() == 1);
    assert!(s.search("thirty", 10).unwrap().is_empty());
}

#[test]
fn near_duplicates_are_one_story_and_search_highlights() {
    let p = Pipeline::new();
    let mut s = Store::open_in_memory().unwrap();
    // The same wire story on another site, lightly edited.
    let copy = STORY.replace("in a statement", "in a written statement");
    let other = "Heavy rain flooded the northern province overnight and forced thousands of residents to leave their homes, the regional governor said.";
    ingest(
        &mut s,
        &p,
        vec![
            doc("a", "2017-11-01", "TASS", STORY),
            doc("b", "2017-11-01", "Xinhua", &copy),
            doc("c", "2017-11-02", "AP", other),
        ],
    );
    let st = s.stats().unwrap();
    assert_eq!((st.documents, st.stories), (3, 2), "{st:?}");
    let hits = s.search("\"energy cooperation\" Siberia", 10).unwrap();
    assert_eq!(hits.len(), 2);
    assert!(
        hits[0].snippet.contains("[energy] [cooperation]") || hits[0].snippet.contains("[energy cooperation]"),
        "{}",
        hits[0].snippet
    );
}

#[test]
fn timeline_counts_folded_events_per_period() {
    let mut s = Store::open_in_memory().unwrap();
    s.insert_synthetic_events(5_000, 7).unwrap();
    let rows = s.timeline("RUS", "CHN", Period::Year, true).unwrap();
    assert!(!rows.is_empty());
    let total: i64 = rows.iter().map(|r| r.events).sum();
    let quads: i64 = rows
        .iter()
        .map(|r| r.verbal_cooperation + r.material_cooperation + r.verbal_conflict + r.material_conflict)
        .sum();
    assert_eq!(total, quads, "every event has one quad class");
    let directed: i64 = s
        .timeline("RUS", "CHN", Period::Year, false)
        .unwrap()
        .iter()
        .map(|r| r.events)
        .sum();
    assert!(directed < total && directed > 0);
    let f = EventFilter {
        source: Some("RUS".into()),
        target: Some("CHN".into()),
        code: Some("19".into()),
        ..Default::default()
    };
    assert!(s
        .events(&f)
        .unwrap()
        .iter()
        .all(|e| e.code.starts_with("19") && e.source.as_deref().unwrap().starts_with("RUS")));
}

#[test]
fn bad_databases_give_clear_errors() {
    let dir = std::env::temp_dir().join(format!("annalist-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let junk = dir.join("junk.db");
    std::fs::write(
        &junk,
        b"this is not a database, just some text that is long enough to look like a header....",
    )
    .unwrap();
    match Store::open(&junk) {
        Err(StoreError::Corrupt { path, .. }) => assert!(path.ends_with("junk.db")),
        Err(e) => panic!("unexpected {e}"),
        Ok(_) => panic!("opened a junk file"),
    }
    let missing = dir.join("no/such/folder/x.db");
    let e = Store::open(&missing).err().expect("cannot open in a missing folder");
    assert!(e.to_string().contains("x.db"), "{e}");
}

#[test]
fn parquet_export_is_partitioned_by_date_and_readable() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let p = Pipeline::new();
    let mut s = Store::open_in_memory().unwrap();
    ingest(
        &mut s,
        &p,
        vec![
            doc("a", "2017-11-01", "TASS", STORY),
            doc(
                "b",
                "2017-11-02",
                "AP",
                "Heavy rain flooded the province, the governor said.",
            ),
        ],
    );
    let out = std::env::temp_dir().join(format!("annalist-parquet-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let counts = annalist_store::export_parquet(&s, &out).unwrap();
    assert_eq!(counts.iter().find(|c| c.0 == "documents").unwrap().1, 2);
    for day in ["2017-11-01", "2017-11-02"] {
        let f = out.join("documents").join(format!("date={day}")).join("part-0.parquet");
        let r = SerializedFileReader::new(std::fs::File::open(&f).unwrap()).unwrap();
        assert_eq!(r.metadata().file_metadata().num_rows(), 1, "{}", f.display());
        let names: Vec<String> = r
            .metadata()
            .file_metadata()
            .schema_descr()
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        assert!(names.contains(&"doc_id".to_string()) && !names.contains(&"date".to_string()));
    }
    for (table, rows) in &counts {
        assert_eq!(out.join(table).exists(), *rows > 0, "{table}: {rows} rows");
    }
    assert!(
        counts.iter().find(|c| c.0 == "quotes").unwrap().1 >= 1,
        "the rain story has a quote"
    );
}

#[test]
fn a_locked_database_is_reported_and_nothing_stored_is_lost() {
    let dir = std::env::temp_dir().join(format!("annalist-lock-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("l.db");
    let p = Pipeline::new();
    let mut s = Store::open(&path).unwrap();
    ingest(&mut s, &p, vec![doc("a", "2017-11-01", "TASS", STORY)]);
    // Another process holds the write lock.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let a = p
        .annotate(doc(
            "b",
            "2017-11-02",
            "AP",
            "Heavy rain flooded the province, the governor said.",
        ))
        .unwrap();
    let r = p.to_output(&a);
    match s.ingest_batch(&[(a, r)]) {
        Err(StoreError::Locked { path }) => assert!(path.ends_with("l.db")),
        other => panic!("expected a lock error, got {:?}", other.map(|_| ())),
    }
    other.execute_batch("ROLLBACK").unwrap();
    drop(other);
    assert_eq!(
        s.stats().unwrap().documents,
        1,
        "the document stored before the lock is still there"
    );
}
