"""(skeleton: filled by issue 19 work)"""

from __future__ import annotations

BUDGETS: dict = {}
