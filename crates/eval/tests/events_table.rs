//! The team's table of hand-written sentences (tests/events/sentences.jsonl, every CAMEO root, with
//! negated, hypothetical, question and same-actor sentences that must code nothing), scored as
//! (source, target, code) triples. Prints precision and recall; fails when they drop below the floors,
//! which sit a little under the measured scores so that regressions show.

use std::path::PathBuf;

use annalist_pipeline::Pipeline;

#[test]
fn hand_written_sentence_table() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/events/sentences.jsonl");
    let r = annalist_eval::events::evaluate(&[file], &Pipeline::new(), None).expect("table reads");
    println!(
        "{} sentences, {} expected events, {} predicted",
        r.documents, r.expected_events, r.predicted_events
    );
    for (level, p) in [("code", &r.code), ("root", &r.root)] {
        println!(
            "{level:>5}: P {:.3} R {:.3} F1 {:.3} (tp {} fp {} fn {})",
            p.precision, p.recall, p.f1, p.tp, p.fp, p.fn_
        );
    }
    assert!(r.documents >= 150, "the table has at least 150 sentences");
    assert_eq!(r.failures, 0);
    assert!(
        r.code.precision >= 0.80,
        "precision {:.3} fell under 0.80",
        r.code.precision
    );
    assert!(r.code.recall >= 0.75, "recall {:.3} fell under 0.75", r.code.recall);
}
