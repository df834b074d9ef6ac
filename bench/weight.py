"""Page weight of public pages: the HTML plus every same-origin asset it loads (stylesheets,
scripts, images, icons, and what the stylesheets load with url()/@import), fetched as a
browser would (Accept-Encoding: gzip), and the references that would make the browser ask
another host.

"Requests to other hosts" counts sub-resources only: <link href> (any rel but the
navigation-only ones), <script src>, <img src/srcset>, <iframe src>, <source>, <video>,
<audio>, <embed>, <object data>, url() in inline styles and stylesheets. Plain <a href> links
(e.g. to wa.me) are navigation, not requests, and are not counted.

    python bench/weight.py http://127.0.0.1:8000/kartoharjo/layanan/ [more URLs]

Prints one line per page and ``RESULT {json}``. Loopback targets only; one GET per resource.
"""

from __future__ import annotations

import gzip
import http.client
import ipaddress
import json
import re
import socket
import sys
import zlib
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

NAVIGATION_RELS = {"canonical", "alternate", "author", "help", "license", "next", "prev", "search",
                   "bookmark", "external", "nofollow", "noopener", "noreferrer", "me"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []  # (kind, url)
        self._in_style = False
        self.inline_css: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href"):
            rels = set((a.get("rel") or "").lower().split())
            if not rels or not rels <= NAVIGATION_RELS:
                self.refs.append(("link", a["href"]))
        elif tag in {"script", "img", "iframe", "source", "video", "audio", "embed", "track", "input"} and a.get("src"):
            self.refs.append((tag, a["src"]))
        elif tag == "object" and a.get("data"):
            self.refs.append((tag, a["data"]))
        if tag in {"img", "source"} and a.get("srcset"):
            for candidate in a["srcset"].split(","):
                if candidate.strip():
                    self.refs.append((tag, candidate.strip().split()[0]))
        if tag == "video" and a.get("poster"):
            self.refs.append((tag, a["poster"]))
        if a.get("style"):
            self.inline_css.append(a["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.inline_css.append(data)


def _css_refs(text: str) -> list[str]:
    return [m.group(1) or m.group(2) for m in CSS_URL.finditer(text)]


def _check_loopback(url: str) -> None:
    host = urlsplit(url).hostname
    if not ipaddress.ip_address(socket.gethostbyname(host)).is_loopback:
        raise SystemExit(f"refusing to fetch {url}: loopback only")


def fetch(url: str, timeout: float = 10.0) -> dict:
    """One GET as a browser would send it: (status, bytes on the wire, decoded bytes, type, body)."""
    _check_loopback(url)
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers={"Accept-Encoding": "gzip", "User-Agent": "loket-bench/1",
                                           "Accept": "text/html,*/*"})
        resp = conn.getresponse()
        raw = resp.read()
        headers = {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()
    body = raw
    encoding = headers.get("content-encoding", "")
    if encoding == "gzip":
        body = gzip.decompress(raw)
    elif encoding == "deflate":
        body = zlib.decompress(raw)
    return {"url": url, "status": resp.status, "wire": len(raw), "decoded": len(body), "encoding": encoding,
            "type": headers.get("content-type", "").split(";")[0], "body": body}


def page_weight(url: str, *, max_resources: int = 100) -> dict:
    origin = urlsplit(url).netloc
    page = fetch(url)
    parser = _Refs()
    parser.feed(page["body"].decode("utf-8", "replace"))
    pending = [(kind, urljoin(url, ref), url) for kind, ref in parser.refs]
    pending += [("css-inline", urljoin(url, ref), url) for css in parser.inline_css for ref in _css_refs(css)]
    seen, assets, external = {url}, [], []
    while pending and len(assets) < max_resources:
        kind, ref, source = pending.pop(0)
        ref = ref.split("#")[0]
        if not ref or ref.startswith(("data:", "about:", "javascript:")) or ref in seen:
            continue
        seen.add(ref)
        parts = urlsplit(ref)
        if parts.scheme not in ("http", "https", "") or parts.netloc != origin:
            external.append({"kind": kind, "url": ref, "in": source})
            continue
        res = fetch(ref)
        body = res.pop("body")
        # What it would weigh gzipped, for a file served without compression.
        res["gzip_bytes"] = res["wire"] if res["encoding"] else len(gzip.compress(body, 9))
        if res["type"] == "text/css":
            pending += [("css", urljoin(ref, r), ref) for r in _css_refs(body.decode("utf-8", "replace"))]
        assets.append({"kind": kind, **res})
    wire = page["wire"] + sum(a["wire"] for a in assets)
    page_gzip = page["wire"] if page["encoding"] else len(gzip.compress(page["body"], 9))
    gzip_total = page_gzip + sum(a["gzip_bytes"] for a in assets)
    decoded = page["decoded"] + sum(a["decoded"] for a in assets)
    return {
        "url": url, "status": page["status"], "html_bytes": page["wire"], "requests": 1 + len(assets),
        "bytes_wire": wire, "bytes_decoded": decoded, "bytes_if_gzipped": gzip_total, "html_encoding": page["encoding"],
        "assets": assets, "external": external,
        "failed": [a["url"] for a in assets if a["status"] >= 400],
    }


def main(urls: list[str]) -> dict:
    pages = [page_weight(u) for u in urls]
    for p in pages:
        print(f"{p['url']}: {p['requests']} requests, {p['bytes_wire']} bytes on the wire "
              f"({p['bytes_decoded']} decoded), HTML {p['html_bytes']}, other hosts {len(p['external'])}"
              + (f", FAILED {p['failed']}" if p["failed"] else ""))
    result = {"pages": pages}
    print("RESULT " + json.dumps(result))
    return result


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(sys.argv[1:])
