"""Hostile spreadsheets against the SKM import (issue 13, item 2): every file up to the upload
limit is refused in at most 5 s with a peak of at most 200 MB above the process's baseline, and
100,000 valid paper forms still import.

The files are those of tests/surveys/hostile_files.py, built at the upload limit (5 MB): the
review's bombs (50 million empty rows, a row of millions of cells, millions of shared strings),
the same shapes packed under the ratio limit, lying headers, entities, encrypted and bzip2
parts, a zip inside the zip, 50,000 parts, and CSV files that are one line, one field, blank
lines, NUL, not UTF-8 or random bytes. Each is read — ``importer.parse(importer.read_cells(…))``,
what the screen and the API run — in a fresh process, which reports the wall seconds of that
call and its peak resident memory (VmHWM, reset just before) above its baseline (RSS after the
imports and reading the file). Then 100,000 valid forms, as XLSX and as CSV, the same way; and,
with a PostgreSQL DATABASE_URL, those 100,000 rows imported into a throw-away database
(test_loket_bench_xlsx) by ``services.responses_import`` in a fresh process: seconds, peak MB,
rows stored.

    .venv/bin/python bench/xlsx_bombs.py [--no-import]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/xlsx_bombs.py

Prints a table (ratios oriented so that 1.00 or more meets the goal) and ``RESULT {json}`` last.
Not a test: it reports what it measured (the test with the same files is
tests/surveys/test_hostile_files.py, which checks memory and refusal, never time).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_SECONDS = 5.0
GOAL_MB = 200.0
DB_TEST_NAME = "test_loket_bench_xlsx"


def _row(name: str, r: dict, expected: str) -> dict:
    ok = r["outcome"] == "refused" and any(expected in p for p in r["problems"])
    return {"file": name, "outcome": r["outcome"], "as_expected": ok, "seconds": r["seconds"],
            "peak_mb": r["peak_mb"], "time_ratio": GOAL_SECONDS / max(r["seconds"], 1e-3),
            "memory_ratio": GOAL_MB / max(r["peak_mb"], 0.1), "reason": (r["problems"] or [""])[0][:90]}


def hostile(folder: Path, limit: int) -> list[dict]:
    from tests.surveys import hostile_files

    made = {**hostile_files.hostile(limit), **hostile_files.hostile_csv(limit)}
    rows = []
    for name, (data, expected) in made.items():
        path = folder / (f"{name}.csv" if name.startswith("csv_") else f"{name}.xlsx")
        path.write_bytes(data)
        r = _row(name, hostile_files.measure(path), expected)
        r["bytes"] = len(data)
        rows.append(r)
        print(f"  {name:26} {len(data) / 2**20:5.2f} MB  {r['seconds']:6.2f} s  {r['peak_mb']:6.1f} MB  "
              f"ratios {r['time_ratio']:7.1f} {r['memory_ratio']:7.1f}  "
              f"{'refused' if r['as_expected'] else 'NOT AS EXPECTED: ' + r['outcome']}  {r['reason']}")
        path.unlink()
    return rows


def valid(folder: Path) -> list[dict]:
    from tests.surveys import hostile_files

    out = []
    for fmt, make in (("xlsx", hostile_files.valid_xlsx), ("csv", hostile_files.valid_csv)):
        data = make()
        path = folder / f"valid-100000.{fmt}"
        path.write_bytes(data)
        r = hostile_files.measure(path)
        row = {"file": path.name, "bytes": len(data), "outcome": r["outcome"], "rows": r["rows"],
               "seconds": r["seconds"], "peak_mb": r["peak_mb"], "memory_ratio": GOAL_MB / max(r["peak_mb"], 0.1)}
        out.append(row)
        print(f"  {path.name:26} {len(data) / 2**20:5.2f} MB  {r['seconds']:6.2f} s  {r['peak_mb']:6.1f} MB  "
              f"{r['outcome']}, {r['rows']} rows")
    return out


def import_child(path: str) -> None:
    """In a fresh process on the test database: read, parse and store the file's rows."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    import django

    django.setup()
    from django.db import connection

    from loket.offices.models import Staff
    from loket.surveys import importer, services
    from loket.surveys.models import Response
    from tests.surveys import hostile_files

    clerk = Staff.objects.select_related("user", "office").get(user__username="bench-fo")
    connection.ensure_connection()
    data = Path(path).read_bytes()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    baseline = hostile_files._vm_kb("VmRSS")
    t0 = time.perf_counter()
    rows = importer.parse(importer.read_cells(Path(path).name, data))
    n = services.responses_import(office=clerk.office, actor=clerk.user, rows=rows)
    seconds = time.perf_counter() - t0
    peak = hostile_files._vm_kb("VmHWM")
    print("RESULT " + json.dumps({"imported": n, "stored": Response.objects.filter(office=clerk.office).count(),
                                  "seconds": seconds, "peak_mb": (peak - baseline) / 1024}))


def database_import(folder: Path) -> list[dict]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.vendor != "postgresql":
        print("  (no PostgreSQL DATABASE_URL: the database import is skipped)")
        return []
    connection.settings_dict["TEST"]["NAME"] = DB_TEST_NAME
    old = setup_databases(verbosity=0, interactive=False)
    out = []
    try:
        from loket.catalog.services import standard_load
        from loket.offices.roles import Role
        from loket.offices.services import roles_sync, staff_create
        from loket.surveys.models import Response
        from tests.surveys import hostile_files

        roles_sync()
        office = standard_load().office
        staff_create(office=office, username="bench-fo", role=Role.FRONT_OFFICE, password="bench-Pass-12345")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": _test_url(os.environ["DATABASE_URL"])}
        for fmt, make in (("xlsx", hostile_files.valid_xlsx), ("csv", hostile_files.valid_csv)):
            Response.objects.all().delete()
            path = folder / f"import-100000.{fmt}"
            path.write_bytes(make())
            proc = subprocess.run([sys.executable, __file__, "--import-child", str(path)], cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=900)
            lines = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
            if proc.returncode != 0 or not lines:
                print(f"  {path.name}: failed\n{proc.stderr[-2000:]}")
                continue
            r = {"file": path.name, **json.loads(lines[-1][7:])}
            out.append(r)
            print(f"  {path.name:26} imported {r['imported']} (stored {r['stored']}) in {r['seconds']:.1f} s, "
                  f"peak {r['peak_mb']:.0f} MB")
    finally:
        teardown_databases(old, verbosity=0)
    return out


def _test_url(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + DB_TEST_NAME))


def main(argv: list[str]) -> dict:
    limit = 5 * 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="loket-xlsx-bombs-") as tmp:
        folder = Path(tmp)
        print(f"hostile files up to the upload limit ({limit // 2**20} MB); goal ≤ {GOAL_SECONDS:.0f} s and "
              f"≤ {GOAL_MB:.0f} MB above the baseline; ratios = goal / measured (≥ 1.00 meets it)")
        bombs = hostile(folder, limit)
        print("100,000 valid forms, read and checked (no database)")
        valids = valid(folder)
        imports = []
        if "--no-import" not in argv:
            print("100,000 valid forms imported into PostgreSQL")
            imports = database_import(folder)
    worst_s = max(bombs, key=lambda r: r["seconds"])
    worst_mb = max(bombs, key=lambda r: r["peak_mb"])
    print(f"slowest refusal: {worst_s['file']} {worst_s['seconds']:.2f} s (ratio {worst_s['time_ratio']:.2f}); "
          f"largest peak: {worst_mb['file']} {worst_mb['peak_mb']:.1f} MB (ratio {worst_mb['memory_ratio']:.2f}); "
          f"all refused as expected: {all(r['as_expected'] for r in bombs)}")
    return {"goal_seconds": GOAL_SECONDS, "goal_mb": GOAL_MB, "hostile": bombs, "valid": valids, "import": imports,
            "all_refused": all(r["as_expected"] for r in bombs),
            "slowest": {"file": worst_s["file"], "seconds": worst_s["seconds"], "ratio": worst_s["time_ratio"]},
            "largest": {"file": worst_mb["file"], "peak_mb": worst_mb["peak_mb"], "ratio": worst_mb["memory_ratio"]}}


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--import-child":
        import_child(sys.argv[2])
    else:
        print("RESULT " + json.dumps(main(sys.argv[1:])))
