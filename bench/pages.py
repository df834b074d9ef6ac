"""Benchmark: public pages under the production server setup against a bare view.

Sets up a throw-away PostgreSQL database (``loket_bench_pages``) and data folder the way
docs/operations.md installs an office (``loket setup``, ``loket collectstatic``), takes in one
dossier and carries it to handover (so its tracking page has its whole history), starts
gunicorn with the recommended settings on a free loopback port, and then, from a separate
process (bench/loadgen.py), loads each URL with the same concurrency for the same time:

    /healthz/                      bare Django view returning "ok" (no database), the baseline
    /kartoharjo/layanan/           service list
    /kartoharjo/layanan/ktp-el/    service detail
    /lacak/<code>/                 public tracking of the real dossier, when the code has a knob
                                   to raise the per-IP look-up limit; otherwise /lacak/ (the form)

It also measures the weight of each public page (bench/weight.py) on the same server.
Everything it made is removed at the end (server stopped, database dropped, folder deleted).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/pages.py [--duration S] [--concurrency C]

Prints human-readable lines and ``RESULT {json}`` last. Not a test: it reports what it measured.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = Path(sys.executable).parent
DB_NAME = "loket_bench_pages"
OFFICE = "kartoharjo"

# The production settings this benchmark measures and docs/performance.md recommends.
# gthread keeps connections alive (the sync worker closes after every response); on 2 cores
# 2×cores+1 processes with 2 threads each keep the CPU busy while a thread waits on PostgreSQL.
RECOMMENDED = {"worker_class": "gthread", "workers": None, "threads": 2, "max_requests": 10000,
               "max_requests_jitter": 1000, "keep_alive": 5, "preload": True}

# The knob that would let a benchmark (or a busy office behind one NAT address) raise the
# public tracking look-up limit; used only if the code reads it.
RATE_KNOB = "LOKET_PUBLIC_RATE_LIMIT"


def recommended(cores: int | None = None) -> dict:
    cfg = dict(RECOMMENDED)
    cfg["workers"] = cfg["workers"] or 2 * (cores or os.cpu_count() or 1) + 1
    return cfg


def gunicorn_args(cfg: dict, bind: str = "127.0.0.1:8000") -> list[str]:
    args = ["loket.wsgi:application", "--bind", bind, "--workers", str(cfg["workers"]),
            "--worker-class", cfg["worker_class"]]
    if cfg["worker_class"] == "gthread":
        args += ["--threads", str(cfg["threads"])]
    if cfg.get("max_requests"):
        args += ["--max-requests", str(cfg["max_requests"]),
                 "--max-requests-jitter", str(cfg.get("max_requests_jitter", 0))]
    if cfg.get("keep_alive"):
        args += ["--keep-alive", str(cfg["keep_alive"])]
    if cfg.get("preload"):
        args.append("--preload")
    return args


def gunicorn_command(cfg: dict, bind: str = "127.0.0.1:8000") -> str:
    return "gunicorn " + " ".join(gunicorn_args(cfg, bind))


def admin_url() -> str:
    return os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/test"


def db_url(name: str) -> str:
    parts = urlsplit(admin_url())
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url().replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(sql)


def create_database(name: str) -> None:
    _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    try:
        _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as exc:  # noqa: BLE001 - report, never mask the run's own result
        print(f"warning: could not drop {name}: {exc}", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def knob_supported() -> bool:
    text = "".join((ROOT / "loket" / f).read_text() for f in ("core/ratelimit.py", "settings.py"))
    return RATE_KNOB in text


# --- a real dossier, run inside the bench environment ---------------------------------------

def make_dossier() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)
    from loket.dossiers import services
    from loket.offices.models import Office
    from loket.offices.roles import Role
    from loket.offices.services import staff_create

    office = Office.objects.get(slug=OFFICE)
    service = office.editions.get(status="active").services.get(code="kk")
    ids = [r.pk for r in service.requirements.filter(condition_key="")]
    mk = lambda u, r, unit=None: staff_create(office=office, username=u, role=r, unit=unit,  # noqa: E731
                                              password="x-bench-pass-1")
    front, kasi, sekcam = mk("bench-f", Role.FRONT_OFFICE), mk("bench-k", Role.KASI, service.unit), mk("bench-s", Role.SEKCAM)
    front, kasi, sekcam = (getattr(x, "user", x) for x in (front, kasi, sekcam))
    applicant = {
        "nik": "3577014508900001", "kk_number": "3577010101100002", "name": "Siti Aminah",
        "birth_date": "1990-08-05", "sex": "P", "marital_status": "kawin", "address": "Jl. Bench 1",
        "rt": "1", "rw": "2", "phone": "081234567890", "kelurahan": office.kelurahan.first().code,
    }
    d = services.dossier_intake(office=office, service_code=service.code, applicant=applicant, actor=front,
                                present=ids, originals=ids, answers={"perubahan_kk": False})
    services.dossier_forward(code=d.code, actor=front)
    services.dossier_initial(code=d.code, actor=kasi)
    services.dossier_sign(code=d.code, actor=sekcam)
    services.dossier_register(code=d.code, actor=front)
    services.dossier_handover(code=d.code, actor=front)
    print(f"DOSSIER {d.code}")


def profile(paths: list[str], n: int = 10) -> None:
    """One request at a time through Django's test client, in this process: milliseconds per
    request, queries and their time, and the time of the outer template render (which
    includes queries the template triggers). At most 12 requests per URL, under the tracking
    page's 20 a minute."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.db import connection
    from django.template.backends.django import Template
    from django.test import Client

    clock = {"sql": 0.0, "tpl": 0.0, "queries": 0}

    def sql_timer(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            clock["sql"] += time.perf_counter() - t0
            clock["queries"] += 1

    original = Template.render

    def timed_render(self, *a, **kw):
        t0 = time.perf_counter()
        try:
            return original(self, *a, **kw)
        finally:
            clock["tpl"] += time.perf_counter() - t0

    Template.render = timed_render
    client = Client(HTTP_HOST="127.0.0.1")
    out = {}
    with connection.execute_wrapper(sql_timer):
        for path in paths:
            for _ in range(2):
                client.get(path)
            clock.update(sql=0.0, tpl=0.0, queries=0)
            t0 = time.perf_counter()
            statuses = {client.get(path).status_code for _ in range(n)}
            total = time.perf_counter() - t0
            out[path] = {"ms": 1000 * total / n, "sql_ms": 1000 * clock["sql"] / n, "queries": clock["queries"] // n,
                         "template_ms": 1000 * clock["tpl"] / n, "status": sorted(statuses)}
    print("PROFILE " + json.dumps(out))


# --- the server ------------------------------------------------------------------------------

def _proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return out


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick


class Server:
    def __init__(self, cfg: dict, env: dict, log_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), *gunicorn_args(cfg, f"127.0.0.1:{self.port}")],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.log_path = log_path

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + self.log_path.read_text()[-3000:])
            try:
                with urllib.request.urlopen(self.base + "/healthz/", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz/ in time")

    def workers_cpu(self) -> dict[int, float]:
        """CPU seconds so far of each live worker process, by pid."""
        return {p: _proc_cpu(p) for p in _children(self.proc.pid)}

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the master stops its workers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()

    def boots(self) -> int:
        return self.log_path.read_text(errors="replace").count("Booting worker")


def loadgen(url: str, concurrency: int, duration: float) -> dict:
    """Run bench/loadgen.py as its own process; return its result with its CPU seconds."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [sys.executable, str(BENCH / "loadgen.py"), url, "--concurrency", str(concurrency),
         "--duration", str(duration)],
        capture_output=True, text=True, timeout=duration + 60,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode or not lines:
        raise RuntimeError(f"loadgen failed: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    result = json.loads(lines[-1][7:])
    result["loadgen_cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def measure(server: Server, url: str, concurrency: int, duration: float) -> dict:
    busy0, total0 = _machine_cpu()
    w0, boots0 = server.workers_cpu(), server.boots()
    result = loadgen(server.base + url, concurrency, duration)
    w1, boots1 = server.workers_cpu(), server.boots()
    busy1, total1 = _machine_cpu()
    # A worker replaced meanwhile (--max-requests) takes its CPU seconds with it: the figure
    # then undercounts a little, and the run says so.
    result["server_cpu_s"] = sum(cpu - w0.get(pid, 0.0) for pid, cpu in w1.items())
    result["worker_restarts"] = boots1 - boots0
    result["machine_busy"] = (busy1 - busy0) / (total1 - total0) if total1 > total0 else float("nan")
    result["path"] = url
    return result


def bench(*, duration: float, concurrency: int, cfg: dict, warmup: float = 2.0, do_profile: bool = False) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="loket-bench-pages-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOKET_")}
    env.update({
        "LOKET_DATA_DIR": str(tmp / "data"), "DATABASE_URL": db_url(DB_NAME),
        "LOKET_ALLOWED_HOSTS": "127.0.0.1", "LOKET_INSECURE_COOKIES": "1",
        "DJANGO_SETTINGS_MODULE": "loket.settings",
    })
    env.pop("LOKET_DEBUG", None)
    knob = knob_supported()
    if knob:
        env[RATE_KNOB] = "1000000000"
    create_database(DB_NAME)
    server = None
    try:
        t0 = time.perf_counter()
        run = lambda *a: subprocess.run([*a], cwd=ROOT, env=env, check=True, capture_output=True,  # noqa: E731
                                        text=True, timeout=300)
        run(str(VENV_BIN / "loket"), "setup")
        run(str(VENV_BIN / "loket"), "collectstatic", "--noinput")
        out = run(sys.executable, str(BENCH / "pages.py"), "--make-dossier").stdout
        code = next(line.split()[1] for line in out.splitlines() if line.startswith("DOSSIER "))
        setup_s = time.perf_counter() - t0
        print(f"set up database, static files and dossier {code} in {setup_s:.1f} s")

        server = Server(cfg, env, tmp / "gunicorn.log")
        server.wait_ready()
        print(f"{gunicorn_command(cfg, f'127.0.0.1:{server.port}')}")

        # Weight first: it reads the tracking page once, far inside any rate limit.
        sys.path.insert(0, str(BENCH))
        import weight

        weight_urls = [f"/{OFFICE}/layanan/", f"/{OFFICE}/layanan/ktp-el/", f"/lacak/{code}/", "/lacak/"]
        weights = weight.main([server.base + u for u in weight_urls])["pages"]

        tracking = f"/lacak/{code}/" if knob else "/lacak/"
        targets = [("bare view /healthz/", "/healthz/"),
                   ("service list", f"/{OFFICE}/layanan/"),
                   ("service detail", f"/{OFFICE}/layanan/ktp-el/"),
                   ("tracking " + ("/lacak/<code>/" if knob else "/lacak/ (form)"), tracking)]
        for _, url in targets:  # warm every worker and its database connection
            loadgen(server.base + url, concurrency, warmup)
        results = []
        # The baseline before and after the pages, so a drift of the machine shows.
        for label, url in [targets[0], *targets[1:], ("bare view /healthz/ (again)", "/healthz/")]:
            r = measure(server, url, concurrency, duration)
            r["label"] = label
            results.append(r)
            print(f"{label:32} {r['rps']:8.0f}/s  p50 {r['p50_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms  "
                  f"errors {r['errors'] + r['bad_status']}  server cpu {r['server_cpu_s']:.1f} s  "
                  f"loadgen cpu {r['loadgen_cpu_s']:.1f} s  machine busy {r['machine_busy']:.0%}"
                  + (f"  worker restarts {r['worker_restarts']}" if r["worker_restarts"] else ""))
        boots = server.boots()
        server.stop()
        prof = {}
        if do_profile:
            paths = [u for u in weight_urls]
            out = run(sys.executable, str(BENCH / "pages.py"), "--profile-child", *paths).stdout
            prof = next((json.loads(line[8:]) for line in out.splitlines() if line.startswith("PROFILE ")), {})
            for path, pr in prof.items():
                print(f"in-process {path:32} {pr['ms']:6.1f} ms/request, {pr['queries']} queries "
                      f"{pr['sql_ms']:.1f} ms, template {pr['template_ms']:.1f} ms, status {pr['status']}")
    finally:
        if server is not None:
            server.stop()
        drop_database(DB_NAME)
        shutil.rmtree(tmp, ignore_errors=True)
    bare = (results[0]["rps"] + results[-1]["rps"]) / 2
    for r in results:
        r["ratio"] = r["rps"] / bare if bare else float("nan")
    return {
        "gunicorn": gunicorn_command(cfg), "config": cfg, "concurrency": concurrency, "duration": duration,
        "bare_rps": bare, "results": results, "weights": weights, "knob": knob, "tracking_path": tracking,
        "worker_boots": boots, "cores": os.cpu_count(), "profile": prof, "dossier": code,
    }


def main(argv=None) -> dict:
    # A SIGTERM (bench/run's time limit) unwinds through the finally blocks: the server is
    # stopped and the database dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ap = argparse.ArgumentParser(description="Public pages against a bare view under gunicorn.")
    ap.add_argument("--make-dossier", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--profile-child", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--profile", action="store_true", help="also time each page in-process (queries, templates)")
    ap.add_argument("--duration", type=float, default=8.0, help="seconds per URL (default 8)")
    ap.add_argument("--concurrency", type=int, default=16, help="concurrent connections (default 16)")
    ap.add_argument("--workers", type=int)
    ap.add_argument("--threads", type=int)
    ap.add_argument("--worker-class")
    ap.add_argument("--no-preload", action="store_true")
    args = ap.parse_args(argv)
    if args.make_dossier:
        make_dossier()
        return {}
    if args.profile_child:
        profile(args.profile_child)
        return {}
    cfg = recommended()
    for key in ("workers", "threads", "worker_class"):
        if getattr(args, key):
            cfg[key] = getattr(args, key)
    if args.no_preload:
        cfg["preload"] = False
    result = bench(duration=min(args.duration, 60.0), concurrency=args.concurrency, cfg=cfg, do_profile=args.profile)
    print("RESULT " + json.dumps(result))
    return result


if __name__ == "__main__":
    main()
