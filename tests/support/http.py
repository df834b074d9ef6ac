"""HTTP helpers shared by the page tests: the login form as a browser posts it, and the scan
for inline code that the Content-Security-Policy would block."""

from html.parser import HTMLParser

PASSWORD = "x-Pass-12345"  # tests/conftest.py's people
LOGIN = "/masuk/"


def login_post(client, username, password=PASSWORD, url=LOGIN, **extra):
    """Log in through the login form (not force_login): the axes lockout and the session rotation run."""
    return client.post(url, {"username": username, "password": password}, **extra)


DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class InlineCode(HTMLParser):
    """What a policy without 'unsafe-inline' blocks: <script> without src (other than data
    blocks), <style> elements, style="…" attributes, on…= handlers and javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and not a.get("src") and (a.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")


def inline_code(html: str) -> list[str]:
    p = InlineCode()
    p.feed(html)
    return p.found

