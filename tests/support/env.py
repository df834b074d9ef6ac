"""The project folder and a clean process environment, for tests that start Loket in a subprocess."""

import os
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def clean_env(tmp_path, **over):
    """The process environment without anything that configures Loket, plus ``over``."""
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest for Playwright, never in production.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LOKET_") and k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update({"DJANGO_SETTINGS_MODULE": "loket.settings", "LOKET_DATA_DIR": str(tmp_path / "data")})
    env.update(over)
    return env
