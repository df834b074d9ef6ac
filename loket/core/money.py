"""Rupiah: how an amount is written (Rp 1.350.000, in words) and how a typed amount is read.

Rupiah are whole numbers everywhere in Loket. The Indonesian thousands separator is a dot, so a
typed "1.5" is no amount (it is neither 1 nor 15 rupiah): ``rupiah_parse`` refuses it rather than
guess, and every screen that reads an amount uses it.
"""

from __future__ import annotations

import re

from num2words import num2words

# 1350000, 1.350.000 or 1 350 000: a separator only between groups of three digits. Sixteen
# digits are more than any amount in Loket (deeds.fees.MAX_VALUE is Rp 1 000 triliun) and keep
# int() away from huge strings.
_AMOUNT = re.compile(r"[0-9]{1,16}|[0-9]{1,3}(?:\.[0-9]{3}){1,5}|[0-9]{1,3}(?: [0-9]{3}){1,5}")
_PREFIX = re.compile(r"^rp\.?", re.IGNORECASE)

# num2words writes 1,001,000 as "satu juta satu ribu"; Indonesian says "seribu" for one
# thousand wherever it stands (as it says "seratus" for one hundred).
_ONE_THOUSAND = re.compile(r"(^|\s)satu ribu\b")


class AmountError(ValueError):
    """A typed amount that is no whole number of rupiah, or out of bounds; the message is for the user."""


def thousands(n: int) -> str:
    """1350000 → "1.350.000" (dots between thousands)."""
    return f"{int(n):,}".replace(",", ".")


def rupiah(amount) -> str:
    """Rp 1.350.000."""
    return "Rp " + thousands(amount)


def terbilang(amount: int) -> str:
    """The amount in Indonesian words, as written on an invoice: "dua juta rupiah"."""
    if amount < 0:
        raise ValueError("Jumlah tidak boleh negatif.")
    words = _ONE_THOUSAND.sub(r"\1seribu", num2words(amount, lang="id"))
    return f"{words} rupiah"


def rupiah_parse(raw, *, hi: int | None = None) -> int:
    """What was typed or sent: an int, or text such as 1350000, 1.350.000, Rp 1.350.000 or
    Rp. 1 350 000. Refuses (AmountError) anything else: a decimal point or comma ("1.5",
    "1.350.000,00"), a minus, words, an empty field, and an amount above ``hi``."""
    if isinstance(raw, bool):
        raise AmountError("Jumlah harus berupa bilangan bulat rupiah, mis. 1350000 atau 1.350.000.")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str):
        text = _PREFIX.sub("", raw.strip()).strip()
        if not _AMOUNT.fullmatch(text):
            shown = raw.strip()[:30]
            what = f"«{shown}» bukan" if shown else "Jumlah kosong, bukan"
            raise AmountError(f"{what} bilangan bulat rupiah; tulis mis. 1350000 atau 1.350.000 "
                              "(titik hanya pemisah ribuan, tanpa sen).")
        value = int(text.replace(".", "").replace(" ", ""))
    else:
        raise AmountError("Jumlah harus berupa bilangan bulat rupiah, mis. 1350000 atau 1.350.000.")
    if value < 0:
        raise AmountError("Jumlah tidak boleh negatif.")
    if hi is not None and value > hi:
        raise AmountError(f"Jumlah paling banyak {rupiah(hi)}.")
    return value
