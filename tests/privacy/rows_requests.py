"""(skeleton: filled by issue 19 work)"""

from __future__ import annotations

from tests.support.authz import Entry

ROWS: list[Entry] = []
