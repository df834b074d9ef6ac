"""Uang jasa (honorarium) of the Camat as PPAT Sementara, per PP 37/1998 Pasal 32 as amended by
PP 24/2016:

(1) the fee of the PPAT and PPAT Sementara, the witnesses' fee included, may not exceed 1 %
    of the transaction price written in the deed;
(2) a person who cannot afford it (tidak mampu) is served without any fee;
(3) no other levy may be asked.

The standard of Kartoharjo says "dibawah 1 % dari nilai transaksi". The office sets its rate
(``deeds.Setting.fee_rate``, in percent, at most 1); the quote shows the rate, the cap, and
refuses any fee above the cap. Rupiah are whole numbers; the fee of a rate is rounded down,
never up, so that it cannot cross the cap by rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from loket.core.money import thousands

CAP_PERCENT = Decimal("1")  # PP 24/2016 Pasal 32 ayat (1)
MAX_VALUE = 10**15  # Rp 1 000 triliun: a transaction value above this is a typing error


class FeeError(ValueError):
    """A fee or rate outside the law or the office's setting; ``field`` names the input."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FeeQuote:
    value: int  # harga transaksi (Rp)
    rate: Decimal  # the office's rate, percent
    cap: int  # the most that may be asked: floor(1 % of the value)
    fee: int  # what is asked
    free: bool  # tidak mampu: served without fee (Pasal 32 ayat 2)

    @property
    def notes(self) -> list[str]:
        if self.free:
            return ["Pemohon tidak mampu: dilayani tanpa memungut biaya (PP 24/2016 Pasal 32 ayat (2))."]
        return [f"Uang jasa {rate_text(self.rate)} dari harga transaksi, termasuk uang jasa saksi; "
                f"paling banyak 1% (PP 24/2016 Pasal 32 ayat (1)) = Rp {thousands(self.cap)}."]


def rate_text(rate: Decimal) -> str:
    text = format(rate.normalize(), "f")
    return text.replace(".", ",") + "%"


def _floor(value: int, percent: Decimal) -> int:
    return int((Decimal(value) * percent / 100).to_integral_value(rounding=ROUND_FLOOR))


def cap_of(value: int, cap_percent: Decimal = CAP_PERCENT) -> int:
    """The largest whole-rupiah fee within the cap (the edition's percentage, never above the
    law's 1 %) of ``value``."""
    return _floor(value, min(Decimal(cap_percent), CAP_PERCENT))


def cap_percent(service) -> Decimal:
    """The cap of a service's edition (``ServiceType.fee_percent_cap``), never above the law's 1 %;
    the law's 1 % when the edition sets none. The one place the cap of a case or a quote is decided."""
    cap = service.fee_percent_cap
    return CAP_PERCENT if cap is None else min(Decimal(cap), CAP_PERCENT)


def quote_of(case) -> FeeQuote:
    """The quote of a case as given at intake: the case keeps the value, the rate and the fee; the
    cap follows from the value and the edition's percentage (``cap_percent``)."""
    return FeeQuote(value=case.value, rate=Decimal(case.fee_rate), cap=cap_of(case.value, cap_percent(case.service)),
                    fee=case.fee, free=case.fee_free)


def rate_check(raw, cap_percent: Decimal = CAP_PERCENT) -> Decimal:
    """The office's rate in percent: above 0, at most the cap (1 %), at most 3 decimals."""
    try:
        rate = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise FeeError("fee_rate", "Tarif uang jasa harus berupa angka persen, mis. 1 atau 0,5.") from None
    if not rate.is_finite() or rate <= 0:
        raise FeeError("fee_rate", "Tarif uang jasa harus lebih dari 0%.")
    cap_percent = min(Decimal(cap_percent), CAP_PERCENT)
    if rate > cap_percent:
        raise FeeError("fee_rate", f"Tarif uang jasa paling tinggi {rate_text(cap_percent)} dari harga transaksi "
                                   "(PP 24/2016 Pasal 32 ayat (1)).")
    if rate.normalize().as_tuple().exponent < -3:  # 1.0000 is 1
        raise FeeError("fee_rate", "Tarif uang jasa paling banyak tiga angka di belakang koma.")
    return rate


def value_check(raw, field: str = "value") -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise FeeError(field, "Harga transaksi harus berupa bilangan bulat rupiah.")
    if raw < 0:
        raise FeeError(field, "Harga transaksi tidak boleh negatif.")
    if raw > MAX_VALUE:
        raise FeeError(field, "Harga transaksi terlalu besar; periksa kembali angkanya.")
    return raw


def fee_quote(*, value: int, rate, fee: int | None = None, free: bool = False,
              cap_percent: Decimal = CAP_PERCENT) -> FeeQuote:
    """The fee for a transaction ``value`` at the office's ``rate``: the rate's fee rounded down,
    or a lower ``fee`` agreed with the applicant; never above 1 % of the value; 0 when ``free``."""
    value = value_check(value)
    rate = rate_check(rate, cap_percent)
    cap = cap_of(value, cap_percent)
    if free:
        if fee not in (None, 0):
            raise FeeError("fee", "Pemohon tidak mampu dilayani tanpa biaya; uang jasa harus 0.")
        return FeeQuote(value=value, rate=rate, cap=cap, fee=0, free=True)
    by_rate = _floor(value, rate)
    if fee is None:
        fee = by_rate
    if isinstance(fee, bool) or not isinstance(fee, int) or fee < 0:
        raise FeeError("fee", "Uang jasa harus berupa bilangan bulat rupiah, tidak negatif.")
    if fee > cap:
        raise FeeError("fee", f"Uang jasa Rp {thousands(fee)} melebihi batas "
                              f"{rate_text(min(Decimal(cap_percent), CAP_PERCENT))} dari harga transaksi "
                              f"(paling banyak Rp {thousands(cap)}; PP 24/2016 Pasal 32 ayat (1)).")
    if fee > by_rate:
        raise FeeError("fee", f"Uang jasa Rp {thousands(fee)} melebihi tarif kantor {rate_text(rate)} "
                              f"(paling banyak Rp {thousands(by_rate)}).")
    return FeeQuote(value=value, rate=rate, cap=cap, fee=fee, free=False)
