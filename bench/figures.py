"""The benchmark driver behind ``bench/run``: measures every figure of docs/performance.md in
one run on this machine, prints the table and rewrites docs/performance.md.

Each figure comes from its own script, run as a child process with a time limit, so one
that fails or runs long is reported as such and the others are still measured:

    bench/pages.py             public pages vs a bare view under gunicorn, and page weight
    bench/lifecycles.py        complete dossier lifecycles per second (600 by 4 clerks)
    bench/register_numbers.py  register numbers per second with 32 writers, gaps, duplicates
    bench/export.py            100,000 register rows to XLSX: seconds and peak memory

Benchmarks are not tests: nothing passes or fails here. The table shows what was measured,
the goal from the issue, and the ratio to the goal, oriented so that 1.00 or more meets it.

    bench/run            # the full run (about 4–6 minutes on 2 cores), writes docs/performance.md
    bench/run --quick    # shorter and smaller (about 2 minutes); prints only, unless --out is given
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/test"

FULL = {"page_seconds": 8.0, "concurrency": 16, "lifecycles": 600, "clerks": 4, "register_seconds": 10.0,
        "writers": 32, "export_rows": 100_000}
QUICK = {"page_seconds": 3.0, "concurrency": 16, "lifecycles": 120, "clerks": 4, "register_seconds": 3.0,
         "writers": 32, "export_rows": 10_000}

GOAL_PAGE_RATIO = 0.5
GOAL_LIFECYCLES = 100.0
GOAL_NUMBERS = 500.0
GOAL_EXPORT_S = 10.0
GOAL_EXPORT_MB = 200.0
GOAL_WEIGHT = 200_000  # 200 KB, in bytes (decimal, the stricter reading)
COUNTER_HEADING = "## The counter at the citizen's pace (bench/counter.py)"  # its own section, kept


# --- running the parts ---------------------------------------------------------------------

def _call(args: list[str], *, timeout: float, env: dict) -> tuple[int | None, str, str]:
    """Run a child with a time limit. On the limit it gets SIGTERM first, so it can stop what
    it started (gunicorn, databases), and SIGKILL 30 s later. Returns (code or None, out, err)."""
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out, err
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        return None, out + f"\n(stopped after the time limit of {timeout:.0f} s)", err


def _run(args: list[str], *, timeout: float, env: dict) -> tuple[dict | None, str, float]:
    """Run one part; return (its RESULT json or None, its output, seconds)."""
    t0 = time.perf_counter()
    code, out, err = _call(args, timeout=timeout, env=env)
    lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    result = json.loads(lines[-1][7:]) if lines and code == 0 else None
    if result is None:
        out += "\n" + err[-3000:]
    return result, out, time.perf_counter() - t0


def _show(out: str) -> None:
    for line in out.splitlines():
        if not line.startswith("RESULT "):
            print("    " + line)


def lifecycles(python: str, n: int, clerks: int, env: dict, timeout: float) -> tuple[dict | None, str]:
    """bench/lifecycles.py as it is: run it and read its printed lines."""
    t0 = time.perf_counter()
    code, out, err = _call([python, str(BENCH / "lifecycles.py"), str(n), str(clerks)], timeout=timeout, env=env)

    def grab(pattern, cast=float):
        m = re.search(pattern, out, re.M)
        return cast(m.group(1)) if m else None

    result = {
        "per_second": grab(r"^lifecycles/second\s+([\d.]+)"),
        "lifecycles": grab(r"^lifecycles\s+(\d+)", int),
        "seconds": grab(r"^seconds\s+([\d.]+)"),
        "slowest_worker": grab(r"^slowest worker\s+([\d.]+)"),
        "gaps": grab(r"gaps (\d+)", int), "duplicates": grab(r"duplicates (\d+)", int),
        "workers": clerks, "wall_seconds": time.perf_counter() - t0,
    }
    if code != 0 or result["per_second"] is None:
        return None, out + err[-3000:]
    return result, out


# --- the machine ---------------------------------------------------------------------------

def _cmd(args: list[str]) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=20, cwd=ROOT).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def _pressure() -> str:
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
        return line.split()[1].split("=")[1] + "%"
    except (OSError, IndexError):
        return "n/a"


def machine(python: str, db_url: str) -> dict:
    mem_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), 0)
    pg = {}
    try:
        code = ("import json,psycopg,sys; c=psycopg.connect(sys.argv[1]);"
                "print(json.dumps({k: c.execute('SHOW '+k).fetchone()[0] for k in "
                "['server_version','synchronous_commit','fsync','shared_buffers','max_connections']}))")
        pg = json.loads(_cmd([python, "-c", code, db_url.replace("postgres://", "postgresql://", 1)]) or "{}")
    except ValueError:
        pass
    versions = _cmd([python, "-c", "import django, gunicorn, openpyxl, importlib.util as u;"
                     "print(django.get_version(), gunicorn.__version__, openpyxl.__version__,"
                     " 'yes' if u.find_spec('lxml') else 'no')"]).split()
    dirty = bool(_cmd(["git", "status", "--porcelain", "--untracked-files=no"]))
    return {
        "date": dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).strftime("%Y-%m-%d %H:%M WIB (Asia/Jakarta)"),
        "uname": _cmd(["uname", "-a"]) or platform.platform(),
        "nproc": _cmd(["nproc"]) or str(os.cpu_count()),
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": _cmd([python, "-c", "import sys; print(sys.version.split()[0])"]),
        "postgresql": pg.get("server_version", "unknown"), "pg": pg,
        "django": versions[0] if versions else "?", "gunicorn": versions[1] if len(versions) > 1 else "?",
        "openpyxl": versions[2] if len(versions) > 2 else "?", "lxml": versions[3] if len(versions) > 3 else "?",
        "commit": (_cmd(["git", "rev-parse", "--short", "HEAD"]) or "?") + (" + uncommitted changes" if dirty else ""),
        "load_start": " ".join(f"{x:.2f}" for x in os.getloadavg()), "cpu_pressure_start": _pressure(),
    }


# --- the table -----------------------------------------------------------------------------

def _fmt_int(n) -> str:
    return f"{n:,.0f}".replace(",", " ")


def rows_of(res: dict, p: dict) -> list[tuple[str, str, str, str]]:
    """(figure, measured, goal, ratio to goal) for every figure, in the issue's order."""
    rows = []
    pages = res.get("pages")
    if pages:
        r0 = pages["results"]
        bare = pages["bare_rps"]
        rows.append(("bare Django view /healthz/ (baseline)",
                     f"{bare:.0f} req/s (p50 {r0[0]['p50_ms']:.1f} ms, p99 {r0[0]['p99_ms']:.1f} ms)", "—", "—"))
        for r in r0[1:-1]:
            errs = r["errors"] + r["bad_status"]
            rows.append((f"{r['label']}: req/s ÷ bare",
                         f"{r['ratio']:.3f} ({r['rps']:.0f} req/s; p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms"
                         + (f"; {errs} errors" if errs else "") + ")",
                         f"≥ {GOAL_PAGE_RATIO}", f"{r['ratio'] / GOAL_PAGE_RATIO:.2f}"))
    else:
        rows.append(("public pages vs bare view", "not measured (see log)", f"≥ {GOAL_PAGE_RATIO}", "—"))
    lc = res.get("lifecycles")
    rows.append(("complete dossier lifecycles/s (PostgreSQL, "
                 f"{p['clerks']} clerks, {lc['lifecycles'] if lc else p['lifecycles']} lifecycles)",
                 f"{lc['per_second']:.1f}" if lc else "not measured (see log)", f"≥ {GOAL_LIFECYCLES:.0f}",
                 f"{lc['per_second'] / GOAL_LIFECYCLES:.2f}" if lc else "—"))
    rn = res.get("registers")
    if rn:
        rows.append((f"register numbers/s, {rn['threads']} concurrent writers (PostgreSQL)",
                     f"{rn['per_second']:.1f} ({_fmt_int(rn['numbers_timed'])} in {rn['seconds']:.1f} s"
                     + (f"; {rn['errors']} errors" if rn["errors"] else "") + ")",
                     f"≥ {GOAL_NUMBERS:.0f}", f"{rn['per_second'] / GOAL_NUMBERS:.2f}"))
        for key in ("gaps", "duplicates"):
            rows.append((f"register numbers: {key} in 1..{_fmt_int(rn['numbers_total'])}", str(rn[key]), "0",
                         "met" if rn[key] == 0 else "not met"))
    else:
        rows.append(("register numbers/s, 32 concurrent writers", "not measured (see log)", f"≥ {GOAL_NUMBERS:.0f}", "—"))
    ex = res.get("export")
    if ex:
        rows.append((f"export {_fmt_int(ex['rows'])} register rows to XLSX: seconds", f"{ex['seconds']:.1f} s",
                     f"≤ {GOAL_EXPORT_S:.0f} s", f"{GOAL_EXPORT_S / ex['seconds']:.2f}"))
        rows.append(("export: peak memory above the process's baseline",
                     f"{ex['peak_mb']:.1f} MB (peak RSS {ex['peak_rss_mb']:.0f} MB)", f"≤ {GOAL_EXPORT_MB:.0f} MB",
                     f"{GOAL_EXPORT_MB / max(ex['peak_mb'], 0.1):.2f}"))
        rows.append(("export: file opens (openpyxl read_only), data rows",
                     f"{_fmt_int(ex['rows_read'])} of {_fmt_int(ex['rows'])}", f"{_fmt_int(ex['rows'])}",
                     "met" if ex["rows_match"] else "not met"))
    else:
        rows.append(("export register rows to XLSX", "not measured (see log)", f"≤ {GOAL_EXPORT_S:.0f} s, ≤ {GOAL_EXPORT_MB:.0f} MB", "—"))
    if pages and pages.get("weights"):
        w = pages["weights"]
        public = [x for x in w if x["url"].rstrip("/").split("/")[-1] != "lacak"] or w
        heaviest = max(public, key=lambda x: x["bytes_wire"])
        heavy_decoded = max(public, key=lambda x: x["bytes_decoded"])
        external = sorted({e["url"] for x in w for e in x["external"]})
        rows.append(("heaviest public page, HTML + assets, bytes on the wire",
                     f"{_fmt_int(heaviest['bytes_wire'])} ({_path(heaviest['url'])}, {heaviest['requests']} requests; "
                     f"{_fmt_int(heavy_decoded['bytes_decoded'])} uncompressed)",
                     f"≤ {_fmt_int(GOAL_WEIGHT)}", f"{GOAL_WEIGHT / heaviest['bytes_wire']:.2f}"))
        rows.append(("requests to other hosts (public pages)", str(len(external)), "0",
                     "met" if not external else "not met"))
    else:
        rows.append(("public page weight", "not measured (see log)", f"≤ {_fmt_int(GOAL_WEIGHT)}", "—"))
    return rows


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3] if url.count("/") >= 3 else url


def table_text(rows) -> str:
    heads = ("figure", "measured", "goal", "ratio to goal")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
    line = "  ".join(h.ljust(w) for h, w in zip(heads, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(out)


def table_md(rows) -> str:
    esc = lambda s: s.replace("|", "\\|")  # noqa: E731
    out = ["| figure | measured | goal | ratio to goal |", "| --- | --- | --- | --- |"]
    out += [f"| {' | '.join(esc(c) for c in r)} |" for r in rows]
    return "\n".join(out)


# --- what limits it ------------------------------------------------------------------------

def limits(res: dict, m: dict) -> list[str]:
    """Sentences drawn from what this run measured."""
    notes = []
    pages = res.get("pages")
    if pages:
        rs = pages["results"]
        bare = rs[0]
        per = lambda r: 1000 * r["server_cpu_s"] / max(r["requests"], 1)  # noqa: E731
        parts = ", ".join(f"{r['label']} {per(r):.1f} ms (bare ÷ page {per(bare) / max(per(r), 1e-9):.3f})"
                          for r in rs[1:-1])
        notes.append(
            f"**Public pages are bound by the CPU that Django spends on each page.** gunicorn's workers used "
            f"{per(bare):.2f} ms of CPU per bare request and, per page request, {parts} (CPU seconds of the "
            f"worker processes ÷ requests served): the ratio to the bare view cannot be much better than "
            f"bare CPU ÷ page CPU, whatever the worker settings, so the way to the goal is less work per page "
            f"(fewer model objects built, lighter templates, or caching the rendered catalog, which changes "
            f"only with a new edition). The machine was "
            f"{100 * sum(r['machine_busy'] for r in rs) / len(rs):.0f}% busy during the runs; the load "
            f"generator itself used {sum(r['loadgen_cpu_s'] for r in rs):.1f} CPU s of "
            f"{sum(r['seconds'] for r in rs) * int(m['nproc'] or 2):.0f} available.")
        prof = pages.get("profile") or {}
        if prof:
            bits = []
            for path, pr in prof.items():
                bits.append(f"`{path}` {pr['ms']:.0f} ms ({pr['queries']} queries taking "
                            f"{pr['sql_ms']:.1f} ms; template rendering, with the queries it triggers, "
                            f"{pr['template_ms']:.0f} ms)")
            sql = sum(pr["sql_ms"] for pr in prof.values())
            total = sum(pr["ms"] for pr in prof.values())
            notes.append("One request at a time through Django's test client on the same database: "
                         + "; ".join(bits) + f". Over these pages {100 * sql / max(total, 1e-9):.0f}% of the time "
                         "is spent in SQL (sending, executing and fetching the queries); the rest is Python: "
                         "building model objects and rendering templates.")
        if not pages.get("knob"):
            notes.append(
                "**The tracking page `/lacak/<code>/` cannot be load-tested as shipped:** its per-address limit "
                "(20 look-ups a minute, `loket/core/ratelimit.py`) answers 429 after the 20th request from "
                "127.0.0.1, and no setting raises it. The table therefore measures `/lacak/` (the form); "
                "the detail page is included in the page weight (fetched once). A knob such as "
                "`LOKET_PUBLIC_RATE_LIMIT` (read by `ratelimit.py`) would let this benchmark measure it.")
        restarted = [r["label"] for r in rs if r.get("worker_restarts")]
        if restarted:
            notes.append("gunicorn replaced a worker (--max-requests) while measuring " + ", ".join(restarted)
                         + ": that URL's p99 may include the restart, and its worker CPU per request undercounts "
                         "the replaced worker's last seconds.")
    lc, rn = res.get("lifecycles"), res.get("registers")
    if rn:
        notes.append(
            f"**Register numbers are serialised by design:** every writer locks the book's row "
            f"(SELECT … FOR UPDATE) and holds it until its transaction commits, and the commit waits for "
            f"PostgreSQL to flush the WAL to disk (synchronous_commit={m['pg'].get('synchronous_commit', '?')}, "
            f"fsync={m['pg'].get('fsync', '?')}). Here a one-row write transaction took "
            f"{rn['write_commit_ms']:.1f} ms (median) while a round trip took {rn['rtt_ms']:.2f} ms, one writer "
            f"alone reached {rn['one_writer_per_second']:.0f} numbers/s and {rn['threads']} writers "
            f"{rn['per_second']:.0f}/s: the ceiling is about 1 ÷ (lock-held time), i.e. the disk's flush "
            f"latency, not Python or the number of writers. Waiting writers show in the latency "
            f"(p50 {rn['p50_ms']:.0f} ms, p99 {rn['p99_ms']:.0f} ms per number).")
    if lc:
        per_clerk = 1000 * lc["workers"] / lc["per_second"]
        flush = (f"; its 6 commits wait about {6 * rn['write_commit_ms']:.0f} ms for WAL flushes "
                 f"(6 × {rn['write_commit_ms']:.1f} ms measured above), and its register act queues on the "
                 f"book row like the writers above" if rn else "")
        notes.append(
            f"**Dossier lifecycles:** {lc['per_second']:.1f}/s with {lc['workers']} clerk processes is "
            f"{per_clerk:.0f} ms per lifecycle per clerk (6 acts, one transaction each){flush}. The rest is "
            f"CPU: Django and the service functions in the clerks, and PostgreSQL, on {m['nproc']} shared cores "
            f"(CPU pressure {m['cpu_pressure_start']} at the start of this run). The goal of 100/s on 2 cores "
            f"means 20 ms of work per lifecycle for both cores together.")
    ex = res.get("export")
    if ex:
        notes.append(
            f"**The XLSX export is CPU-bound in openpyxl** ({1000 * ex['seconds'] / ex['rows']:.2f} ms per row; "
            f"the exporting process used {ex.get('cpu_seconds', float('nan')):.1f} CPU s in its "
            f"{ex['seconds']:.1f} s): "
            f"openpyxl's write-only mode serialises each cell in Python"
            + (" (lxml is not installed, so it uses its pure-Python XML writer)" if m.get("lxml") == "no" else "")
            + f". It does stream: {ex['peak_mb']:.1f} MB above the baseline for {_fmt_int(ex['rows'])} rows "
            f"(file {ex['xlsx_bytes'] / 1e6:.1f} MB), the rows are read from a server-side cursor in chunks and "
            f"written to a temporary file.")
    if pages and pages.get("weights"):
        w = pages["weights"]
        assets = {}
        for x in w:
            for a in x["assets"]:
                assets[_path(a["url"])] = a
        big = sorted(assets.values(), key=lambda a: -a["wire"])[:3]
        notes.append(
            "Page weight: the same-origin assets are "
            + ", ".join(f"`{_path(a['url'])}` {_fmt_int(a['wire'])} bytes"
                        + (f" ({a['encoding']}, {_fmt_int(a['decoded'])} uncompressed)" if a["encoding"] else "")
                        for a in big)
            + "; the HTML itself is " + ", ".join(f"{_fmt_int(x['html_bytes'])} bytes" for x in w)
            + " (Django does not compress HTML; a proxy in front may). "
            + ("No public page asks another host." if not any(x["external"] for x in w) else
               "Sub-resources on other hosts: " + ", ".join(sorted({e["url"] for x in w for e in x["external"]})) + "."))
        plain = [a for a in assets.values() if not a["encoding"] and a["decoded"] > 1000]
        if plain:
            heaviest = max(w, key=lambda x: x["bytes_wire"])
            notes.append(
                "**Static files go out uncompressed** although `loket collectstatic` writes gzip copies "
                "(CompressedStaticFilesStorage): with `WHITENOISE_USE_FINDERS = True` in settings, WhiteNoise "
                "serves the files it finds in the app folders, which have no compressed twin. With its static "
                "files served gzipped (and its HTML gzipped by a proxy), the heaviest page "
                f"(`{_path(heaviest['url'])}`) would be about "
                f"{_fmt_int(heaviest['bytes_if_gzipped'])} bytes instead of {_fmt_int(heaviest['bytes_wire'])}.")
    notes.append(
        f"The run shares the machine: load average {m['load_start']} and CPU pressure {m['cpu_pressure_start']} "
        f"when it started, {m.get('load_end', '?')} / {m.get('cpu_pressure_end', '?')} when it ended. Other "
        f"processes (tests of other work on the same PostgreSQL) slow every figure; compare runs by their ratios.")
    return notes


# --- the document --------------------------------------------------------------------------

def document(res: dict, m: dict, p: dict, rows, command: str, quick: bool, seconds: float) -> str:
    pages = res.get("pages") or {}
    cfg = pages.get("gunicorn") or "(pages not measured)"
    out = [
        "# Performance",
        "",
        "Figures measured in one run of `bench/run` on the machine below. Each is a ratio or a count from "
        "that one run; they are not tests and nothing here passes or fails. The ratio to goal is oriented so "
        "that **1.00 or more meets the goal** (measured ÷ goal for a floor, goal ÷ measured for a ceiling).",
        "",
        "*This file is written by `bench/run`; edit `bench/figures.py` rather than this file.*",
        "",
        "## Run",
        "",
        f"- date: {m['date']}",
        f"- command: `{command}`" + (" (quick: shorter and smaller than the full run)" if quick else ""),
        f"- duration of the whole run: {seconds:.0f} s",
        f"- machine: `{m['uname']}`",
        f"- cores (nproc): {m['nproc']}; memory: {m['memory']}",
        f"- Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']}, openpyxl {m['openpyxl']} "
        f"(lxml: {m['lxml']})",
        f"- PostgreSQL {m['postgresql']} on 127.0.0.1 (synchronous_commit={m['pg'].get('synchronous_commit', '?')}, "
        f"fsync={m['pg'].get('fsync', '?')}, shared_buffers={m['pg'].get('shared_buffers', '?')})",
        f"- code: {m['commit']}",
        f"- machine load: load average {m['load_start']} at the start, {m.get('load_end', '?')} at the end; "
        f"CPU pressure (some, avg10) {m['cpu_pressure_start']} → {m.get('cpu_pressure_end', '?')}",
        "",
        "## Figures",
        "",
        table_md(rows),
        "",
        "## How each figure is measured",
        "",
        f"- **Public pages** (`bench/pages.py`): a throw-away database `loket_bench_pages` and data folder set up "
        f"as docs/operations.md installs an office (`loket setup`, `loket collectstatic`), one dossier taken in "
        f"and carried to handover, then gunicorn started as recommended below on 127.0.0.1 with LOKET_DEBUG "
        f"unset, `LOKET_ALLOWED_HOSTS=127.0.0.1`, `LOKET_INSECURE_COOKIES=1`. A separate process "
        f"(`bench/loadgen.py`, asyncio, HTTP/1.1 keep-alive) keeps {pages.get('concurrency', p['concurrency'])} "
        f"connections busy on one URL for {pages.get('duration', p['page_seconds']):g} s and records every "
        f"latency; every URL gets the same concurrency and time after a 2 s warm-up. The bare view `/healthz/` "
        f"(returns \"ok\", no database) runs before and after the pages; its mean is the baseline.",
        f"- **Lifecycles** (`bench/lifecycles.py {p['lifecycles']} {p['clerks']}`): intake → forward → initial → "
        f"sign → register → handover through the service functions by {p['clerks']} clerk processes on a "
        f"throw-away PostgreSQL test database.",
        f"- **Register numbers** (`bench/register_numbers.py {p['register_seconds']:g} {p['writers']}`): "
        f"{p['writers']} threads, each with its own connection, call `register_entry_add` inside "
        f"`transaction.atomic()` on one book for {p['register_seconds']:g} s; the book is then read back for "
        f"gaps and duplicates in 1..N.",
        f"- **Export** (`bench/export.py {p['export_rows']}`): {_fmt_int(p['export_rows'])} handed-over dossiers "
        f"with their register entries and handover transitions (the first through the ORM, the rest copied in "
        f"SQL); a fresh child process runs `register_xlsx(register_entries(…), show_nik=True)` and reports wall "
        f"seconds and ru_maxrss after the call minus ru_maxrss before it (Django set up and connected). The "
        f"file is then opened with openpyxl (read_only) and its data rows counted.",
        "- **Page weight** (`bench/weight.py`): each public page (service list, service detail, tracking of the "
        "dossier, tracking form) fetched as a browser would (Accept-Encoding: gzip) with every same-origin "
        "stylesheet, script, image and what the stylesheets load; bytes on the wire are summed. Sub-resources "
        "on any other host are counted as requests to other hosts; plain links (`<a href>`, e.g. wa.me) are "
        "navigation and not counted.",
        "",
        "## Recommended gunicorn settings",
        "",
        "What the page figures were measured with (2 × cores + 1 workers):",
        "",
        "```",
        cfg,
        "```",
        "",
        "- `gthread` keeps HTTP connections alive (the default `sync` worker closes after each response, so every "
        "request pays a new connection) and lets a worker serve a second request while one waits on PostgreSQL;",
        "- 2 × cores + 1 processes of 2 threads: enough to keep the cores busy, few enough PostgreSQL "
        "connections (one per thread, kept for 60 s by `CONN_MAX_AGE`);",
        "- `--preload` loads Django once in the master, so a worker that is replaced starts in milliseconds;",
        "- `--max-requests 10000 --max-requests-jitter 1000` replaces workers now and then (a guard against "
        "slow leaks) without restarting them all at once or during a short burst.",
        "",
    ]
    if pages.get("results"):
        out += [
            "## Page runs in detail",
            "",
            "| URL | req/s | ratio to bare | p50 ms | p99 ms | max ms | errors | worker CPU ms/request | worker restarts |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in pages["results"]:
            out.append(f"| `{r['path']}` ({r['label']}) | {r['rps']:.0f} | {r['ratio']:.3f} | {r['p50_ms']:.1f} | "
                       f"{r['p99_ms']:.1f} | {r['max_ms']:.0f} | {r['errors'] + r['bad_status']} | "
                       f"{1000 * r['server_cpu_s'] / max(r['requests'], 1):.2f} | {r.get('worker_restarts', 0)} |")
        out.append("")
    if pages.get("weights"):
        out += ["| page | requests | bytes on the wire | uncompressed | if all gzipped | HTML bytes | other hosts |",
                "| --- | --- | --- | --- | --- | --- | --- |"]
        for w in pages["weights"]:
            out.append(f"| `{_path(w['url'])}` | {w['requests']} | {_fmt_int(w['bytes_wire'])} | "
                       f"{_fmt_int(w['bytes_decoded'])} | {_fmt_int(w.get('bytes_if_gzipped', 0))} | "
                       f"{_fmt_int(w['html_bytes'])} | {len(w['external'])} |")
        out.append("")
    out += ["## What limits it", ""]
    out += [f"- {n}" for n in limits(res, m)]
    out.append("")
    return "\n".join(out)


# --- main ----------------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Measure Loket's performance figures and write docs/performance.md.")
    ap.add_argument("--quick", action="store_true", help="shorter and smaller runs; prints only unless --out")
    ap.add_argument("--out", help="where to write the report (default docs/performance.md on a full run)")
    ap.add_argument("--only", help="comma-separated parts: pages,lifecycles,registers,export")
    args = ap.parse_args(argv)
    p = QUICK if args.quick else FULL
    out_path = Path(args.out) if args.out else (None if args.quick else ROOT / "docs" / "performance.md")
    parts = set((args.only or "pages,lifecycles,registers,export").split(","))
    python = os.environ.get("LOKET_BENCH_PYTHON") or sys.executable
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DB)
    env.pop("LOKET_DEBUG", None)
    env["PYTHONUNBUFFERED"] = "1"
    if not env["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        print("bench/run measures PostgreSQL: DATABASE_URL must be postgres://…", file=sys.stderr)
        return 2
    command = "bench/run" + (" --quick" if args.quick else "") + (f" --only {args.only}" if args.only else "")
    t_start = time.perf_counter()
    m = machine(python, env["DATABASE_URL"])
    if m["postgresql"] == "unknown":
        print(f"PostgreSQL does not answer at {env['DATABASE_URL']}", file=sys.stderr)
        return 2
    print(f"Loket benchmark — {m['date']} — {m['nproc']} cores, {m['memory']}, PostgreSQL {m['postgresql']}, "
          f"load {m['load_start']}")
    res: dict = {}
    logs: dict = {}

    if "pages" in parts:
        print(f"\n[1/4] public pages under gunicorn ({p['page_seconds']:g} s per URL, {p['concurrency']} connections)")
        res["pages"], logs["pages"], s = _run(
            [python, str(BENCH / "pages.py"), "--duration", str(p["page_seconds"]), "--concurrency",
             str(p["concurrency"]), "--profile"], timeout=300, env=env)
        _show(logs["pages"] if res["pages"] else logs["pages"][-4000:])
        print(f"    ({s:.0f} s)")
    if "lifecycles" in parts:
        print(f"\n[2/4] dossier lifecycles (bench/lifecycles.py {p['lifecycles']} {p['clerks']})")
        t0 = time.perf_counter()
        res["lifecycles"], logs["lifecycles"] = lifecycles(python, p["lifecycles"], p["clerks"], env, timeout=240)
        _show(logs["lifecycles"] if res["lifecycles"] else logs["lifecycles"][-4000:])
        print(f"    ({time.perf_counter() - t0:.0f} s)")
    if "registers" in parts:
        print(f"\n[3/4] register numbers ({p['writers']} writers, {p['register_seconds']:g} s)")
        res["registers"], logs["registers"], s = _run(
            [python, str(BENCH / "register_numbers.py"), str(p["register_seconds"]), str(p["writers"])],
            timeout=180, env=env)
        _show(logs["registers"] if res["registers"] else logs["registers"][-4000:])
        print(f"    ({s:.0f} s)")
    if "export" in parts:
        print(f"\n[4/4] register export to XLSX ({_fmt_int(p['export_rows'])} rows)")
        res["export"], logs["export"], s = _run([python, str(BENCH / "export.py"), str(p["export_rows"])],
                                                timeout=420, env=env)
        _show(logs["export"] if res["export"] else logs["export"][-4000:])
        print(f"    ({s:.0f} s)")

    m["load_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    m["cpu_pressure_end"] = _pressure()
    seconds = time.perf_counter() - t_start
    rows = rows_of(res, p)
    print(f"\nFigures measured in this run ({m['date']}; ratio to goal ≥ 1.00 meets the goal):\n")
    print(table_text(rows))
    print(f"\nwhole run {seconds:.0f} s")
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        # bench/counter.py writes its own section at the end (a browser run, not part of this one): kept.
        old = out_path.read_text(encoding="utf-8") if out_path.exists() else ""
        kept = old[old.find(COUNTER_HEADING):] if COUNTER_HEADING in old else ""
        out_path.write_text(document(res, m, p, rows, command, args.quick, seconds) + ("\n" + kept if kept else ""),
                            encoding="utf-8")
        print(f"written to {out_path.relative_to(ROOT) if out_path.is_relative_to(ROOT) else out_path}")
    else:
        print("(quick run: docs/performance.md left as it is; --out FILE writes this run's report)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
