"""The dependency rule between the apps (docs/architecture.md, "Layers"), enforced in CI.

Run alone with ``pytest -m layers`` or ``lint-imports``. The layers contract is
``[tool.importlinter]`` in pyproject.toml; import-linter checks modules, not names, so the
second rule (no private ``_name`` imported across apps) is checked here with ``ast``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "loket"

pytestmark = pytest.mark.layers


def test_import_contracts_are_kept():
    """site -> flow apps -> registers/catalog -> kit -> offices: no app imports a layer above it
    (the contracts in pyproject.toml; lint-imports prints which import breaks which)."""
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0, (
        "an import breaks the layers of docs/architecture.md; run `lint-imports` to see which")


def _app_of(path: Path) -> str:
    """loket/<app>/… → <app>; a module right under loket/ (urls, settings) is its own."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def _private_imports_across_apps() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = _app_of(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or node.level or not (node.module or "").startswith("loket."):
                continue
            there = node.module.split(".")[1]
            if there == here:
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {node.module} import {alias.name}")
    return found


def test_no_private_name_is_imported_across_apps():
    """What an app shares, it names without a leading underscore (the kit in loket/core)."""
    assert _private_imports_across_apps() == []


def test_the_private_rule_sees_a_private_import(tmp_path, monkeypatch):
    """The check above is not vacuous: it finds such an import when there is one."""
    app = tmp_path / "loket" / "rentals"
    app.mkdir(parents=True)
    (app / "x.py").write_text("from loket.core.tables import _CONTROL\nfrom loket.rentals.quote import _own\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    monkeypatch.setitem(globals(), "PACKAGE", tmp_path / "loket")
    assert _private_imports_across_apps() == ["loket/rentals/x.py:1: from loket.core.tables import _CONTROL"]
