"""Load and faults, short: bench/faults.py with 8 s of load, 6 staff and 6 public workers.

A real gunicorn on 127.0.0.1 serves a throw-away PostgreSQL database; staff drive whole KTP-el
dossier lifecycles through the API while the public reads the catalog and tracks dossiers.
Half-way the server's whole process group gets SIGKILL, then it is restarted and the load goes
on. Afterwards the database must show every acknowledged act, no half-moved dossier, and a
register book numbered 1..N with no gap and no duplicate; and no request may have failed
outside the kill window.

It needs PostgreSQL and takes about a minute (setup, two gunicorn boots, 8 s of load), so it
stays out of the ordinary run:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test LOKET_FAULT_TESTS=1 \
        .venv/bin/python -m pytest tests/faults -q -p no:cacheprovider

The long version is ``python bench/faults.py`` (20 s, 12 staff, 20 public by default).
"""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

_ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
_ASKED = os.environ.get("LOKET_FAULT_TESTS", "") == "1"

pytestmark = pytest.mark.skipif(
    not (_ON_POSTGRES and _ASKED),
    reason=(
        "kill-and-restart load test: runs only with a PostgreSQL DATABASE_URL and LOKET_FAULT_TESTS=1 "
        f"(DATABASE_URL is {'PostgreSQL' if _ON_POSTGRES else 'not PostgreSQL'}, "
        f"LOKET_FAULT_TESTS is {'1' if _ASKED else 'unset'})"
    ),
)

BENCH = Path(__file__).resolve().parents[2] / "bench" / "faults.py"


def _faults():
    spec = importlib.util.spec_from_file_location("loket_bench_faults", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def test_sigkill_under_load_loses_no_acknowledged_act_and_no_register_number():
    faults = _faults()
    lines: list[str] = []
    result = faults.run(seconds=8, staff=6, public=6, seed=7, out=lines.append)
    report = "\n".join(lines)
    counts = result.counts

    assert result.errors == [], report
    assert result.violations == [], report
    # The run tested something: acts on both sides of the kill, the kill hit requests in
    # flight, dossiers reached the register, and the database holds what was acknowledged.
    assert counts["acknowledged_before_kill"] > 0 and counts["acknowledged_after_restart"] > 0, report
    assert counts["inflight_at_kill"] > 0, report
    assert counts["lifecycles_completed"] > 0 and counts["register_numbers_acknowledged"] > 0, report
    assert counts["db_register_entries"] >= counts["register_numbers_acknowledged"], report
    assert counts["db_orphan_dossiers"] <= counts["lost_intakes"], report
    # Last, and apart from the durability checks above: a public tracking answer must not
    # contradict itself (its state is read in one query, its timeline in another).
    assert result.read_skews == [], report
