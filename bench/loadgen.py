"""Load generator for the page benchmark: N concurrent HTTP/1.1 keep-alive connections
against one URL on loopback for D seconds, recording every request's latency.

Pure Python (asyncio streams, no dependency), so it runs wherever the project runs. It is
run as its own process, so it never shares an interpreter with the server it measures (it
does share the machine's cores, which the report says).

    python bench/loadgen.py http://127.0.0.1:8000/healthz/ --concurrency 16 --duration 10

Prints human-readable lines and a last line ``RESULT {json}``. Bounded: it stops at the
deadline or after --max-requests, each request times out after --timeout seconds, and a
connection the server closes (a sync worker closes after every response) is opened again.
Only loopback addresses are accepted as targets.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import socket
import sys
import time
from urllib.parse import urlsplit


class BadResponse(Exception):
    pass


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool, int]:
    """One response: (status, server keeps the connection, body bytes)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise BadResponse(lines[0][:80])
    status = int(parts[1])
    length, chunked, keep = None, False, parts[0] == "HTTP/1.1"
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection":
            keep = "close" not in value
    size = 0
    if chunked:
        while True:
            n = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if n:
                await reader.readexactly(n)
                size += n
            await reader.readexactly(2)
            if not n:
                break
    elif length is not None:
        await reader.readexactly(length)
        size = length
    elif status not in (204, 304) and not 100 <= status < 200:
        size = len(await reader.read())  # until the server closes
        keep = False
    return status, keep, size


async def _client(host, port, request, deadline, max_requests, timeout, out):
    reader = writer = None
    while time.perf_counter() < deadline and out["requests"] + out["errors"] < max_requests:
        t0 = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
                out["connections"] += 1
            writer.write(request)
            status, keep, size = await asyncio.wait_for(_read_response(reader), timeout)
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                BadResponse, ValueError) as exc:
            out["errors"] += 1
            out["error_kinds"][type(exc).__name__] = out["error_kinds"].get(type(exc).__name__, 0) + 1
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.01)
            continue
        t1 = time.perf_counter()
        if t1 <= deadline:  # a response that lands after the deadline is not counted
            out["latencies"].append(t1 - t0)
            out["requests"] += 1
            out["bytes"] += size
            out["status"][status] = out["status"].get(status, 0) + 1
            if not 200 <= status < 300:
                out["bad_status"] += 1
        if not keep:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


async def run(url: str, concurrency: int, duration: float, max_requests: int, timeout: float) -> dict:
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    if not ipaddress.ip_address(socket.gethostbyname(host)).is_loopback:
        raise SystemExit(f"refusing to send load to {host}: loopback only")
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: loket-bench/1\r\n"
        "Accept: text/html,*/*\r\nConnection: keep-alive\r\n\r\n"
    ).encode("latin-1")
    out = {"requests": 0, "errors": 0, "bad_status": 0, "bytes": 0, "connections": 0,
           "status": {}, "error_kinds": {}, "latencies": []}
    t0 = time.perf_counter()
    deadline = t0 + duration
    await asyncio.gather(*[
        _client(host, port, request, deadline, max_requests, timeout, out) for _ in range(concurrency)
    ])
    elapsed = min(time.perf_counter(), deadline) - t0
    lat = sorted(out.pop("latencies"))
    return {
        "url": url, "concurrency": concurrency, "seconds": round(elapsed, 3), **out,
        "rps": out["requests"] / elapsed if elapsed > 0 else 0.0,
        "p50_ms": percentile(lat, 50) * 1000, "p99_ms": percentile(lat, 99) * 1000,
        "max_ms": (lat[-1] * 1000) if lat else float("nan"),
    }


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("url")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--max-requests", type=int, default=2_000_000)
    ap.add_argument("--timeout", type=float, default=10.0)
    args = ap.parse_args(argv)
    duration = min(max(args.duration, 0.5), 120.0)  # bounded whatever is asked
    result = asyncio.run(run(args.url, max(1, min(args.concurrency, 512)), duration, args.max_requests, args.timeout))
    print(f"{result['url']}: {result['requests']} requests in {result['seconds']} s "
          f"= {result['rps']:.0f}/s, p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
          f"errors {result['errors']}, non-2xx {result['bad_status']}, connections {result['connections']}")
    print("RESULT " + json.dumps(result))
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
