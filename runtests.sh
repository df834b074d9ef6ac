#!/usr/bin/env bash
# Jalankan seluruh tes Loket. Run the whole Loket test suite.
# Database: DATABASE_URL if set (e.g. postgres://postgres@127.0.0.1:5432/test), else SQLite.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/ensure-venv.sh
exec .venv/bin/python -m pytest "$@"
