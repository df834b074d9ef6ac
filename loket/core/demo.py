"""Where demo passwords go besides the terminal, so a user who missed them can find them."""

import os

from django.conf import settings


def write_demo_accounts(accounts) -> str:
    path = settings.DATA_DIR / "demo-accounts.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as fh:
        for a in accounts:
            fh.write(f"{a.username}\t{a.password}\t{a.position}\n")
    return str(path)
