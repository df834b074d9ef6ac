"""IKM over many stored SKM responses on PostgreSQL (issue 6: 1,000,000 responses, goal ≤ 1 s).

Creates its own database (test_loket_bench_skm), loads the standard, writes ROWS responses with
one INSERT … SELECT generate_series (answers spread over 1–4, some blank, dates over a year,
services of the edition), ANALYZEs, then times ``surveys.selectors.ikm_stored`` — the code the
API runs — for the whole year, one quarter and one service, each as the median of 5 runs after
one warm-up. Checks the result against a plain SQL average. Drops the database at the end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/skm.py [ROWS]

Prints human-readable lines and ``RESULT {json}`` last. Not a test: it reports what it measured.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_TEST_NAME = "test_loket_bench_skm"
GOAL_SECONDS = 1.0


def _time(fn, runs: int = 5) -> float:
    fn()  # warm-up (plans, caches)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(rows: int) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.vendor != "postgresql":
        raise SystemExit("skm.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    connection.settings_dict["TEST"]["NAME"] = DB_TEST_NAME
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from loket.catalog.services import standard_load
        from loket.surveys import ikm, selectors
        from loket.surveys.models import Response

        office = standard_load().office
        services = list(office.editions.get(status="active").services.values_list("pk", "unit_id", "code"))
        t0 = time.perf_counter()
        table = Response._meta.db_table
        cols = ", ".join(ikm.KEYS)
        # answer of element j for row g: 1–4 from a cheap hash; about 5 % blank (not answered)
        answers = ", ".join(
            f"CASE WHEN mod(g * {7 + j} + {j}, 20) = 0 THEN NULL ELSE 1 + mod(g * {31 + 2 * j} + g / 7 + {j}, 4) END"
            for j in range(len(ikm.KEYS))
        )
        n_services = len(services)
        with connection.cursor() as cur:
            cur.execute("CREATE TEMP TABLE bench_services (i int, id int, unit_id int)")
            cur.executemany("INSERT INTO bench_services VALUES (%s, %s, %s)",
                            [(i, pk, unit) for i, (pk, unit, _) in enumerate(services)])
            cur.execute(
                f"""INSERT INTO {table} (office_id, service_id, unit_id, date, source, sex, age, education, occupation,
                                         suggestion, created_at, {cols})
                    SELECT %s, s.id, s.unit_id, DATE '2026-01-01' + mod(g, 365)::int, 'paper',
                           CASE WHEN mod(g, 2) = 0 THEN 'L' ELSE 'P' END, 17 + mod(g, 60), '', '', '', now(), {answers}
                    FROM generate_series(1, %s) AS g JOIN bench_services s ON s.i = mod(g, {n_services})""",
                [office.pk, rows],
            )
            cur.execute(f"ANALYZE {table}")
        fill_s = time.perf_counter() - t0
        print(f"wrote {rows} responses in {fill_s:.1f} s")

        year = _time(lambda: selectors.ikm_stored(office=office, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)))
        quarter = _time(lambda: selectors.ikm_stored(office=office, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30)))
        code = services[0][2]
        one_service = _time(lambda: selectors.ikm_stored(office=office, service_code=code))

        # The whole report screen's data of the year (IKM, per service and unit, trend of 5 years,
        # profile, suggestions, population): the same goal, as a ratio of the IKM alone.
        from loket.surveys.periods import Period

        report = _time(lambda: selectors.report(office=office, period=Period("tahun", 2026, 1)), runs=3)
        # where the report's time goes: each query of one run, slowest first
        spent = []

        def timed(execute, sql, params, many, context):
            t = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent.append((time.perf_counter() - t, " ".join(sql.split())[:110]))

        with connection.execute_wrapper(timed):
            selectors.report(office=office, period=Period("tahun", 2026, 1))
        for seconds, sql in sorted(spent, reverse=True)[:6]:
            print(f"  {seconds * 1000:6.0f} ms  {sql}")

        result = selectors.ikm_stored(office=office)
        with connection.cursor() as cur:
            cur.execute(f"SELECT {', '.join(f'avg({k})' for k in ikm.KEYS)}, count(*) FROM {table}")
            *avgs, count = cur.fetchone()
        plain = sum(float(a) for a in avgs) / 9
        agree = abs(float(result.ikm) - plain) < 1e-9 and count == rows == result.respondents
        out = {"rows": rows, "fill_seconds": fill_s, "year_seconds": year, "quarter_seconds": quarter,
               "service_seconds": one_service, "ikm": float(result.ikm), "ikm_unit": float(result.ikm_unit),
               "grade": result.grade, "agrees_with_sql_avg": agree, "goal_seconds": GOAL_SECONDS,
               "ratio_to_goal": GOAL_SECONDS / year, "report_seconds": report,
               "report_ratio_to_ikm": report / year}
        print(f"IKM of {rows} responses, a whole year: {year * 1000:.0f} ms (median of 5)")
        print(f"one quarter: {quarter * 1000:.0f} ms; one service: {one_service * 1000:.0f} ms")
        print(f"IKM {float(result.ikm):.4f}, unit {float(result.ikm_unit):.2f}, grade {result.grade}; "
              f"same as a plain SQL average: {agree}")
        print(f"ratio to goal {GOAL_SECONDS:.0f} s (≥ 1 meets it): {GOAL_SECONDS / year:.2f}")
        print(f"the whole report of the year: {report * 1000:.0f} ms (median of 3), "
              f"{report / year:.1f} × the IKM alone; ratio to goal {GOAL_SECONDS / report:.2f}")
        return out
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    res = main(n)
    print("RESULT " + json.dumps(res))
