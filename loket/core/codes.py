"""Tracking and verification codes: short, unguessable, easy to read aloud.

The alphabet leaves out 0/O and 1/I (and nothing else), so a code read over the counter or
the telephone cannot be misheard between them. Codes come from the OS's CSPRNG (secrets).
A tracking code has 8 symbols of 32 = 40 bits (1.1 × 10^12 codes); with the tracking page
rate-limited, guessing one of an office's dossiers is hopeless. A verification code, printed
on the legalised paper, has 12 symbols = 60 bits.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
TRACKING_LENGTH = 8
VERIFICATION_LENGTH = 12


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_tracking_code() -> str:
    return new_code(TRACKING_LENGTH)


def new_verification_code() -> str:
    return new_code(VERIFICATION_LENGTH)


def normalise(code: str) -> str:
    """What a citizen types: any case, spaces or dashes are accepted. Codes never contain
    0, O, 1 or I, so a misread character simply finds no dossier (nothing is guessed)."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:32]


def display(code: str) -> str:
    """ABCD-EFGH: grouped in fours for reading aloud."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))
