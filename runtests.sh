#!/usr/bin/env bash
# Jalankan seluruh tes Loket. Run the whole Loket test suite.
# Database: DATABASE_URL if set (e.g. postgres://postgres@127.0.0.1:5432/test), else SQLite.
# Workers: one per CPU core (pytest-xdist), or LOKET_TEST_WORKERS (0 = one process, in order); each
# test module runs whole on one worker (--dist loadfile), so a module's shared world is built once.
# Passing -n yourself, or a single test file, works as usual: ./runtests.sh tests/dossiers -n 0
set -euo pipefail
cd "$(dirname "$0")"
LOKET_VENV_EXTRAS=test . scripts/ensure-venv.sh
workers=(-n "${LOKET_TEST_WORKERS:-auto}" --dist loadfile)
for arg in "$@"; do
  case "$arg" in -n|-n[0-9a]*|--numprocesses*|--pdb|--trace) workers=() ;; esac
done
exec .venv/bin/python -m pytest "${workers[@]}" "$@"
