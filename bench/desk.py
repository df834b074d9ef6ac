"""Benchmark: the leadership's desk and the yearly service report on five years of a busy office
(issue 18, item 6).

In a throw-away PostgreSQL database (test_loket_bench_desk) it writes ROWS handed-over
dossiers (1,000,000 by default) spread over the five years before today, each with the five
transitions of the counter (forwarded, initialled, signed, registered, handed over) and its
stored measure (dossiers.Measure), plus a few hundred open ones, as the counter makes them:

- one dossier through the ORM, then copied in SQL (INSERT … SELECT over generate_series);
- the services and kelurahan taken in turn, one in ten late, one in twenty returned once first.

Then, in this process, it times:

- ``leadership.dashboard.desk`` (the Camat's desk, the whole office) and the panel's page
  through the test client (its queries, templates and charts);
- ``leadership.selectors.service_report`` of the last whole year.

Each is timed five times after a warm-up; the median is reported. To show that the desk does not
grow with the history, the same two are timed on a SMALL office (ROWS / 100 dossiers) in the same
database first: the ratio large ÷ small is the figure. Not a test: nothing passes or fails.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/desk.py [ROWS] [--doc] [--keep]

Prints human-readable lines and ``RESULT {json}`` last; ``--doc`` also writes its section at the end
of docs/performance.md (after bench/counter.py's; ``bench/run`` keeps both as they are).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from export import _copy_sql  # noqa: E402  (INSERT … SELECT of a template row, shared with bench/export.py)
DB_TEST_NAME = "test_loket_bench_desk"
REPEAT = 5
GOAL_DESK_MS = 150
GOAL_YEAR_S = 2.0
GOAL_EVALUATION_S = 2.0  # the staff evaluation of a quarter (its default period), every staff member


def _setup_django(db_name: str) -> None:
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test"))
    os.environ["DATABASE_URL"] = urlunsplit((parts.scheme, parts.netloc, "/" + db_name, parts.query, ""))
    os.environ.pop("LOKET_DEBUG", None)
    os.environ["LOKET_ALLOWED_HOSTS"] = "testserver"  # the test client's host
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _create_database() -> None:
    import psycopg

    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test"))
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_TEST_NAME}"')
        conn.execute(f'CREATE DATABASE "{DB_TEST_NAME}"')


def _drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    parts = urlsplit(os.environ["DATABASE_URL"])
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_TEST_NAME}"')


def fill(office, rows: int, *, tag: str) -> None:
    """``rows`` handed-over dossiers of ``office`` over the five years before today, with their
    transitions and measures, and rows // 1000 + 20 open ones."""
    from django.db import connection, transaction
    from django.utils import timezone

    from loket.catalog.models import ServiceType
    from loket.dossiers.models import Applicant, Dossier, Measure, Transition

    services = list(ServiceType.objects.filter(edition__office=office, register_book="pelayanan").order_by("number"))
    kelurahan = list(office.kelurahan.order_by("code"))
    from loket.offices.services import staff_create

    # the clerk of every act: a staff member, so the staff evaluation has someone to count
    actor = staff_create(office=office, username=f"bench-desk-{tag}", role="front_office",
                         password="x-bench-pass-1").user
    applicant = Applicant.objects.create(
        office=office, nik="3577014508900001", name="Siti Aminah", birth_date=dt.date(1990, 8, 5), sex="P",
        address="Jl. Bench 1", rt="1", rw="2", kelurahan=kelurahan[0], phone="081234567890")
    now = timezone.now()
    start = now - dt.timedelta(days=5 * 365)
    step = (now - start) / max(rows, 1)
    s = services[0]
    d = Dossier.objects.create(
        office=office, code=f"{tag}0000001", service=s, unit=s.unit, applicant=applicant, state="handed_over",
        **{f"applicant_{f}": getattr(applicant, f) for f in (
            "nik", "name", "birth_date", "sex", "address", "rt", "rw", "kelurahan", "phone")},
        received_at=start, clock_started_at=start, received_by=actor, done_at=start + dt.timedelta(minutes=9))
    t = Transition.objects.create(dossier=d, from_state="", to_state="received", actor=actor, at=start)
    m = Measure.objects.create(dossier=d, minutes=9, on_time=True, counter_minutes=2, kasi_minutes=3,
                               signer_minutes=2, closing_minutes=2, measured_at=now)
    pick = lambda values, i: f"(ARRAY[{', '.join(values)}])[mod({i}, {len(values)}) + 1]"  # noqa: E731
    seconds = step.total_seconds()
    dossiers = _copy_sql(Dossier, d.pk, {
        "code": f"'{tag}' || lpad(g::text, 7, '0')",
        "service_id": pick([str(x.pk) for x in services], "g"), "unit_id": pick([str(x.unit_id) for x in services], "g"),
        "applicant_kelurahan_id": pick([str(k.pk) for k in kelurahan] + ["NULL"], "g / 7"),
        "received_at": f"t.received_at + (g - 1) * interval '{seconds} seconds'",
        "clock_started_at": f"t.received_at + (g - 1) * interval '{seconds} seconds'",
        "done_at": f"t.received_at + (g - 1) * interval '{seconds} seconds' + "
                   "(CASE WHEN mod(g, 10) = 0 THEN interval '25 minutes' ELSE interval '9 minutes' END)",
        "updated_at": f"t.received_at + (g - 1) * interval '{seconds} seconds'",
    }, f"generate_series(2, {int(rows)}) g", "true")
    # The counter's five steps after the intake, and a return first for one in twenty.
    steps = [("received", 0), ("forwarded", 2), ("initialled", 5), ("signed", 7), ("registered", 8),
             ("handed_over", 9)]
    transitions = [
        _copy_sql(Transition, t.pk, {"dossier_id": "x.id", "to_state": f"'{state}'",
                                     "at": f"x.received_at + interval '{minutes} minutes'"},
                  '"dossiers_dossier" x', f"x.office_id = {office.pk} AND x.id <> {d.pk}")
        for state, minutes in steps
    ]
    transitions.append(_copy_sql(Transition, t.pk, {
        "dossier_id": "x.id", "to_state": "'returned'", "at": "x.received_at - interval '1 day'",
        "missing": """'["Surat pengantar RT/RW"]'::jsonb"""},
        '"dossiers_dossier" x', f"x.office_id = {office.pk} AND mod(x.id, 20) = 0"))
    measures = (f'INSERT INTO "{Measure._meta.db_table}" (dossier_id, minutes, on_time, counter_minutes, kasi_minutes, '
                'signer_minutes, closing_minutes, measured_at) '
                "SELECT x.id, CASE WHEN x.done_at - x.received_at > interval '10 minutes' THEN 25 ELSE 9 END, "
                "x.done_at - x.received_at <= interval '10 minutes', 2, 3, 2, 2, now() "
                f'FROM "dossiers_dossier" x WHERE x.office_id = {office.pk} AND x.id <> {d.pk}')
    open_rows = rows // 1000 + 20
    opened = _copy_sql(Dossier, d.pk, {
        "code": f"'{tag}O' || lpad(g::text, 6, '0')", "state": pick(["'received'", "'forwarded'", "'initialled'"], "g"),
        "received_at": "now() - g * interval '3 minutes'", "clock_started_at": "now() - g * interval '3 minutes'",
        "done_at": "NULL",
    }, f"generate_series(1, {open_rows}) g", "true")
    with transaction.atomic(), connection.cursor() as cur:
        for sql in (dossiers, *transitions, measures, opened):
            cur.execute(sql)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def timed(fn) -> tuple[float, object]:
    fn()  # warm-up
    times, out = [], None
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def measure_office(office) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from loket.leadership.dashboard import desk
    from loket.leadership.selectors import service_report
    from loket.offices.models import Staff

    year = timezone.localdate().year - 1
    camat = Staff.objects.filter(office=office, role="camat").select_related("user").first().user
    client = Client()
    client.force_login(camat)
    from django.core.cache import cache

    cold = []
    for _ in range(3):  # the past months' trend not in the cache yet (the first look of the day)
        cache.clear()
        t0 = time.perf_counter()
        desk(office=office)
        cold.append(time.perf_counter() - t0)
    desk_s, _ = timed(lambda: desk(office=office))
    page_s, _ = timed(lambda: client.get("/staf/pimpinan/", headers={"HX-Request": "true"}, secure=True))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/staf/pimpinan/", headers={"HX-Request": "true"}, secure=True)
    assert response.status_code == 200, response.status_code
    year_s, report = timed(lambda: service_report(office=office, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)))
    from loket.leadership.evaluation import staff_evaluation

    quarter_s, ev = timed(lambda: staff_evaluation(office=office, start=dt.date(year, 10, 1), end=dt.date(year, 12, 31)))
    eval_year_s, _ = timed(lambda: staff_evaluation(office=office, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)))
    clerk = max(ev.people, key=lambda p: p.taken_in)
    return {"quarter_eval_s": quarter_s, "year_eval_s": eval_year_s, "quarter_taken_in": clerk.taken_in,
            "desk_ms": desk_s * 1000, "desk_cold_ms": statistics.median(cold) * 1000, "panel_ms": page_s * 1000, "panel_queries": len(ctx.captured_queries),
            "year_s": year_s, "year_completed": report.total.completed}


def main(rows: int) -> dict:
    _create_database()
    _setup_django(DB_TEST_NAME)
    from django.core.management import call_command

    from loket.catalog.services import standard_load
    from loket.offices.services import roles_sync, staff_create

    try:
        call_command("migrate", verbosity=0)
        roles_sync()
        big = standard_load().office
        # A second, small office from the same standard (another slug, region code and name).
        text = (ROOT / "loket" / "catalog" / "standards" / "kartoharjo-2018.yaml").read_text(encoding="utf-8")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "kecil.yaml"
            path.write_text(text.replace(f'slug: "{big.slug}"', 'slug: "kecil"')
                            .replace(big.region_code, "35.77.99").replace(big.name, "Kecamatan Kecil"),
                            encoding="utf-8")
            small = standard_load(path=path).office
        assert small.pk != big.pk
        for office, tag in ((big, "B"), (small, "S")):
            staff_create(office=office, username=f"camat-{tag}", role="camat", password="x-Bench-Pass-1")
        t0 = time.perf_counter()
        fill(small, max(rows // 100, 100), tag="S")
        fill(big, rows, tag="B")
        fill_s = time.perf_counter() - t0
        s = measure_office(small)
        b = measure_office(big)
        result = {
            "rows": rows, "small_rows": max(rows // 100, 100), "fill_s": fill_s, "small": s, "large": b,
            "desk_ratio_large_small": b["desk_ms"] / s["desk_ms"], "year_ratio_large_small": b["year_s"] / s["year_s"],
            "goal_desk_ms": GOAL_DESK_MS, "goal_year_s": GOAL_YEAR_S,
        }
        print(f"filled {rows:,} + {result['small_rows']:,} dossiers in {fill_s:.0f} s")
        for name, r in (("small", s), ("large", b)):
            print(f"{name}: desk {r['desk_ms']:.0f} ms (first look {r['desk_cold_ms']:.0f} ms), panel page {r['panel_ms']:.0f} ms ({r['panel_queries']} queries), "
                  f"year report {r['year_s']:.2f} s ({r['year_completed']:,} completed)")
        print(f"desk large/small {result['desk_ratio_large_small']:.2f}; goal ≤ {GOAL_DESK_MS} ms: ratio "
              f"{GOAL_DESK_MS / b['panel_ms']:.2f}; year report goal ≤ {GOAL_YEAR_S} s: ratio {GOAL_YEAR_S / b['year_s']:.2f}")
        print(f"staff evaluation: quarter {b['quarter_eval_s']:.2f} s ({b['quarter_taken_in']:,} taken in by the clerk), "
              f"year {b['year_eval_s']:.2f} s; quarter goal ≤ {GOAL_EVALUATION_S} s: ratio "
              f"{GOAL_EVALUATION_S / b['quarter_eval_s']:.2f}")
        return result
    finally:
        if "--keep" in sys.argv:
            print(f"kept the database {DB_TEST_NAME} (--keep)")
        else:
            _drop_database()


DOC = ROOT / "docs" / "performance.md"
DOC_HEADING = "## The leadership's desk on five years of dossiers (bench/desk.py)"


def write_doc(r: dict, seconds: float) -> None:
    """Replace this benchmark's section of docs/performance.md (or add it at the end)."""
    import platform
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    s, b = r["small"], r["large"]
    lines = [
        DOC_HEADING, "",
        "*Written by `bench/desk.py --doc`; `bench/run` keeps this section as it is.*", "",
        f"- date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; code: {commit}; machine: {platform.node()}, "
        f"{os.cpu_count()} cores; PostgreSQL on 127.0.0.1; whole run {seconds:.0f} s",
        f"- {r['rows']:,} handed-over dossiers over five years (each with six transitions and its stored measure, one "
        f"in twenty returned once first) plus {r['rows'] // 1000 + 20:,} open ones, filled in {r['fill_s']:.0f} s; "
        f"a small office of {r['small_rows']:,} in the same database", "",
        "| figure | measured | goal | ratio to goal |", "| --- | --- | --- | --- |",
        f"| desk panel page (the Camat's, htmx), median of {REPEAT} | {b['panel_ms']:.0f} ms ({b['panel_queries']} queries) "
        f"| ≤ {GOAL_DESK_MS} ms | {GOAL_DESK_MS / b['panel_ms']:.2f} |",
        f"| desk figures alone (`dashboard.desk`), past months' trend cached | {b['desk_ms']:.0f} ms | — | — |",
        f"| desk figures, first look (trend computed: 12 months of {r['rows'] // 5:,} dossiers) | "
        f"{b['desk_cold_ms']:.0f} ms | — | — |",
        f"| desk, large ÷ small office ({r['rows']:,} ÷ {r['small_rows']:,} dossiers) | "
        f"{r['desk_ratio_large_small']:.2f} | flat | — |",
        f"| yearly report (`service_report`, {b['year_completed']:,} completed) | {b['year_s']:.2f} s | ≤ {GOAL_YEAR_S:g} s "
        f"| {GOAL_YEAR_S / b['year_s']:.2f} |",
        f"| yearly report, large ÷ small office | {r['year_ratio_large_small']:.1f} | grows with the year's dossiers | — |",
        f"| staff evaluation of a quarter (`staff_evaluation`; the clerk took in {b['quarter_taken_in']:,}) | "
        f"{b['quarter_eval_s']:.2f} s | ≤ {GOAL_EVALUATION_S:g} s | {GOAL_EVALUATION_S / b['quarter_eval_s']:.2f} |",
        f"| staff evaluation of a year | {b['year_eval_s']:.2f} s | — | — |",
        "",
        f"What grows from the small office to the large one is the number of open dossiers ({r['rows'] // 1000 + 20:,} "
        f"against {r['small_rows'] // 1000 + 20:,}), each measured against the standard for the 'past the standard "
        "now' figure; the five years of history do not (the counts read the indexes on office and date, the "
        "months before this one come from the cache). The first look of the day computes the eleven past months "
        "once. The yearly report reads every measure of the year, so it grows with the year's dossiers.",
    ]
    text = DOC.read_text(encoding="utf-8")
    start = text.find(DOC_HEADING)
    if start != -1:
        nxt = text.find("\n## ", start + len(DOC_HEADING))
        text = text[:start] + (text[nxt + 1:] if nxt != -1 else "")
    DOC.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    t0 = time.perf_counter()
    result = main(int(args[0]) if args else 1_000_000)
    if "--doc" in sys.argv:
        write_doc(result, time.perf_counter() - t0)
    print("RESULT " + json.dumps(result))
