"""Benchmark: register numbers per second with many concurrent writers on PostgreSQL.

THREADS threads (32 by default), each with its own database connection, call
``loket.registers.services.register_entry_add`` inside ``transaction.atomic()`` in a loop for
SECONDS seconds, all on the same book (the worst case: every writer queues on the one
counter row). Then the book is read back: numbers per second, and the count of gaps and
duplicates in 1..N.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/register_numbers.py [SECONDS] [THREADS]

It creates a throw-away test database (test_loket_bench_registers) and drops it afterwards.
Prints human-readable lines and ``RESULT {json}`` last. Not a test: it reports what it measured.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

MAX_PER_THREAD = 200_000  # a bound on the loop whatever the clock does


def main(seconds: float, threads: int) -> dict:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a time limit still drops the database
    logging.disable(logging.INFO)
    if connection.vendor != "postgresql":
        raise SystemExit("register_numbers.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    seconds = min(max(seconds, 0.5), 120.0)
    connection.settings_dict["TEST"]["NAME"] = "test_loket_bench_registers"
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from django.contrib.auth import get_user_model

        from loket.catalog.services import standard_load
        from loket.registers.models import RegisterBook, RegisterEntry
        from loket.registers.services import register_entry_add

        office = standard_load().office
        actor = get_user_model().objects.create_user(username="bench-register", password="x-bench-pass-1")
        kind = RegisterBook.Kind.PELAYANAN

        # What one number costs alone, for reading the concurrent figure: a round trip to the
        # server, a one-row write transaction (its commit waits for the WAL flush), and one writer.
        def timed(fn, n):
            samples = []
            for _ in range(n):
                t0 = time.perf_counter()
                fn()
                samples.append(time.perf_counter() - t0)
            return sorted(samples)[len(samples) // 2] * 1000

        def select_one():
            with connection.cursor() as cur:
                cur.execute("SELECT 1")

        solo_kind = RegisterBook.Kind.TAMU

        def solo_number():
            with transaction.atomic():
                register_entry_add(office_id=office.pk, kind=solo_kind, actor=actor, subject="Sendiri")

        solo_number()
        rtt_ms = timed(select_one, 200)
        solo_book = RegisterBook.objects.get(office=office, kind=solo_kind)

        def write_commit():
            with transaction.atomic():
                RegisterBook.objects.filter(pk=solo_book.pk).update(last_number=F("last_number"))

        commit_ms = timed(write_commit, 100)
        solo_seconds = min(3.0, seconds / 3)
        solo_n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < solo_seconds and solo_n < MAX_PER_THREAD:
            solo_number()
            solo_n += 1
        solo_rate = solo_n / (time.perf_counter() - t0)

        barrier = threading.Barrier(threads + 1, timeout=60)
        stop = threading.Event()
        counts = [0] * threads
        errors: list[str] = []
        latencies: list[list[float]] = [[] for _ in range(threads)]

        def writer(i: int) -> None:
            try:
                with transaction.atomic():  # warm up: open this thread's connection
                    register_entry_add(office_id=office.pk, kind=kind, actor=actor, subject="Pemanasan")
                barrier.wait()
                n = 0
                while not stop.is_set() and n < MAX_PER_THREAD:
                    t0 = time.perf_counter()
                    try:
                        with transaction.atomic():
                            register_entry_add(office_id=office.pk, kind=kind, actor=actor,
                                               subject="Legalisasi surat keterangan", name=f"Pemohon {i}-{n}")
                    except Exception as exc:  # noqa: BLE001 - counted and reported
                        errors.append(f"{type(exc).__name__}: {exc}"[:200])
                        continue
                    latencies[i].append(time.perf_counter() - t0)
                    n += 1
                counts[i] = n
            except threading.BrokenBarrierError:
                errors.append("barrier broken")
            finally:
                connections.close_all()  # this thread's connection

        pool = [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(threads)]
        for t in pool:
            t.start()
        barrier.wait()
        t0 = time.perf_counter()
        time.sleep(seconds)
        stop.set()
        for t in pool:
            t.join(timeout=60)
        elapsed = time.perf_counter() - t0  # includes the last transactions in flight
        timed = sum(counts)

        numbers = list(RegisterEntry.objects.filter(book__office=office, book__kind=kind)
                       .order_by("number").values_list("number", flat=True))
        book = RegisterBook.objects.get(office=office, kind=kind)
        distinct = set(numbers)
        top = max(numbers) if numbers else 0
        gaps = len(set(range(1, top + 1)) - distinct)
        duplicates = len(numbers) - len(distinct)
        lat = sorted(x for per in latencies for x in per)
        p = lambda q: lat[min(len(lat) - 1, round(q / 100 * (len(lat) - 1)))] * 1000 if lat else float("nan")  # noqa: E731
        rate = timed / elapsed
        result = {
            "threads": threads, "seconds": round(elapsed, 3), "numbers_timed": timed, "numbers_total": len(numbers),
            "per_second": rate, "gaps": gaps, "duplicates": duplicates, "errors": len(errors),
            "error_samples": errors[:3], "book_last_number": book.last_number,
            "counter_matches": book.last_number == top == len(numbers),
            "p50_ms": p(50), "p99_ms": p(99), "slowest_thread": min(counts), "fastest_thread": max(counts),
            "rtt_ms": rtt_ms, "write_commit_ms": commit_ms, "one_writer_per_second": solo_rate,
        }
        print(f"database              {connection.vendor} ({connection.settings_dict['NAME']})")
        print(f"writers               {threads} threads, one connection each, one book")
        print(f"seconds               {elapsed:.2f}")
        print(f"numbers (timed)       {timed}")
        print(f"numbers/second        {rate:.1f}")
        print(f"latency per number    p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms")
        print(f"numbers in the book   {len(numbers)} (last_number {book.last_number}), gaps {gaps}, duplicates {duplicates}")
        print(f"errors                {len(errors)}" + (f" e.g. {errors[0]}" if errors else ""))
        print(f"for comparison        one writer alone {solo_rate:.1f}/s; round trip (SELECT 1) {rtt_ms:.2f} ms; "
              f"one-row write transaction {commit_ms:.2f} ms (median)")
        print(f"ratio to goal 500/s   {rate / 500:.2f}")
        print("RESULT " + json.dumps(result))
        return result
    finally:
        connections.close_all()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0, int(sys.argv[2]) if len(sys.argv) > 2 else 32)
