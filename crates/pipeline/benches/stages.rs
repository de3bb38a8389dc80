//! Benches per stage over fixed corpora: `cargo bench -p annalist-pipeline` (divan).
//!
//! - `generated`: 200 wire-style articles written by [`generate`] below, so the corpus is fixed, owned by
//!   the repo, and its sentence count is known by construction;
//! - `fixtures`: the example inputs in `tests/fixtures/` (wire page, plain text, HTML, JSON Lines);
//! - `reuters_000`: the first Reuters-21578 file, `../shared/data/news/reuters21578/reut2-000.sgm`, when it
//!   is there (the data is not copied into the repo).
//!
//! Every bench checks the count its stage returns, inside the timed closure (as tantivy's bench checks its
//! word count): a stage that silently stops working fails the bench instead of looking fast. Counts that
//! are not known by construction are taken once before timing and must then come back every iteration.
//!
//! For whole-corpus figures against same-run baselines, use `annalist bench` (see BENCHMARKS.md).

use std::sync::LazyLock;

use annalist_actors::Actors;
use annalist_core::{Annotated, Document, Quote};
use annalist_ingest::{read_str, reuters, InputFormat};
use annalist_pipeline::Pipeline;
use annalist_text::Segmented;
use divan::counter::{BytesCount, ItemsCount};
use divan::Bencher;

fn main() {
    divan::main();
}

static PIPELINE: LazyLock<Pipeline> = LazyLock::new(Pipeline::new);

/// A corpus with every stage's input prepared, and the counts each stage must return.
struct Corpus {
    docs: Vec<Document>,
    segs: Vec<Segmented>,
    /// The actors stage's output (the quotes stage's input).
    actors: Vec<Actors>,
    /// The actors after the quotes stage, and its quotes (the events stage's input).
    quoted: Vec<(Actors, Vec<Quote>)>,
    annotated: Vec<Annotated>,
    text_bytes: usize,
    sentences: usize,
    /// Actor mentions (names, roles, pronouns) found by the actors stage.
    mentions: usize,
    quotes: usize,
    events: usize,
    json_bytes: usize,
}

impl Corpus {
    fn new(docs: Vec<Document>) -> Corpus {
        let p = &*PIPELINE;
        let segs: Vec<Segmented> = docs.iter().map(|d| p.segment(d)).collect();
        let actors: Vec<Actors> = docs.iter().zip(&segs).map(|(d, s)| p.actors(d, s)).collect();
        let quoted: Vec<(Actors, Vec<Quote>)> = docs
            .iter()
            .zip(&segs)
            .zip(&actors)
            .map(|((d, s), a)| {
                let mut a = a.clone();
                let q = p.quotes(d, s, &mut a);
                (a, q)
            })
            .collect();
        let annotated: Vec<Annotated> = docs
            .iter()
            .map(|d| p.annotate(d.clone()).expect("the bench corpus annotates"))
            .collect();
        let c = Corpus {
            text_bytes: docs.iter().map(|d| d.text.len()).sum(),
            sentences: segs.iter().map(|s| s.sentences.len()).sum(),
            mentions: actors.iter().map(|a| a.mentions.len()).sum(),
            quotes: annotated.iter().map(|a| a.quotes.len()).sum(),
            events: annotated.iter().map(|a| a.events.len()).sum(),
            json_bytes: annotated.iter().map(json_len).sum(),
            docs,
            segs,
            actors,
            quoted,
            annotated,
        };
        assert!(c.sentences > 0 && c.json_bytes > 0, "the bench corpus has no sentences");
        c
    }

    fn counters(&self) -> (BytesCount, ItemsCount) {
        (BytesCount::new(self.text_bytes), ItemsCount::new(self.docs.len()))
    }
}

fn json_len(a: &Annotated) -> usize {
    serde_json::to_vec(&PIPELINE.to_output(a))
        .expect("records serialise")
        .len()
}

// ---------------------------------------------------------------------------------------------------------
// The generated corpus.

const GENERATED_DOCS: usize = 200;

/// Deterministic wire-style articles: a headline, a dateline opening and paragraphs of sentences that
/// exercise the segmenter's rules (titles, initials, month abbreviations, decimals, dotted acronyms,
/// quotations). Returns the texts and the number of sentences written (headline included).
fn generate(n: usize) -> (Vec<String>, usize) {
    const PEOPLE: [(&str, &str); 6] = [
        ("President Vladimir Putin", "Putin"),
        ("Chancellor Angela Merkel", "Merkel"),
        ("President Xi Jinping", "Xi"),
        ("Prime Minister Narendra Modi", "Modi"),
        ("President Emmanuel Macron", "Macron"),
        ("Secretary of State John Kerry", "Kerry"),
    ];
    const PLACES: [(&str, &str); 6] = [
        ("GENEVA", "Geneva"),
        ("MOSCOW", "Moscow"),
        ("BEIJING", "Beijing"),
        ("NEW DELHI", "New Delhi"),
        ("PARIS", "Paris"),
        ("BRUSSELS", "Brussels"),
    ];
    const COUNTRIES: [&str; 8] = [
        "Russia", "China", "Germany", "France", "India", "Japan", "Brazil", "Turkey",
    ];
    const TOPICS: [&str; 5] = [
        "trade",
        "energy prices",
        "the arms treaty",
        "border security",
        "climate policy",
    ];
    const MONTHS: [&str; 6] = ["Jan", "Feb", "Aug", "Sept", "Oct", "Nov"];

    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut pick = move |k: usize| {
        // xorshift64*: a fixed sequence on every platform.
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        (seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % k
    };
    let mut texts = Vec::with_capacity(n);
    let mut sentences = 0;
    for i in 0..n {
        let (a, a_short) = PEOPLE[pick(PEOPLE.len())];
        let (b, _) = PEOPLE[pick(PEOPLE.len())];
        let (upper, place) = PLACES[pick(PLACES.len())];
        let c1 = COUNTRIES[pick(COUNTRIES.len())];
        let c2 = COUNTRIES[pick(COUNTRIES.len())];
        let topic = TOPICS[pick(TOPICS.len())];
        let month = MONTHS[pick(MONTHS.len())];
        let day = 1 + pick(28);
        let pct = format!("{}.{}", 1 + pick(9), pick(10));
        let mut t = format!("{a_short} and {c2} agree to deepen ties on {topic}\n\n");
        t.push_str(&format!("{upper}, {month} {day} (Reuters) - "));
        let body: Vec<String> = vec![
            format!("{a} met {b} in {place} on Tuesday to discuss {topic}."),
            format!("\"We are ready to sign the road maps, but our partners must meet us halfway,\" {a_short} told reporters."),
            format!("Mr. {a_short} said the talks with {c1} lasted {pct} hours."),
            format!("{c1} and {c2} agreed to cut tariffs by {pct} percent from {month}. {day}, officials said."),
            format!("The U.S. decision to leave the treaty was criticised by officials in {place} and {c2}."),
            format!("Gen. J.R. Smith said troops from {c1} would stay until the end of the year."),
            format!("{b} didn't comment on the report."),
            "Talks will resume next week.".to_string(),
        ];
        // 3 to 8 sentences in paragraphs of up to 3; the article number varies the length.
        let keep = 3 + (i + pick(6)) % 6;
        for (k, s) in body.iter().take(keep).enumerate() {
            if k > 0 {
                t.push_str(if k % 3 == 0 { "\n\n" } else { " " });
            }
            t.push_str(s);
        }
        t.push('\n');
        sentences += 1 + keep;
        texts.push(t);
    }
    (texts, sentences)
}

struct Generated {
    texts: Vec<String>,
    /// What the generator wrote: the segmenter must find exactly these.
    sentences_written: usize,
    corpus: Corpus,
}

static GENERATED: LazyLock<Generated> = LazyLock::new(|| {
    let (texts, sentences_written) = generate(GENERATED_DOCS);
    let docs = texts
        .iter()
        .enumerate()
        .map(|(i, t)| read_str(t, &format!("gen-{i:03}.txt"), InputFormat::Auto).expect("generated text reads"))
        .collect();
    let corpus = Corpus::new(docs);
    assert_eq!(
        corpus.sentences, sentences_written,
        "the segmenter splits the generated corpus into {} sentences, the generator wrote {sentences_written}",
        corpus.sentences
    );
    assert!(
        corpus.mentions > 0,
        "the actors stage finds nothing in the generated corpus"
    );
    // Every generated article has a direct quotation.
    assert!(corpus.quotes >= GENERATED_DOCS, "the quotes stage misses quotations");
    assert!(
        corpus.events > 0,
        "the events stage codes nothing in the generated corpus"
    );
    Generated {
        texts,
        sentences_written,
        corpus,
    }
});

#[divan::bench_group(sample_count = 30)]
mod generated {
    use super::*;

    fn setup() -> &'static Generated {
        &GENERATED
    }

    #[divan::bench]
    fn read(b: Bencher) {
        let g = setup();
        let (bytes, items) = g.corpus.counters();
        b.counter(bytes).counter(items).bench(|| {
            let mut n = 0;
            for (i, t) in g.texts.iter().enumerate() {
                let d = read_str(t, &format!("gen-{i:03}.txt"), InputFormat::Auto).expect("reads");
                n += d.regions.len();
            }
            assert_eq!(
                n,
                2 * GENERATED_DOCS,
                "every generated article has a headline and a body"
            );
        });
    }

    #[divan::bench]
    fn segment(b: Bencher) {
        let g = setup();
        let (bytes, items) = g.corpus.counters();
        b.counter(bytes).counter(items).bench(|| {
            let n: usize = g.corpus.docs.iter().map(|d| PIPELINE.segment(d).sentences.len()).sum();
            assert_eq!(n, g.sentences_written);
        });
    }

    #[divan::bench]
    fn actors(b: Bencher) {
        let g = setup();
        let (bytes, items) = g.corpus.counters();
        b.counter(bytes).counter(items).bench(|| {
            let c = &g.corpus;
            let n: usize = c
                .docs
                .iter()
                .zip(&c.segs)
                .map(|(d, s)| PIPELINE.actors(d, s).mentions.len())
                .sum();
            assert_eq!(n, c.mentions);
        });
    }

    #[divan::bench]
    fn quotes(b: Bencher) {
        let c = &setup().corpus;
        let (bytes, items) = c.counters();
        b.counter(bytes).counter(items).bench(|| {
            let n: usize = (0..c.docs.len())
                .map(|i| PIPELINE.quotes(&c.docs[i], &c.segs[i], &mut c.actors[i].clone()).len())
                .sum();
            assert_eq!(n, c.quotes);
        });
    }

    #[divan::bench]
    fn events(b: Bencher) {
        let c = &setup().corpus;
        let (bytes, items) = c.counters();
        b.counter(bytes).counter(items).bench(|| {
            let n: usize = (0..c.docs.len())
                .map(|i| {
                    let (actors, quotes) = &c.quoted[i];
                    PIPELINE.events(&c.docs[i], &c.segs[i], actors, quotes).len()
                })
                .sum();
            assert_eq!(n, c.events);
        });
    }

    #[divan::bench]
    fn annotate(b: Bencher) {
        let g = setup();
        let (bytes, items) = g.corpus.counters();
        b.counter(bytes).counter(items).bench(|| {
            let n: usize = g
                .corpus
                .docs
                .iter()
                .map(|d| PIPELINE.annotate(d.clone()).expect("annotates").sentences.len())
                .sum();
            assert_eq!(n, g.sentences_written);
        });
    }

    #[divan::bench]
    fn write(b: Bencher) {
        let g = setup();
        let (bytes, items) = g.corpus.counters();
        b.counter(bytes).counter(items).bench(|| {
            let n: usize = g.corpus.annotated.iter().map(json_len).sum();
            assert_eq!(n, g.corpus.json_bytes);
        });
    }

    /// Read, annotate on every core (`Pipeline::run`) and write JSON lines, as `annalist code` does.
    #[divan::bench]
    fn end_to_end(b: Bencher) {
        let g = setup();
        let (bytes, items) = g.corpus.counters();
        b.counter(bytes).counter(items).bench(|| {
            let docs = g
                .texts
                .iter()
                .enumerate()
                .map(|(i, t)| read_str(t, &format!("gen-{i:03}.txt"), InputFormat::Auto));
            let mut out = Vec::with_capacity(1 << 16);
            let mut sentences = 0;
            PIPELINE
                .run(docs, 64, |r| -> Result<(), serde_json::Error> {
                    let a = r.expect("annotates");
                    sentences += a.sentences.len();
                    serde_json::to_writer(&mut out, &PIPELINE.to_output(&a))?;
                    out.push(b'\n');
                    Ok(())
                })
                .expect("writes");
            assert_eq!(sentences, g.sentences_written);
            assert_eq!(out.len(), g.corpus.json_bytes + GENERATED_DOCS);
        });
    }
}

// ---------------------------------------------------------------------------------------------------------
// The repository's example inputs, one per reader.

const FIXTURES: [(&str, &str); 4] = [
    ("wire-minsk.txt", include_str!("../../../tests/fixtures/wire-minsk.txt")),
    (
        "plain-brussels.txt",
        include_str!("../../../tests/fixtures/plain-brussels.txt"),
    ),
    ("page-kyiv.html", include_str!("../../../tests/fixtures/page-kyiv.html")),
    ("docs.jsonl", include_str!("../../../tests/fixtures/docs.jsonl")),
];

/// The fixtures' documents (every line of the JSON Lines file) and their corpus.
static FIXTURE_CORPUS: LazyLock<Corpus> = LazyLock::new(|| Corpus::new(read_fixtures()));

fn read_fixtures() -> Vec<Document> {
    let mut docs = Vec::new();
    for (name, text) in FIXTURES {
        if name.ends_with(".jsonl") {
            for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                let at = annalist_ingest::Location::line(name, i as u64 + 1);
                docs.push(annalist_ingest::jsonl::parse_line(line, &at).expect("fixture line reads"));
            }
        } else {
            docs.push(read_str(text, name, InputFormat::Auto).expect("fixture reads"));
        }
    }
    docs
}

#[divan::bench_group(sample_count = 50)]
mod fixtures {
    use super::*;

    #[divan::bench]
    fn read(b: Bencher) {
        let c = &*FIXTURE_CORPUS;
        let (bytes, items) = c.counters();
        b.counter(bytes).counter(items).bench(|| {
            let n: usize = read_fixtures().iter().map(|d| d.text.len()).sum();
            assert_eq!(n, c.text_bytes);
        });
    }

    #[divan::bench]
    fn annotate(b: Bencher) {
        let c = &*FIXTURE_CORPUS;
        let (bytes, items) = c.counters();
        b.counter(bytes).counter(items).bench(|| {
            let n: usize = c
                .docs
                .iter()
                .map(|d| PIPELINE.annotate(d.clone()).expect("annotates").sentences.len())
                .sum();
            assert_eq!(n, c.sentences);
        });
    }
}

// ---------------------------------------------------------------------------------------------------------
// The first Reuters-21578 file, read from ../shared when present (never copied into the repo).

const REUTERS_000: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/news/reuters21578/reut2-000.sgm"
);

struct Reuters {
    bytes: Vec<u8>,
    corpus: Corpus,
}

static REUTERS: LazyLock<Option<Reuters>> = LazyLock::new(|| {
    let bytes = std::fs::read(REUTERS_000).ok()?;
    let docs = reuters::parse_file(&reuters::latin1(&bytes), "reut2-000.sgm")
        .into_iter()
        .filter_map(Result::ok)
        .collect::<Vec<_>>();
    assert!(
        docs.len() > 900,
        "reut2-000.sgm holds 1000 stories, {} read",
        docs.len()
    );
    Some(Reuters {
        bytes,
        corpus: Corpus::new(docs),
    })
});

/// The Reuters corpus, or a note that it is absent (divan then reports the bench as not run).
fn reuters() -> Option<&'static Reuters> {
    let r = REUTERS.as_ref();
    if r.is_none() {
        eprintln!("skipped: {REUTERS_000} is not there");
    }
    r
}

#[divan::bench_group(sample_count = 10)]
mod reuters_000 {
    use super::*;

    /// latin-1 decoding, entities and story splitting, from the file's bytes in memory.
    #[divan::bench]
    fn read(b: Bencher) {
        let Some(r) = reuters() else { return };
        let (bytes, items) = r.corpus.counters();
        b.counter(bytes).counter(items).bench(|| {
            let docs = reuters::parse_file(&reuters::latin1(&r.bytes), "reut2-000.sgm");
            let n: usize = docs.iter().flatten().map(|d| d.text.len()).sum();
            assert_eq!(n, r.corpus.text_bytes);
        });
    }

    /// The same through `DocStream`, as `annalist code` reads it: the file from the page cache.
    #[divan::bench]
    fn read_file(b: Bencher) {
        let Some(r) = reuters() else { return };
        let (bytes, items) = r.corpus.counters();
        b.counter(bytes).counter(items).bench(|| {
            let opts = annalist_ingest::ReadOptions::default();
            let stream = annalist_ingest::DocStream::new(&[std::path::PathBuf::from(REUTERS_000)], opts);
            let n: usize = stream.flatten().map(|d| d.text.len()).sum();
            assert_eq!(n, r.corpus.text_bytes);
        });
    }

    #[divan::bench]
    fn segment(b: Bencher) {
        let Some(r) = reuters() else { return };
        let (bytes, items) = r.corpus.counters();
        b.counter(bytes).counter(items).bench(|| {
            let n: usize = r.corpus.docs.iter().map(|d| PIPELINE.segment(d).sentences.len()).sum();
            assert_eq!(n, r.corpus.sentences);
        });
    }

    #[divan::bench]
    fn actors(b: Bencher) {
        let Some(r) = reuters() else { return };
        let (bytes, items) = r.corpus.counters();
        b.counter(bytes).counter(items).bench(|| {
            let c = &r.corpus;
            let n: usize = c
                .docs
                .iter()
                .zip(&c.segs)
                .map(|(d, s)| PIPELINE.actors(d, s).mentions.len())
                .sum();
            assert_eq!(n, c.mentions);
        });
    }

    #[divan::bench]
    fn quotes(b: Bencher) {
        let Some(r) = reuters() else { return };
        let c = &r.corpus;
        let (bytes, items) = c.counters();
        b.counter(bytes).counter(items).bench(|| {
            let n: usize = (0..c.docs.len())
                .map(|i| PIPELINE.quotes(&c.docs[i], &c.segs[i], &mut c.actors[i].clone()).len())
                .sum();
            assert_eq!(n, c.quotes);
        });
    }

    #[divan::bench]
    fn events(b: Bencher) {
        let Some(r) = reuters() else { return };
        let c = &r.corpus;
        let (bytes, items) = c.counters();
        b.counter(bytes).counter(items).bench(|| {
            let n: usize = (0..c.docs.len())
                .map(|i| {
                    let (actors, quotes) = &c.quoted[i];
                    PIPELINE.events(&c.docs[i], &c.segs[i], actors, quotes).len()
                })
                .sum();
            assert_eq!(n, c.events);
        });
    }

    #[divan::bench]
    fn write(b: Bencher) {
        let Some(r) = reuters() else { return };
        let (bytes, items) = r.corpus.counters();
        b.counter(bytes).counter(items).bench(|| {
            let n: usize = r.corpus.annotated.iter().map(json_len).sum();
            assert_eq!(n, r.corpus.json_bytes);
        });
    }
}
