"""Load and faults: many staff and public users at once against a real gunicorn on loopback,
a SIGKILL of the whole server in the middle of it, a restart, and then the database is checked.

    python bench/faults.py [--seconds 20] [--staff 12] [--public 20] [--seed 1] [--keep]

What it does, all on 127.0.0.1:

1. Creates a throw-away PostgreSQL database ``loket_faults_<pid>`` on the server that
   DATABASE_URL names (default postgres://postgres@127.0.0.1:5432/), runs
   ``loket setup --demo`` into it with a temporary LOKET_DATA_DIR, adds one front-office
   clerk per staff worker and a few more Kasi of unit pemerintahan (``staff_create``), and
   issues each an API token with the ``issuetoken`` command.
2. Starts ``gunicorn loket.wsgi:application -w 3`` on a free loopback port, in its own
   process group, and waits for /healthz/ and one database-backed page.
3. Staff workers drive whole KTP-el dossier lifecycles through the API (intake → forward →
   initial → sign → register → handover; one in ten starts incomplete and is resubmitted, one
   in ten is returned by the Kasi and resubmitted). Public workers read the catalog pages and
   now and then track or verify an acknowledged dossier. Every 2xx answer is an acknowledged
   act: it is kept in memory and in a JSON-lines journal.
4. Half-way it sends SIGKILL to gunicorn's process group (master and workers) while requests
   are in flight (it waits up to 3 s for a write to be in flight), restarts it on the same port
   and, once it answers, goes on for the other half of the time (the downtime does not count
   as load time; the clients keep trying during it). An act
   whose answer was lost is retried after the restart: 200 means it had not happened, 409
   means it had, and the dossier is read back to confirm it.
5. Checks the database directly: every acknowledged act is there (the transition it returned
   exists at the same place in the dossier's history, by the same user, with the same register
   number and verification code); every dossier's state is the to_state of its last
   transition and its history is an unbroken chain; nothing is registered without a register
   entry and a verification code; the register book's numbers are exactly 1..N, each used by
   exactly one dossier, and the book's counter is N; a dossier nobody was told about exists
   only for an intake whose answer was lost at the kill. Errors (non-2xx other than 409 on such
   a retry and 429 from the public look-up rate limit; connection failures outside the kill
   window) must be 0.
6. Stops the server, drops the database and removes the temporary folder (kept with --keep,
   or when something failed, for its journal and server log).

Exit status 0 when every check holds, 1 on any violation, 2 when the run could not be set up.
It is a fault test, not a benchmark: the numbers it prints are counts from this one run.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
LOOPBACK = "127.0.0.1"
OFFICE = "kartoharjo"
SERVICE = "ktp-el"  # unit pemerintahan, signed by the Camat or the Sekcam a.n. Camat, Buku Register Pelayanan
KASI_UNIT = "pemerintahan"
GUNICORN_WORKERS = 3

# Bounds on every loop: time and count.
REQUEST_TIMEOUT = 30.0  # seconds per HTTP request (gunicorn's own worker timeout is 30 s too)
READY_TIMEOUT = 45.0  # seconds for the server to answer after a (re)start
SETUP_TIMEOUT = 300.0  # seconds for `loket setup --demo` and the staff/token helper
MAX_LIFECYCLES_PER_WORKER = 5_000
MAX_PUBLIC_REQUESTS_PER_WORKER = 100_000
MAX_ATTEMPTS = 300  # per act whose answer was lost; RETRY_PAUSE apart
RETRY_PAUSE = 0.2
KILL_WAIT_FOR_WRITE = 3.0  # seconds to wait, at the kill time, for a write to be in flight

S_RECEIVED, S_RETURNED, S_FORWARDED = "received", "returned", "forwarded"
S_INITIALLED, S_SIGNED, S_REGISTERED, S_HANDED_OVER = "initialled", "signed", "registered", "handed_over"
STATES = {S_RECEIVED, S_RETURNED, S_FORWARDED, S_INITIALLED, S_SIGNED, S_REGISTERED, S_HANDED_OVER}
# The state each act leads to (intake and resubmit: received when complete, returned when not).
ACT_STATE = {
    "forward": S_FORWARDED, "return": S_RETURNED, "initial": S_INITIALLED, "sign": S_SIGNED,
    "register": S_REGISTERED, "handover": S_HANDED_OVER,
}
# The only moves the procedure has (from_state, to_state); "" is "not yet a dossier".
ALLOWED_MOVES = {
    ("", S_RECEIVED), (S_RECEIVED, S_RETURNED), (S_RECEIVED, S_FORWARDED), (S_FORWARDED, S_RETURNED),
    (S_RETURNED, S_RECEIVED), (S_RETURNED, S_RETURNED), (S_FORWARDED, S_INITIALLED),
    (S_INITIALLED, S_SIGNED), (S_SIGNED, S_REGISTERED), (S_REGISTERED, S_HANDED_OVER),
}


class SetupFailed(Exception):
    """The run could not be prepared (database, setup command, server start)."""


# --- small helpers ------------------------------------------------------------------------

def _now() -> float:
    return time.monotonic()


def pg_server(url: str | None) -> dict:
    """Host, port, user and password of the PostgreSQL server to use; only loopback."""
    url = url or ""
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(url)
    host = parts.hostname or LOOPBACK
    if host == "localhost":
        host = LOOPBACK
    if host != LOOPBACK:
        raise SetupFailed(f"DATABASE_URL names host {host!r}; this fault test only talks to {LOOPBACK}.")
    return {
        "host": host, "port": parts.port or 5432, "user": unquote(parts.username or "postgres"),
        "password": unquote(parts.password or ""),
    }


def pg_url(server: dict, dbname: str) -> str:
    auth = quote(server["user"], safe="")
    if server["password"]:
        auth += ":" + quote(server["password"], safe="")
    return f"postgres://{auth}@{server['host']}:{server['port']}/{dbname}"


def pg_connect(server: dict, dbname: str, **kw):
    import psycopg

    return psycopg.connect(
        host=server["host"], port=server["port"], user=server["user"], password=server["password"] or None,
        dbname=dbname, connect_timeout=5, **kw,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def _group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, read from /proc."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry))
    return members


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def nik_for(worker: int, n: int) -> tuple[str, str, str]:
    """A valid NIK of Kartoharjo (35.77.01), unique per (worker, lifecycle): (nik, birth date, sex)."""
    import datetime as dt

    birth = dt.date(1970, 1, 1) + dt.timedelta(days=worker * 97 + (n // 9000) * 3)
    sex = "P" if (worker + n) % 2 else "L"
    day = birth.day + (40 if sex == "P" else 0)
    serial = n % 9000 + 1
    return f"357701{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}", birth.isoformat(), sex


def applicant_for(worker: int, n: int, rng: random.Random) -> dict:
    nik, birth, sex = nik_for(worker, n)
    return {
        "nik": nik, "kk_number": f"3577010101{worker:02d}{n % 10000:04d}", "name": f"Pemohon Uji {worker} {n}",
        "birth_date": birth, "sex": sex, "marital_status": rng.choice(["kawin", "belum_kawin", "cerai_hidup"]),
        "address": f"Jl. Uji Beban {n}", "rt": str(rng.randint(1, 20)), "rw": str(rng.randint(1, 9)),
        "kelurahan": f"35.77.01.100{rng.randint(1, 9)}", "phone": f"0812{worker:04d}{n % 10000:04d}", "email": "",
    }


# Some applicants come back for a second dossier: the same NIK from several clerks at once.
RETURNING = [
    {"nik": "3577014508900001", "kk_number": "3577010101100002", "name": "Siti Aminah", "birth_date": "1990-08-05",
     "sex": "P", "marital_status": "kawin", "address": "Jl. Contoh 1", "rt": "1", "rw": "2",
     "kelurahan": "35.77.01.1001", "phone": "081234567890", "email": ""},
    {"nik": "3577011203850003", "kk_number": "3577010101100009", "name": "Budi Santoso", "birth_date": "1985-03-12",
     "sex": "L", "marital_status": "kawin", "address": "Jl. Contoh 9", "rt": "3", "rw": "4",
     "kelurahan": "35.77.01.1003", "phone": "081298765432", "email": ""},
]


# --- records ------------------------------------------------------------------------------

@dataclasses.dataclass
class Resp:
    status: int | None
    data: object
    error: str
    t0: float
    t1: float


@dataclasses.dataclass
class Ack:
    t: float
    worker: str
    username: str
    code: str
    action: str
    state: str
    ntrans: int
    register_number: str | None
    verification_code: str | None
    after_kill: bool  # answered after the SIGKILL was sent


@dataclasses.dataclass
class Failure:
    """A request without an HTTP answer; whether it is expected depends on the kill window."""
    worker: str
    action: str
    path: str
    error: str
    t0: float
    t1: float


@dataclasses.dataclass
class Result:
    violations: list[str]  # durability and consistency of the database, lost acknowledged acts
    errors: list[str]  # failed or wrong answers outside the kill window
    read_skews: list[str]  # answers that contradict themselves (state vs. timeline of one response)
    counts: dict
    kept_dir: str | None = None

    @property
    def ok(self) -> bool:
        return not self.violations and not self.errors and not self.read_skews


# --- the server ---------------------------------------------------------------------------

class Server:
    def __init__(self, *, port: int, env: dict, log_path: Path):
        self.port, self.env, self.log_path = port, env, log_path
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = open(self.log_path, "ab")
        log.write(f"\n===== start {self.starts} =====\n".encode())
        log.flush()
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "loket.wsgi:application", "-w", str(GUNICORN_WORKERS),
             "--bind", f"{LOOPBACK}:{self.port}", "--timeout", "30", "--graceful-timeout", "5",
             "--chdir", str(REPO),
             # Its own control socket: the default (~/.gunicorn/gunicorn.ctl) is shared by every
             # gunicorn of the user, and a killed master leaves it behind.
             "--control-socket", str(self.log_path.parent / "gunicorn.ctl")],
            cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: the kill takes master and workers
        )
        log.close()

    @property
    def pgid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def wait_ready(self) -> float:
        """Poll /healthz/ and then one page that reads the database; seconds it took."""
        t0 = _now()
        deadline = t0 + READY_TIMEOUT
        for path in ("/healthz/", f"/api/v1/services/{SERVICE}/"):
            while True:
                if self.proc.poll() is not None:
                    raise SetupFailed(f"gunicorn exited with {self.proc.returncode}; see {self.log_path}")
                r = http_request(self.port, "GET", path, timeout=5)
                if r.status == 200:
                    break
                if _now() > deadline:
                    raise SetupFailed(f"server not ready after {READY_TIMEOUT:.0f} s ({path}: {r.status or r.error})")
                time.sleep(0.1)
        return _now() - t0

    def kill(self) -> list[int]:
        """SIGKILL the whole process group; wait (bounded) until none of it runs. Returns the pids."""
        pgid = self.pgid
        members = _group_members(pgid)
        os.killpg(pgid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        deadline = _now() + 10
        while _group_members(pgid):
            if _now() > deadline:
                raise SetupFailed(f"processes of group {pgid} survived SIGKILL: {_group_members(pgid)}")
            time.sleep(0.05)
        return members

    def stop(self) -> None:
        """Graceful stop (SIGTERM to the master), then SIGKILL for whatever is left of the group."""
        if self.proc is None:
            return
        pgid = self.pgid
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout=15)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                pass
        if _group_members(pgid):
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            deadline = _now() + 10
            while _group_members(pgid) and _now() < deadline:
                time.sleep(0.05)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None


def http_request(port: int, method: str, path: str, *, body=None, token: str | None = None,
                 timeout: float = REQUEST_TIMEOUT) -> Resp:
    """One request on a fresh connection to 127.0.0.1:port."""
    t0 = _now()
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
    headers = {"Connection": "close", "Accept": "application/json, text/html"}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, body=payload, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
        status, ctype = resp.status, resp.getheader("Content-Type", "")
    except (OSError, http.client.HTTPException) as exc:
        return Resp(None, None, f"{type(exc).__name__}: {exc}", t0, _now())
    finally:
        conn.close()
    data: object = raw
    if "json" in ctype:
        try:
            data = json.loads(raw)
        except ValueError:
            data = raw
    return Resp(status, data, "", t0, _now())


# --- the load -----------------------------------------------------------------------------

class Load:
    def __init__(self, *, port: int, tokens: dict, users: dict, requirement_ids: list[int], journal: Path,
                 staff: int, public: int, seed: int):
        self.port, self.tokens, self.users, self.ids = port, tokens, users, requirement_ids
        self.staff, self.public, self.seed = staff, public, seed
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.t_kill: float | None = None  # set by the main thread just before the SIGKILL
        self.journal = open(journal, "a", encoding="utf-8")
        self.t_origin = _now()
        self.acks: list[Ack] = []
        self.failures: list[Failure] = []
        self.errors: list[str] = []
        self.read_skews: list[str] = []  # answers whose state and timeline disagree
        self.violations: list[str] = []
        self.recovered: list[tuple[str, str, str]] = []  # (code, action, state) confirmed by reading back
        self.lost_intakes: list[str] = []  # NIKs of intakes whose answer was lost
        self.known: dict[str, tuple[int, str]] = {}  # code -> (transitions acknowledged, state)
        self.verifiable: list[tuple[str, str]] = []  # (verification code, register number)
        self.codes: list[str] = []
        self.counts = Counter()
        self.latency = defaultdict(list)
        self.inflight = Counter()
        self.lifecycles_done = 0
        self.lifecycles_done_after_kill = 0

    # bookkeeping
    def _t(self, t: float) -> float:
        return round(t - self.t_origin, 4)

    def _journal(self, record: dict) -> None:
        self.journal.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.journal.flush()

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)
            self._journal({"t": self._t(_now()), "kind": "error", "message": message})

    def violation(self, message: str) -> None:
        with self.lock:
            self.violations.append(message)
            self._journal({"t": self._t(_now()), "kind": "violation", "message": message})

    def call(self, who: str, kind: str, method: str, path: str, **kw) -> Resp:
        with self.lock:
            self.inflight[kind] += 1
            self.counts["requests"] += 1
            self.counts[f"requests_{who.rstrip('0123456789')}"] += 1
        try:
            r = http_request(self.port, method, path, **kw)
        finally:
            with self.lock:
                self.inflight[kind] -= 1
        with self.lock:
            if r.status is None:
                self.failures.append(Failure(who, kind, path, r.error, r.t0, r.t1))
                self._journal({"t": self._t(r.t1), "kind": "no-answer", "who": who, "action": kind, "path": path,
                               "error": r.error, "t_start": self._t(r.t0)})
            else:
                self.counts[f"status_{r.status}"] += 1
                if 200 <= r.status < 300:
                    self.latency[who.rstrip("0123456789")].append(r.t1 - r.t0)
        return r

    def ack(self, who: str, username: str, code: str, action: str, data: dict) -> None:
        a = Ack(
            t=_now(), worker=who, username=username, code=code, action=action, state=data["state"],
            ntrans=len(data["transitions"]), register_number=data.get("register_number"),
            verification_code=data.get("verification_code"), after_kill=self.t_kill is not None,
        )
        with self.lock:
            self.acks.append(a)
            if code not in self.known:
                self.codes.append(code)
            self.known[code] = (a.ntrans, a.state)
            if action == "register" and a.verification_code:
                self.verifiable.append((a.verification_code, a.register_number))
            self._journal({"t": self._t(a.t), "kind": "ack", **{k: v for k, v in dataclasses.asdict(a).items() if k != "t"}})

    # one act with its retries
    def act(self, who: str, role: str, code: str, action: str, body: dict, expect: str, rng) -> dict | None:
        token, username = self.tokens[role], self.users[role]
        path = f"/api/v1/dossiers/{code}/{action}/"
        lost = False
        for attempt in range(1, MAX_ATTEMPTS + 1):
            r = self.call(who, action, "POST", path, body=body, token=token)
            if r.status is None:
                lost = True
                if self.stop.is_set():
                    return None
                time.sleep(RETRY_PAUSE * (1 + rng.random()))
                continue
            if 200 <= r.status < 300:
                if not isinstance(r.data, dict) or r.data.get("state") != expect:
                    got = r.data.get("state") if isinstance(r.data, dict) else r.data
                    self.error(f"{who} {action} {code}: HTTP {r.status} but state {got!r}, expected {expect!r}")
                    return None
                self.ack(who, username, code, action, r.data)
                if lost:
                    with self.lock:
                        self.counts["retried_and_acknowledged"] += 1
                return r.data
            if r.status == 409 and lost:
                # The lost answer's act had committed: read the dossier back to be sure.
                g = self.call(who, "read", "GET", f"/api/v1/dossiers/{code}/", token=token)
                if (g.status == 200 and isinstance(g.data, dict) and g.data.get("state") == expect
                        and g.data["transitions"] and g.data["transitions"][-1]["to_state"] == expect):
                    with self.lock:
                        self.counts["expected_409"] += 1
                        self.recovered.append((code, action, expect))
                        self.known[code] = (len(g.data["transitions"]), expect)
                        self._journal({"t": self._t(_now()), "kind": "recovered", "who": who, "code": code,
                                       "action": action, "state": expect})
                    return g.data
                self.error(f"{who} {action} {code}: 409 after a lost answer, read back {g.status} "
                           f"state {g.data.get('state') if isinstance(g.data, dict) else g.error!r}, expected {expect!r}")
                return None
            self.error(f"{who} {action} {code}: HTTP {r.status} {str(r.data)[:300]}")
            return None
        self.error(f"{who} {action} {code}: no answer after {MAX_ATTEMPTS} attempts")
        return None

    def intake(self, who: str, applicant: dict, present: list[int], expect: str) -> dict | None:
        body = {"service": SERVICE, "applicant": applicant, "present": present, "originals": present,
                "answers": {}, "note": f"uji beban {who}"}
        r = self.call(who, "intake", "POST", "/api/v1/dossiers/", body=body, token=self.tokens[f"clerk-{who}"])
        if r.status is None:
            # Unknown outcome. A clerk would look the applicant up; here the lifecycle is dropped
            # and the database check accounts for a dossier that may have been created.
            with self.lock:
                self.lost_intakes.append(applicant["nik"])
            if not self.stop.is_set():
                time.sleep(RETRY_PAUSE * 2)  # server down: the clerk waits before the next applicant
            return None
        if r.status != 201 or not isinstance(r.data, dict) or r.data.get("state") != expect:
            got = r.data.get("state") if isinstance(r.data, dict) else None
            self.error(f"{who} intake: HTTP {r.status} state {got!r}, expected {expect!r}: {str(r.data)[:300]}")
            return None
        self.ack(who, self.users[f"clerk-{who}"], r.data["code"], "intake", r.data)
        return r.data

    def lifecycle(self, who: str, w: int, n: int, rng: random.Random) -> None:
        clerk = f"clerk-{who}"
        kasi = f"kasi-{w % self.n_kasi}"
        signer = rng.choice(["sekcam", "camat"])
        applicant = dict(rng.choice(RETURNING)) if rng.random() < 0.1 else applicant_for(w, n, rng)
        flow = rng.choices(["straight", "incomplete", "kasi_return"], weights=[8, 1, 1])[0]
        present = list(self.ids)
        if flow == "incomplete":
            present.remove(rng.choice(self.ids))
        d = self.intake(who, applicant, present, S_RETURNED if flow == "incomplete" else S_RECEIVED)
        if d is None:
            return
        code = d["code"]
        full = {"present": self.ids, "originals": self.ids}
        steps: list[tuple[str, str, dict, str]] = []
        if flow == "incomplete":
            steps.append((clerk, "resubmit", full, S_RECEIVED))
        steps.append((clerk, "forward", {}, S_FORWARDED))
        if flow == "kasi_return":
            steps += [(kasi, "return", {"reason": "Pas foto berlatar salah.", "missing": ["Pas foto"]}, S_RETURNED),
                      (clerk, "resubmit", full, S_RECEIVED), (clerk, "forward", {}, S_FORWARDED)]
        steps += [(kasi, "initial", {}, S_INITIALLED), (signer, "sign", {}, S_SIGNED),
                  (clerk, "register", {}, S_REGISTERED),
                  (clerk, "handover", {"handed_over_to": "Dispendukcapil Kota Madiun"}, S_HANDED_OVER)]
        last = d
        for role, action, body, expect in steps:
            if self.stop.is_set():
                return
            last = self.act(who, role, code, action, body, expect, rng)
            if last is None:
                return
        # Read-your-writes: the clerk opens the finished dossier.
        g = self.call(who, "read", "GET", f"/api/v1/dossiers/{code}/", token=self.tokens[clerk])
        if g.status is None:
            return  # a lost read is no act; the kill window decides whether it is an error
        if g.status != 200 or g.data.get("state") != S_HANDED_OVER or g.data.get("register_number") != last.get("register_number"):
            self.error(f"{who} read {code}: HTTP {g.status} {str(g.data)[:200]}; expected handed_over "
                       f"with register {last.get('register_number')}")
            return
        with self.lock:
            self.lifecycles_done += 1
            if self.t_kill is not None:
                self.lifecycles_done_after_kill += 1

    def staff_worker(self, w: int) -> None:
        who = f"staff{w}"
        rng = random.Random(self.seed * 1_000 + w)
        try:
            for n in range(1, MAX_LIFECYCLES_PER_WORKER + 1):
                if self.stop.is_set():
                    break
                self.lifecycle(who, w, n, rng)
        except Exception as exc:  # a bug in the driver must not pass for a clean run
            self.violation(f"{who} driver crashed: {type(exc).__name__}: {exc}")

    def public_worker(self, w: int) -> None:
        who = f"public{w}"
        rng = random.Random(self.seed * 1_000 + 500 + w)
        pages = [f"/{OFFICE}/layanan/", f"/{OFFICE}/layanan/{SERVICE}/", f"/{OFFICE}/", f"/api/v1/services/{SERVICE}/"]
        try:
            for _ in range(MAX_PUBLIC_REQUESTS_PER_WORKER):
                if self.stop.is_set():
                    break
                roll = rng.random()
                with self.lock:
                    code = rng.choice(self.codes) if self.codes else None
                    seen = self.known.get(code) if code else None
                    verif = rng.choice(self.verifiable) if self.verifiable else None
                if roll < 0.15 and code:
                    self.track(who, code, seen)
                elif roll < 0.20 and verif:
                    self.verify(who, *verif)
                else:
                    path = rng.choice(pages)
                    r = self.call(who, "page", "GET", path)
                    if r.status is None and not self.stop.is_set():
                        time.sleep(RETRY_PAUSE * (1 + rng.random()))  # server down: do not spin
                    elif r.status is not None and r.status != 200:
                        self.error(f"{who} GET {path}: HTTP {r.status} {str(r.data)[:200]}")
        except Exception as exc:
            self.violation(f"{who} driver crashed: {type(exc).__name__}: {exc}")

    def track(self, who: str, code: str, seen: tuple[int, str]) -> None:
        r = self.call(who, "track", "GET", f"/api/v1/track/{code}/")
        if r.status is None:
            return
        if r.status == 429:
            with self.lock:
                self.counts["rate_limited_429"] += 1
            return
        if r.status != 200:
            self.error(f"{who} track {code}: HTTP {r.status} {str(r.data)[:200]}")
            return
        with self.lock:
            self.counts["tracked_ok"] += 1
        timeline = r.data.get("timeline", [])
        states = [t["state"] for t in timeline]
        if len(timeline) < seen[0]:
            self.violation(f"{who} track {code}: public timeline {states}, but {seen[0]} transitions "
                           f"(up to {seen[1]!r}) were acknowledged before the look-up")
        elif not timeline or timeline[-1]["state"] != r.data.get("state"):
            # The answer contradicts itself: state from one snapshot, timeline from a later one.
            with self.lock:
                self.read_skews.append(f"{who} track {code}: state {r.data.get('state')!r} but timeline {states}")
                self._journal({"t": self._t(_now()), "kind": "read-skew", "who": who, "code": code,
                               "state": r.data.get("state"), "timeline": states})

    def verify(self, who: str, vcode: str, number: str) -> None:
        r = self.call(who, "verify", "GET", f"/api/v1/verify/{vcode}/")
        if r.status is None:
            return
        if r.status == 429:
            with self.lock:
                self.counts["rate_limited_429"] += 1
            return
        if r.status != 200 or r.data.get("register_number") != number:
            self.error(f"{who} verify {vcode}: HTTP {r.status} {str(r.data)[:200]}; expected register {number}")
            return
        with self.lock:
            self.counts["verified_ok"] += 1

    def start(self) -> list[threading.Thread]:
        self.n_kasi = sum(1 for k in self.tokens if k.startswith("kasi-"))
        threads = [threading.Thread(target=self.staff_worker, args=(w,), name=f"staff{w}", daemon=True)
                   for w in range(self.staff)]
        threads += [threading.Thread(target=self.public_worker, args=(w,), name=f"public{w}", daemon=True)
                    for w in range(self.public)]
        for t in threads:
            t.start()
        return threads

    def inflight_now(self) -> dict:
        with self.lock:
            return {k: v for k, v in self.inflight.items() if v}


# --- database checks -----------------------------------------------------------------------

def check_database(conn, load: Load) -> tuple[list[str], dict]:
    """Every invariant, read straight from the tables. Returns (violations, counts)."""
    v: list[str] = []
    cur = conn.cursor()
    cur.execute(
        "SELECT d.id, d.code, d.state, d.register_entry_id, d.verification_code, d.signed_by_id, "
        "d.signer_capacity, d.done_at IS NOT NULL, d.applicant_nik FROM dossiers_dossier d"
    )
    dossiers = {row[1]: row for row in cur.fetchall()}
    cur.execute(
        "SELECT t.dossier_id, t.id, t.from_state, t.to_state, t.at, u.username FROM dossiers_transition t "
        "JOIN auth_user u ON u.id = t.actor_id ORDER BY t.dossier_id, t.id"
    )
    chains: dict[int, list] = defaultdict(list)
    for row in cur.fetchall():
        chains[row[0]].append(row)
    cur.execute("SELECT dossier_id, count(*) FROM dossiers_dossieritem GROUP BY dossier_id")
    items = dict(cur.fetchall())
    cur.execute(
        "SELECT e.id, e.book_id, e.number, e.reference, b.year FROM registers_registerentry e "
        "JOIN registers_registerbook b ON b.id = e.book_id"
    )
    entries = {row[0]: row for row in cur.fetchall()}
    cur.execute("SELECT id, kind, year, last_number FROM registers_registerbook")
    books = cur.fetchall()
    by_id = {row[0]: row for row in dossiers.values()}

    # 1. Every dossier: not half-moved.
    for code, (did, _, state, entry_id, vcode, signed_by, capacity, done, _nik) in dossiers.items():
        chain = chains.get(did, [])
        if not chain:
            v.append(f"dossier {code}: state {state!r} with no transition at all")
            continue
        if state not in STATES:
            v.append(f"dossier {code}: state {state!r} is not a state of the procedure")
        if chain[-1][3] != state:
            v.append(f"dossier {code}: state {state!r} but last transition goes to {chain[-1][3]!r}")
        prev, prev_at = "", None
        for _, tid, frm, to, at, _user in chain:
            if frm != prev:
                v.append(f"dossier {code}: transition {tid} from {frm!r}, but the previous one ended in {prev!r}")
            if (frm, to) not in ALLOWED_MOVES:
                v.append(f"dossier {code}: transition {tid} {frm!r}→{to!r} is not a move of the procedure")
            if prev_at is not None and at < prev_at:
                v.append(f"dossier {code}: transition {tid} at {at} is earlier than the one before it")
            prev, prev_at = to, at
        if not items.get(did):
            v.append(f"dossier {code}: no checklist items")
        reached = {t[3] for t in chain}
        if state in (S_REGISTERED, S_HANDED_OVER) and (entry_id is None or not vcode):
            v.append(f"dossier {code}: {state} without register entry ({entry_id}) or verification code ({vcode!r})")
        if state not in (S_REGISTERED, S_HANDED_OVER) and (entry_id is not None or vcode):
            v.append(f"dossier {code}: {state} but has register entry {entry_id} / verification code {vcode!r}")
        if S_SIGNED in reached and (signed_by is None or not capacity):
            v.append(f"dossier {code}: signed without signer ({signed_by}) or capacity ({capacity!r})")
        if (state == S_HANDED_OVER) != bool(done):
            v.append(f"dossier {code}: state {state} but done_at {'set' if done else 'empty'}")
        if sum(1 for t in chain if t[3] == S_REGISTERED) > 1:
            v.append(f"dossier {code}: registered more than once")

    # 2. The register book: 1..N, no gap, no duplicate, each entry exactly one dossier's, counter = N.
    used_by: dict[int, list[str]] = defaultdict(list)
    for code, row in dossiers.items():
        if row[3] is not None:
            used_by[row[3]].append(code)
    numbers_total = 0
    for book_id, kind, year, last_number in books:
        numbers = sorted(e[2] for e in entries.values() if e[1] == book_id)
        numbers_total += len(numbers)
        dupes = sorted(n for n, c in Counter(numbers).items() if c > 1)
        gaps = sorted(set(range(1, len(numbers) + 1)) - set(numbers))
        if dupes:
            v.append(f"book {kind} {year}: duplicate numbers {dupes[:20]}")
        if gaps or (numbers and numbers[-1] != len(numbers)):
            v.append(f"book {kind} {year}: numbers are not 1..{len(numbers)}: missing {gaps[:20]}, highest {numbers[-1] if numbers else None}")
        if last_number != len(numbers):
            v.append(f"book {kind} {year}: counter last_number={last_number} but {len(numbers)} entries")
    for eid, (_, book_id, number, reference, year) in entries.items():
        owners = used_by.get(eid, [])
        if len(owners) != 1:
            v.append(f"register entry {number}/{year} (id {eid}) belongs to {len(owners)} dossiers {owners}")
        elif owners[0] != reference:
            v.append(f"register entry {number}/{year} says reference {reference!r} but belongs to dossier {owners[0]}")

    # 3. Every acknowledged act is there, at its place in the history, by the one who did it.
    acked_numbers = Counter()
    for a in load.acks:
        row = dossiers.get(a.code)
        if row is None:
            v.append(f"acknowledged {a.action} of {a.code} ({a.state}) but the dossier does not exist")
            continue
        chain = chains.get(row[0], [])
        if len(chain) < a.ntrans:
            v.append(f"acknowledged {a.action} of {a.code} ({a.state}, transition #{a.ntrans}) but only {len(chain)} transitions")
            continue
        t = chain[a.ntrans - 1]
        if t[3] != a.state or t[5] != a.username:
            v.append(f"acknowledged {a.action} of {a.code} by {a.username}: transition #{a.ntrans} is "
                     f"{t[2]!r}→{t[3]!r} by {t[5]}, expected →{a.state!r}")
        if a.action == "register":
            acked_numbers[a.register_number] += 1
            entry = entries.get(row[3])
            got = f"{entry[2]}/{entry[4]}" if entry else None
            if got != a.register_number or row[4] != a.verification_code:
                v.append(f"acknowledged register of {a.code} as {a.register_number} / {a.verification_code}, "
                         f"database has {got} / {row[4]}")
    for code, action, state in load.recovered:
        row = dossiers.get(code)
        if row is None or state not in {t[3] for t in chains.get(row[0], [])}:
            v.append(f"act {action} of {code} read back as {state} after the restart is not in the database")
    for number, count in acked_numbers.items():
        if count > 1:
            v.append(f"register number {number} was acknowledged {count} times")

    # 4. A dossier nobody was told about: only from an intake whose answer was lost.
    acked_codes = {a.code for a in load.acks}
    orphans = [c for c in dossiers if c not in acked_codes]
    lost = Counter(load.lost_intakes)
    orphan_niks = Counter(dossiers[c][8] for c in orphans)
    for nik, count in orphan_niks.items():
        if count > lost.get(nik, 0):
            v.append(f"{count} dossier(s) of NIK {nik} exist that no intake was acknowledged for, "
                     f"but only {lost.get(nik, 0)} intake(s) of that NIK lost their answer")

    counts = {
        "dossiers": len(dossiers), "transitions": sum(len(c) for c in chains.values()),
        "register_entries": numbers_total, "books": len(books), "orphan_dossiers": len(orphans),
        "handed_over": sum(1 for r in dossiers.values() if r[2] == S_HANDED_OVER),
    }
    return v, counts


# --- setup ----------------------------------------------------------------------------------

HELPER = r"""
import io, json, secrets, sys
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from loket.offices.models import Office, Unit
from loket.offices.services import staff_create

spec = json.loads(sys.argv[1])
# Throw-away accounts that only ever use API tokens: a fast hasher saves seconds per account.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
office = Office.objects.get(slug=spec["office"])
for u in spec["create"]:
    unit = Unit.objects.get(office=office, code=u["unit"]) if u["unit"] else None
    staff_create(office=office, username=u["username"], role=u["role"], unit=unit,
                 password=secrets.token_urlsafe(12), full_name=u["full_name"], position=u["position"])
tokens = {}
for username in spec["tokens"]:
    out = io.StringIO()
    call_command("issuetoken", username, name="uji beban dan gangguan", stdout=out)
    tokens[username] = out.getvalue().strip().splitlines()[-1]
print(json.dumps(tokens))
"""


def _run(cmd: list[str], env: dict, what: str) -> str:
    try:
        p = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=SETUP_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise SetupFailed(f"{what} took longer than {SETUP_TIMEOUT:.0f} s") from None
    if p.returncode != 0:
        raise SetupFailed(f"{what} failed ({p.returncode}):\n{p.stdout[-2000:]}\n{p.stderr[-4000:]}")
    return p.stdout


def prepare(env: dict, data_dir: Path, staff: int) -> tuple[dict, dict, dict]:
    """`loket setup --demo`, extra staff, tokens. Returns (tokens by role key, usernames by role key, demo accounts)."""
    _run([str(VENV_BIN / "loket"), "setup", "--demo"], env, "loket setup --demo")
    demo = {}
    accounts = data_dir / "demo-accounts.txt"
    if not accounts.exists():
        raise SetupFailed(f"loket setup --demo wrote no {accounts}")
    for line in accounts.read_text().splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            demo[parts[0]] = parts[1]
    for needed in ("petugas", "kasi.pemerintahan", "sekcam", "camat"):
        if needed not in demo:
            raise SetupFailed(f"demo account {needed!r} missing from {accounts}")
    n_kasi = max(1, min(4, staff // 4))
    users = {"sekcam": "sekcam", "camat": "camat", "clerk-staff0": "petugas", "kasi-0": "kasi.pemerintahan"}
    create = []
    for w in range(1, staff):
        users[f"clerk-staff{w}"] = f"petugas.{w:02d}"
        create.append({"username": f"petugas.{w:02d}", "role": "front_office", "unit": None,
                       "full_name": f"Petugas Loket {w}", "position": "Petugas Registrasi Pelayanan"})
    for k in range(1, n_kasi):
        users[f"kasi-{k}"] = f"kasi.pemerintahan.{k}"
        create.append({"username": f"kasi.pemerintahan.{k}", "role": "kasi", "unit": KASI_UNIT,
                       "full_name": f"Kasi Pemerintahan {k}", "position": "Kasi Pemerintahan"})
    spec = {"office": OFFICE, "create": create, "tokens": sorted(set(users.values()))}
    out = _run([str(VENV_BIN / "python"), "-c", HELPER, json.dumps(spec)], env, "creating staff and tokens")
    by_user = json.loads(out.strip().splitlines()[-1])
    tokens = {role: by_user[u] for role, u in users.items()}
    for role, tok in tokens.items():
        if not tok.startswith("lkt_"):
            raise SetupFailed(f"issuetoken printed {tok[:12]!r}… for {users[role]}, not a token")
    return tokens, users, demo


# --- the run ---------------------------------------------------------------------------------

def run(*, seconds: float = 20, staff: int = 12, public: int = 20, seed: int = 1, keep: bool = False,
        out=print) -> Result:
    if not (2 <= seconds <= 600 and 1 <= staff <= 64 and 0 <= public <= 200):
        raise SetupFailed("bounds: 2 ≤ seconds ≤ 600, 1 ≤ staff ≤ 64, 0 ≤ public ≤ 200")
    for exe in ("python", "gunicorn", "loket"):
        if not (VENV_BIN / exe).exists():
            raise SetupFailed(f"{VENV_BIN / exe} not found (run scripts/ensure-venv.sh)")
    server_cfg = pg_server(os.environ.get("DATABASE_URL"))
    dbname = f"loket_faults_{os.getpid()}"
    tmp = Path(tempfile.mkdtemp(prefix="loket-faults-"))
    journal_path, log_path = tmp / "journal.jsonl", tmp / "gunicorn.log"
    server: Server | None = None
    load: Load | None = None
    created_db = False
    keep_dir = keep  # also kept when a check failed, for its journal and server log
    try:
        import psycopg

        try:
            with pg_connect(server_cfg, "postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{dbname}"')
                created_db = True
        except psycopg.Error as exc:
            raise SetupFailed(f"cannot create database {dbname} on {server_cfg['host']}:{server_cfg['port']}: {exc}") from None
        url = pg_url(server_cfg, dbname)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LOKET_", "DJANGO_"))}
        env.update({
            "DATABASE_URL": url, "LOKET_DATA_DIR": str(tmp / "data"), "DJANGO_SETTINGS_MODULE": "loket.settings",
            "LOKET_ALLOWED_HOSTS": LOOPBACK, "LOKET_INSECURE_COOKIES": "1", "LOKET_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        })
        (tmp / "data").mkdir()
        t_setup = _now()
        tokens, users, demo = prepare(env, tmp / "data", staff)
        out(f"setup                 {_now() - t_setup:.1f} s: database {dbname}, {len(demo)} demo accounts, "
            f"{len(tokens)} tokens ({staff} clerks, {sum(1 for k in tokens if k.startswith('kasi-'))} Kasi, sekcam, camat)")

        port = free_port()
        server = Server(port=port, env=env, log_path=log_path)
        server.start()
        out(f"server                gunicorn -w {GUNICORN_WORKERS} on {LOOPBACK}:{port}, ready in {server.wait_ready():.1f} s")
        r = http_request(port, "GET", f"/api/v1/services/{SERVICE}/")
        ids = [req["id"] for req in r.data["requirements"] if not req["condition_key"]]
        if not ids:
            raise SetupFailed(f"no requirements for {SERVICE}")

        load = Load(port=port, tokens=tokens, users=users, requirement_ids=ids, journal=journal_path,
                    staff=staff, public=public, seed=seed)
        t_start = _now()
        threads = load.start()
        t_kill_due = t_start + seconds / 2
        time.sleep(max(0.0, t_kill_due - _now()))
        # Kill while a write is in flight (bounded wait), so some acts lose their answers.
        deadline = _now() + KILL_WAIT_FOR_WRITE
        while _now() < deadline and not any(
            v for k, v in load.inflight_now().items() if k in ("intake", "register", "sign", "handover", "forward", "initial")
        ):
            time.sleep(0.005)
        inflight = load.inflight_now()
        t_kill = load.t_kill = _now()
        killed = server.kill()
        out(f"kill                  t={t_kill - t_start:.1f} s: SIGKILL to process group {server.pgid} "
            f"({len(killed)} processes), in flight {dict(sorted(inflight.items()))}")
        server.start()
        server.wait_ready()
        t_ready = _now()
        out(f"restart               ready {t_ready - t_kill:.1f} s after the kill")
        # The other half of the load time runs after the restart (the downtime is not load time).
        time.sleep(max(0.0, t_ready + (t_kill_due - t_start) - _now()))
        load.stop.set()
        for t in threads:
            t.join(timeout=REQUEST_TIMEOUT * 2)
        stuck = [t.name for t in threads if t.is_alive()]
        t_end = _now()
        server.stop()
        load.journal.close()

        # Which requests without an answer were the kill's, and which were errors.
        expected_lost, unexpected_lost = 0, []
        for f in load.failures:
            if f.t1 >= t_kill and f.t0 <= t_ready:
                expected_lost += 1
            else:
                unexpected_lost.append(f"{f.worker} {f.action} {f.path}: no answer ({f.error}) at "
                                       f"t={f.t0 - t_start:.2f}–{f.t1 - t_start:.2f} s, outside the kill window")
        errors = list(load.errors) + unexpected_lost
        violations = list(load.violations)
        if stuck:
            violations.append(f"workers still running after the load ended: {stuck}")

        with pg_connect(server_cfg, dbname) as conn:
            db_violations, db_counts = check_database(conn, load)
        violations += db_violations
        if not any(a.after_kill for a in load.acks):
            violations.append("no act was acknowledged after the restart")
        if not load.acks or not any(not a.after_kill for a in load.acks):
            violations.append("no act was acknowledged before the kill")

        c = load.counts
        acks_before = sum(1 for a in load.acks if not a.after_kill)
        registers = [a for a in load.acks if a.action == "register"]
        lat = {k: (_percentile(v, 0.5), _percentile(v, 0.95), max(v) if v else 0.0) for k, v in load.latency.items()}
        counts = {
            "seconds": round(t_end - t_start, 1), "requests": c["requests"], "requests_staff": c["requests_staff"],
            "requests_public": c["requests_public"], "acknowledged": len(load.acks), "acknowledged_before_kill": acks_before,
            "acknowledged_after_restart": len(load.acks) - acks_before, "recovered_after_409": len(load.recovered),
            "retried_and_acknowledged": c["retried_and_acknowledged"], "lost_intakes": len(load.lost_intakes),
            "no_answer_in_kill_window": expected_lost, "rate_limited_429": c["rate_limited_429"],
            "tracked_ok": c["tracked_ok"], "verified_ok": c["verified_ok"], "lifecycles_completed": load.lifecycles_done,
            "lifecycles_completed_after_kill": load.lifecycles_done_after_kill,
            "register_numbers_acknowledged": len(registers), "inflight_at_kill": sum(inflight.values()),
            "downtime_seconds": round(t_ready - t_kill, 2), "errors": len(errors), "violations": len(violations),
            "read_skews": len(load.read_skews),
            "statuses": {k[7:]: n for k, n in sorted(c.items()) if k.startswith("status_")},
            "latency": lat, **{f"db_{k}": n for k, n in db_counts.items()},
        }
        out(f"load                  {counts['seconds']} s wall clock ({counts['seconds'] - counts['downtime_seconds']:.1f} s "
            f"served, {counts['downtime_seconds']} s down), {staff} staff + {public} public workers")
        out(f"requests              {c['requests']} (staff {c['requests_staff']}, public {c['requests_public']}); "
            f"statuses {counts['statuses']}")
        for who, (p50, p95, mx) in sorted(lat.items()):
            out(f"latency {who:<13} p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {mx * 1000:.0f} ms (2xx)")
        out(f"acknowledged acts     {len(load.acks)} ({acks_before} before the kill, {len(load.acks) - acks_before} after)")
        out(f"kill window           {expected_lost} requests without answer (expected); "
            f"{c['retried_and_acknowledged']} retried → 200; {len(load.recovered)} retried → 409, read back as done; "
            f"{len(load.lost_intakes)} intakes with unknown outcome")
        out(f"public look-ups       tracked {c['tracked_ok']}, verified {c['verified_ok']}, rate-limited 429 {c['rate_limited_429']} (expected)")
        out(f"lifecycles completed  {load.lifecycles_done} ({load.lifecycles_done_after_kill} finished after the restart)")
        out(f"database              {db_counts['dossiers']} dossiers, {db_counts['transitions']} transitions, "
            f"{db_counts['handed_over']} handed over, {db_counts['orphan_dossiers']} never acknowledged (lost intakes)")
        out(f"register numbers      {db_counts['register_entries']} in {db_counts['books']} book(s), "
            f"{len(registers)} acknowledged")
        out(f"errors                {len(errors)}")
        for e in errors[:15]:
            out(f"  - {e}")
        out(f"inconsistent answers  {len(load.read_skews)} (public tracking: state and timeline disagree)")
        for e in load.read_skews[:10]:
            out(f"  - {e}")
        out(f"violations            {len(violations)}")
        for e in violations[:25]:
            out(f"  - {e}")
        failed = bool(errors or violations or load.read_skews)
        if failed:
            tail = [ln for ln in log_path.read_text(errors="replace").splitlines() if "Error" in ln or "Traceback" in ln]
            if tail:
                out("server log (errors)   " + "\n                      ".join(tail[-10:]))
        result = Result(violations=violations, errors=errors, read_skews=list(load.read_skews), counts=counts)
        keep_dir = keep or failed
        if keep_dir:
            result.kept_dir = str(tmp)
            out(f"kept                  {tmp} (journal.jsonl, gunicorn.log)")
        out("RESULT                " + ("FAIL" if failed else "OK"))
        return result
    except SetupFailed as exc:
        if log_path.exists():  # the server had started: its log says why it failed
            keep_dir = True
            raise SetupFailed(f"{exc}\n(kept {tmp}: gunicorn.log, journal.jsonl)") from None
        raise
    finally:
        if server is not None:
            server.stop()
        if load is not None:
            load.stop.set()
            if not load.journal.closed:
                load.journal.close()
        if created_db:
            try:
                with pg_connect(server_cfg, "postgres", autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            except Exception as exc:  # report, do not hide the run's own outcome
                out(f"cleanup: could not drop database {dbname}: {exc}")
        if not keep_dir:
            shutil.rmtree(tmp, ignore_errors=True)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="length of the load (default 20)")
    parser.add_argument("--staff", type=int, default=12, help="staff workers, one front-office clerk each (default 12)")
    parser.add_argument("--public", type=int, default=20, help="public workers (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (journal, server log)")
    args = parser.parse_args(argv)
    # SIGTERM ends the run through the same clean-up as Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        result = run(seconds=args.seconds, staff=args.staff, public=args.public, seed=args.seed, keep=args.keep)
    except SetupFailed as exc:
        print(f"setup failed: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; server stopped, database dropped", file=sys.stderr)
        return 130
    return 0 if result.ok else 1


if __name__ == "__main__":
    try:
        import psycopg  # noqa: F401
    except ImportError:
        venv_python = VENV_BIN / "python"
        if venv_python.exists() and Path(sys.prefix).resolve() != (REPO / ".venv").resolve():
            os.execv(str(venv_python), [str(venv_python), *sys.argv])
        raise
    sys.exit(main())
