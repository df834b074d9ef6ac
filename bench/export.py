"""Benchmark: the Buku Register of ROWS entries (100,000 by default) exported to XLSX.

In a throw-away PostgreSQL test database (test_loket_bench_export) it writes ROWS register
entries, each from a handed-over dossier as the counter makes them (entry, dossier, handover
transition), so the export's query does all its joins: the first set through the ORM, the
others copied from it in SQL (INSERT … SELECT over generate_series: seconds, not minutes).
Then a child process, which does nothing else, runs

    register_xlsx(register_entries(office=…, kind="pelayanan"), office=…, title=…, show_nik=True)

and measures the wall seconds of that call and its peak memory: ru_maxrss after the call
minus ru_maxrss measured in the same child before it (Django set up and connected, nothing
of the export imported yet). The child is started from a small launcher process, because
Linux carries a parent's peak RSS over fork and exec. The parent then opens the file with
openpyxl (read_only), reads its first line and counts its data rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/export.py [ROWS]

Prints human-readable lines and ``RESULT {json}`` last. Not a test: it reports what it measured.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DB_TEST_NAME = "test_loket_bench_export"
HEADER_ROWS = 3  # title, "Dicetak …", column headings


def child(out_path: str) -> None:
    """Runs in its own process on the test database: measure one export."""
    import resource

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    import django

    django.setup()
    from loket.offices.models import Office  # Django's own, already loaded by setup

    office = Office.objects.get(slug="kartoharjo")  # opens the connection before the baseline
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    baseline_hwm_kb = _vm_hwm_kb()
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    from loket.dossiers.register_book import register_entries, register_xlsx

    f = register_xlsx(register_entries(office=office, kind="pelayanan"), office=office,
                      title="Buku Register Pelayanan", show_nik=True)
    seconds = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    peak_kb = r1.ru_maxrss
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    hwm_kb = _vm_hwm_kb()
    with open(out_path, "wb") as out:
        shutil.copyfileobj(f, out)
    f.close()
    print("RESULT " + json.dumps({"seconds": seconds, "cpu_seconds": cpu, "baseline_kb": baseline_kb, "peak_kb": peak_kb,
                                  "baseline_hwm_kb": baseline_hwm_kb, "hwm_kb": hwm_kb}))


def _vm_hwm_kb() -> int:
    """Peak resident set of this process image from /proc (0 where there is no /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def launcher() -> None:
    """A small process started before the parent grows: Linux keeps a process's peak RSS
    across fork and exec, so a child forked from the big parent would inherit its peak and
    hide its own. This one waits for the output path, then becomes the measuring child."""
    path = sys.stdin.readline().strip()
    if path:
        os.execv(sys.executable, [sys.executable, __file__, "--child", path])


def _code(i: int, length: int, alphabet: str) -> str:
    chars = []
    for _ in range(length):
        i, r = divmod(i, len(alphabet))
        chars.append(alphabet[r])
    return "".join(reversed(chars))


def _code_sql(g: str, length: int, alphabet: str) -> str:
    """The SQL expression of _code over the integer column or expression ``g``."""
    base = len(alphabet)
    return " || ".join(
        f"substr('{alphabet}', (mod({g} / {base ** k}::bigint, {base}))::int + 1, 1)" for k in range(length - 1, -1, -1)
    )


def _copy_sql(model, template_pk: int, overrides: dict[str, str], source: str, where: str) -> str:
    """INSERT … SELECT that copies the template row once per row of ``source``, every column as
    the template has it except ``overrides`` (column → SQL expression). New columns added to
    the model later are copied too, so this keeps working as the schema grows."""
    table = model._meta.db_table
    cols = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    names = ", ".join('"%s"' % c for c in cols)
    exprs = ", ".join(overrides.get(c, 't."%s"' % c) for c in cols)
    return (f'INSERT INTO "{table}" ({names}) '
            f'SELECT {exprs} FROM "{table}" t, {source} WHERE t."{model._meta.pk.column}" = {int(template_pk)} AND {where}')


def fill(rows: int) -> dict:
    """ROWS handed-over dossiers, each with its register entry and handover transition: the
    first made with the ORM, as the counter would, the others copied from it in SQL (fast)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from loket.catalog.services import standard_load
    from loket.core import codes
    from loket.dossiers.models import Applicant, Dossier, Transition
    from loket.registers.models import RegisterBook, RegisterEntry

    report = standard_load()
    office = report.office
    services = list(report.edition.services.select_related("unit").order_by("number"))
    kelurahan = list(office.kelurahan.order_by("code"))
    User = get_user_model()
    actor = User.objects.create_user(username="bench-export", password="x-bench-pass-1")
    applicant = Applicant.objects.create(
        office=office, nik="3577014508900001", kk_number="3577010101100002", name="Siti Aminah",
        birth_date=dt.date(1990, 8, 5), sex="P", marital_status="kawin", address="Jl. Bench 1", rt="1", rw="2",
        kelurahan=kelurahan[0], phone="081234567890",
    )
    year = timezone.localdate().year
    book = RegisterBook.objects.create(office=office, kind=RegisterBook.Kind.PELAYANAN, year=year, last_number=rows)
    start = timezone.make_aware(dt.datetime(year, 1, 2, 8, 0))
    signer = "Sekretaris Kecamatan a.n. Camat (Drs. Bambang Sutrisno, M.Si.)"
    s, k, at = services[1 % len(services)], kelurahan[1 % len(kelurahan)], start + dt.timedelta(minutes=3)
    code = _code(1, codes.TRACKING_LENGTH, codes.ALPHABET)
    entry = RegisterEntry.objects.create(
        book=book, number=1, entered_at=at, entered_by=actor, subject=s.name, name="Pemohon Nomor 1 bin Fulan",
        nik="3577014508900001", kelurahan=k.name, signer=signer, reference=code,
    )
    dossier = Dossier.objects.create(
        office=office, code=code, service=s, unit=s.unit, applicant=applicant, state=Dossier.State.HANDED_OVER,
        **{f"applicant_{f}": getattr(applicant, f) for f in (
            "nik", "kk_number", "name", "birth_date", "sex", "marital_status", "address", "rt", "rw", "kelurahan",
            "phone", "email")},
        received_at=at - dt.timedelta(hours=2), clock_started_at=at - dt.timedelta(hours=2), received_by=actor,
        signed_by=actor, signer_capacity=Dossier.SignerCapacity.AN_CAMAT, register_entry=entry,
        verification_code=_code(1, codes.VERIFICATION_LENGTH, codes.ALPHABET),
        handed_over_to="Dinas Kependudukan dan Pencatatan Sipil", done_at=at + dt.timedelta(hours=1),
    )
    transition = Transition.objects.create(dossier=dossier, from_state=Dossier.State.REGISTERED,
                                           to_state=Dossier.State.HANDED_OVER, actor=actor, at=dossier.done_at,
                                           note="Untuk diteruskan.")
    if rows > 1:
        n_s, n_k = len(services), len(kelurahan)
        pick = lambda values, i: f"(ARRAY[{', '.join(values)}])[mod({i}, {len(values)}) + 1]"  # noqa: E731
        quote = lambda v: "'" + str(v).replace("'", "''") + "'"  # noqa: E731
        entries = _copy_sql(RegisterEntry, entry.pk, {
            "number": "g", "entered_at": "t.entered_at + (g - 1) * interval '3 minutes'",
            "subject": pick([quote(x.name) for x in services], "g"),
            "name": "'Pemohon Nomor ' || g || ' bin Fulan'",
            "nik": "'35770145' || lpad(mod(g, 100000000)::text, 8, '0')",
            "kelurahan": pick([quote(x.name) for x in kelurahan], "g"),
            "reference": _code_sql("g", codes.TRACKING_LENGTH, codes.ALPHABET),
        }, f"generate_series(2, {int(rows)}) g", "true")
        dossiers = _copy_sql(Dossier, dossier.pk, {
            "code": "e.reference", "register_entry_id": "e.id",
            "service_id": pick([str(x.pk) for x in services], "e.number"),
            "unit_id": pick([str(x.unit_id) for x in services], "e.number"),
            "received_at": "e.entered_at - interval '2 hours'", "clock_started_at": "e.entered_at - interval '2 hours'",
            "done_at": "e.entered_at + interval '1 hour'", "updated_at": "e.entered_at + interval '1 hour'",
            "verification_code": _code_sql("e.number", codes.VERIFICATION_LENGTH, codes.ALPHABET),
        }, '"registers_registerentry" e', f"e.book_id = {book.pk} AND e.number > 1")
        transitions = _copy_sql(Transition, transition.pk, {"dossier_id": "d.id", "at": "d.done_at"},
                                '"dossiers_dossier" d', f"d.id <> {dossier.pk}")
        assert n_s and n_k
        with transaction.atomic(), connection.cursor() as cur:
            for sql in (entries, dossiers, transitions):
                cur.execute(sql)
    return {"office": office.slug, "year": year}


def main(rows: int) -> dict:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a time limit still drops the database
    # The measuring child's launcher, started while this process is still small (see launcher()).
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    env = {**os.environ, "DATABASE_URL": urlunsplit((parts.scheme, parts.netloc, "/" + DB_TEST_NAME, parts.query, ""))}
    env.pop("LOKET_DEBUG", None)
    launch = subprocess.Popen([sys.executable, __file__, "--launcher"], env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        return _main(rows, launch)
    finally:
        if launch.poll() is None:
            try:
                launch.communicate("\n", timeout=10)  # no path: the launcher just ends
            except subprocess.TimeoutExpired:
                launch.kill()
                launch.wait(timeout=10)


def check_xlsx(path: Path) -> dict:
    """Open the file with openpyxl (read_only) as a reader would, read its first lines, and count
    its data rows by streaming the sheet's XML (openpyxl's own row-by-row reading of 100,000
    lines would take longer than the export it checks)."""
    import zipfile
    from xml.etree.ElementTree import iterparse

    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        ws = wb.worksheets[0]
        first = next(ws.iter_rows(min_row=HEADER_ROWS + 1, max_row=HEADER_ROWS + 1, values_only=True), None)
        dimension_rows = ws.max_row
        sheet = ws._worksheet_path if hasattr(ws, "_worksheet_path") else "xl/worksheets/sheet1.xml"
    finally:
        wb.close()
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rows, last, in_row, cells = 0, None, False, []
    with zipfile.ZipFile(path) as z, z.open(sheet.lstrip("/")) as fh:
        for event, el in iterparse(fh, events=("start", "end")):
            if el.tag == ns + "row":
                if event == "start":
                    cells = []
                else:
                    rows += 1
                    last = cells[0] if cells else None
                    el.clear()
            elif event == "end" and el.tag == ns + "is" and not cells:
                cells.append("".join(el.itertext()))
            elif event == "end" and el.tag == ns + "v" and not cells:
                cells.append(el.text)
    return {"rows": rows - HEADER_ROWS, "dimension_rows": (dimension_rows or 0) - HEADER_ROWS,
            "first": first, "last": (last,)}


def _main(rows: int, launch: subprocess.Popen) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)
    from django.db import connection, connections
    from django.test.utils import setup_databases, teardown_databases

    if connection.vendor != "postgresql":
        raise SystemExit("export.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    rows = max(1, min(rows, 1_000_000))
    connection.settings_dict["TEST"]["NAME"] = DB_TEST_NAME
    old = setup_databases(verbosity=0, interactive=False)
    tmp = Path(tempfile.mkdtemp(prefix="loket-bench-export-"))
    try:
        t0 = time.perf_counter()
        fill(rows)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        fill_s = time.perf_counter() - t0
        print(f"wrote {rows} register entries (with dossiers and transitions) in {fill_s:.1f} s")
        connections.close_all()

        out = tmp / "register.xlsx"
        stdout, stderr = launch.communicate(f"{out}\n", timeout=600)
        lines = [line for line in stdout.splitlines() if line.startswith("RESULT ")]
        if launch.returncode or not lines:
            raise RuntimeError(f"export child failed:\n{stdout[-2000:]}\n{stderr[-3000:]}")
        measured = json.loads(lines[-1][7:])

        t1 = time.perf_counter()
        check = check_xlsx(out)
        check_s = time.perf_counter() - t1
        count, first, last = check["rows"], check["first"], check["last"]
        year = dt.date.today().year
        result = {
            "rows": rows, "seconds": measured["seconds"], "cpu_seconds": measured["cpu_seconds"],
            "peak_mb": (measured["peak_kb"] - measured["baseline_kb"]) / 1024,
            "baseline_mb": measured["baseline_kb"] / 1024, "peak_rss_mb": measured["peak_kb"] / 1024,
            "hwm_delta_mb": (measured["hwm_kb"] - measured["baseline_hwm_kb"]) / 1024,
            "xlsx_bytes": out.stat().st_size, "rows_read": count, "opens": True,
            "dimension_rows": check["dimension_rows"],
            "rows_match": count == rows, "first": str(first[0]) if first else None,
            "last": str(last[0]) if last else None, "fill_seconds": fill_s, "check_seconds": check_s,
        }
        print(f"rows                  {rows}")
        print(f"export seconds        {result['seconds']:.2f} ({result['cpu_seconds']:.2f} s of CPU in the exporting process)")
        print(f"peak memory           {result['peak_mb']:.1f} MB above a baseline of {result['baseline_mb']:.1f} MB "
              f"(peak RSS {result['peak_rss_mb']:.1f} MB)")
        print(f"xlsx                  {result['xlsx_bytes']} bytes; opened read-only: {count} data rows "
              f"({result['first']} … {result['last']}), {'all there' if count == rows else 'ROWS MISSING'} "
              f"(year {year})")
        print(f"ratio to goal 10 s    {10 / result['seconds']:.2f}; to 200 MB {200 / max(result['peak_mb'], 0.1):.2f}")
        print("RESULT " + json.dumps(result))
        return result
    finally:
        connections.close_all()
        teardown_databases(old, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "--launcher":
        launcher()
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
