#!/usr/bin/env bash
# Regenerate k1port's oracle reference data with the real Keras 1.2.2:
#   bash tests/oracle/regenerate.sh [NAME ...] [--jobs N] [--out DIR]
# Builds the oracle venv (tests/oracle/setup.sh) if it is missing, then runs
# tests/oracle/make_reference.py for every fixtures/oracle/*.py (or the NAMEs given).
set -euo pipefail
ORACLE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -f "$ORACLE/venv/.k1port-oracle-ready" ] || bash "$ORACLE/setup.sh"
exec "$ORACLE/run.sh" "$ORACLE/make_reference.py" "$@"
