"""Checking what was typed for a deed case (akta tanah, service 17): the case and its parties at
intake, the amounts, and the sidang's time, place and witnesses. Pure functions over the typed
data; each returns clean values or raises InvalidInput naming every wrong field at once (in
Indonesian), so the acts in ``services`` never see raw input and nothing is half-saved.
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction

from django.utils import timezone

from loket.core import money
from loket.core.errors import InvalidInput
from loket.core.nik import NikError, nik_parse
from loket.deeds import fees
from loket.deeds.models import Case, Cause, DeedKind, PartyRole
from loket.offices.calendar import holidays_for_office, is_working_day
from loket.offices.models import Kelurahan, Office

SIGNING_AHEAD_DAYS = 366  # a sidang further ahead is a typing error
SIGNING_MINUTES = (30, 60, 90, 120)
SIGNING_HOURS = (dt.time(7, 30), dt.time(15, 30))  # a sidang lies within these (Asia/Jakarta)
MAX_PARTIES = 40
MAX_AREA_M2 = 100_000_000  # 10 000 ha: a larger number is a typing error
TEXT_MAX = {"name": 150, "address": 250, "proxy_name": 150, "proxy_letter": 120, "land_reference": 80,
            "land_address": 250, "note": 2000, "reason": 2000, "place": 150, "witness": 150, "to": 150,
            "number": 60}

# Who takes part in each deed, and which roles must be there (at least one each).
ROLES = {
    DeedKind.JUAL_BELI: ((PartyRole.PENJUAL, PartyRole.PEMBELI), (PartyRole.PENJUAL, PartyRole.PEMBELI)),
    DeedKind.TUKAR_MENUKAR: ((PartyRole.PENUKAR,), (PartyRole.PENUKAR,)),
    DeedKind.HIBAH: ((PartyRole.PEMBERI_HIBAH, PartyRole.PENERIMA_HIBAH),
                     (PartyRole.PEMBERI_HIBAH, PartyRole.PENERIMA_HIBAH)),
    DeedKind.INBRENG: ((PartyRole.PEMASUK, PartyRole.PERUSAHAAN), (PartyRole.PEMASUK, PartyRole.PERUSAHAAN)),
    DeedKind.PEMBAGIAN: ((PartyRole.PEMEGANG_HAK,), (PartyRole.PEMEGANG_HAK,)),
    DeedKind.HGB_HP: ((PartyRole.PEMILIK_HM, PartyRole.PENERIMA_HAK), (PartyRole.PEMILIK_HM, PartyRole.PENERIMA_HAK)),
    DeedKind.HAK_TANGGUNGAN: ((PartyRole.PEMBERI_HT, PartyRole.PEMEGANG_HT), (PartyRole.PEMBERI_HT, PartyRole.PEMEGANG_HT)),
    DeedKind.SKMHT: ((PartyRole.PEMBERI_KUASA, PartyRole.PENERIMA_KUASA),
                     (PartyRole.PEMBERI_KUASA, PartyRole.PENERIMA_KUASA)),
    DeedKind.PENYERAHAN: ((PartyRole.PENYERAH_HAK, PartyRole.PENERIMA_HAK),
                          (PartyRole.PENYERAH_HAK, PartyRole.PENERIMA_HAK)),
    DeedKind.SERTIFIKAT: ((PartyRole.PEMOHON,), (PartyRole.PEMOHON,)),
}
# A pembagian hak bersama that divides an inheritance: the deceased and the heirs.
INHERITANCE_ROLES = ((PartyRole.PEWARIS, PartyRole.AHLI_WARIS), (PartyRole.PEWARIS, PartyRole.AHLI_WARIS))
SHARED = {DeedKind.PEMBAGIAN: PartyRole.PEMEGANG_HAK}  # shares add up to 1
CAUSED = (DeedKind.PEMBAGIAN,)  # the deeds that may divide an inheritance


def roles_of(kind: str, cause: str = "") -> tuple[tuple, tuple, str | None]:
    """(allowed roles, needed roles, the role that carries shares) of a deed."""
    if cause == Cause.WARISAN:
        return (*INHERITANCE_ROLES, PartyRole.AHLI_WARIS)
    allowed, needed = ROLES[DeedKind(kind)]
    return allowed, needed, SHARED.get(kind)


def text(errors, data, field, label, *, required=True, limit=None) -> str:
    """One text field, stripped; a problem is added to ``errors`` under the field."""
    value = str(data.get(field) or "").strip()
    limit = limit or TEXT_MAX.get(field, 250)
    if required and not value:
        errors.setdefault(field, []).append(f"{label} wajib diisi.")
    elif len(value) > limit:
        errors.setdefault(field, []).append(f"{label} paling panjang {limit} karakter.")
    return value


def whole(errors, data, field, label, *, lo=0, hi=fees.MAX_VALUE) -> int | None:
    """A whole number (an amount in rupiah, an area, a year) within lo..hi."""
    raw = data.get(field)
    if isinstance(raw, str):
        try:  # 150000000 or 150.000.000 (1.5 is no rupiah amount); the label's message below otherwise
            raw = money.rupiah_parse(raw)
        except money.AmountError:
            pass
    if isinstance(raw, bool) or not isinstance(raw, int):
        errors.setdefault(field, []).append(f"{label} harus berupa bilangan bulat.")
        return None
    if not lo <= raw <= hi:
        errors.setdefault(field, []).append(f"{label} harus antara {money.thousands(lo)} dan {money.thousands(hi)}.")
        return None
    return raw


def _share(raw) -> Fraction | None | str:
    text = str(raw or "").strip().replace(" ", "")
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,6})/(\d{1,6})", text)
    if not m or int(m[1]) < 1 or int(m[2]) < 1 or int(m[1]) > int(m[2]):
        return "error"
    return Fraction(int(m[1]), int(m[2]))


def parties_clean(kind: str, raw: list, today: dt.date, cause: str = "") -> tuple[list[dict], dict[str, list[str]]]:
    """The parties as typed → rows for Party, and field errors keyed ``parties[i].field``."""
    errors: dict[str, list[str]] = {}
    if not isinstance(raw, list) or not raw:
        return [], {"parties": ["Para pihak wajib diisi."]}
    if len(raw) > MAX_PARTIES:
        return [], {"parties": [f"Paling banyak {MAX_PARTIES} pihak dalam satu akta."]}
    allowed, needed, shared_role = roles_of(kind, cause)
    label = DeedKind(kind).label + (" karena pewarisan" if cause == Cause.WARISAN else "")
    rows = []
    for i, p in enumerate(raw):
        p = p if isinstance(p, dict) else {}
        e: dict[str, list[str]] = {}
        role = str(p.get("role") or "")
        if role not in allowed:
            names = ", ".join(PartyRole(r).label.lower() for r in allowed)
            e.setdefault("role", []).append(f"Peran pihak pada {label} hanya: {names}.")
        row = {"role": role, "order": i,
               "name": text(e, p, "name", "Nama"), "address": text(e, p, "address", "Alamat", required=False),
               "proxy_name": text(e, p, "proxy_name", "Nama penerima kuasa", required=False),
               "proxy_letter": text(e, p, "proxy_letter", "Surat kuasa", required=False)}
        try:
            row["nik"] = nik_parse(str(p.get("nik") or ""), today=today).nik
        except NikError as exc:
            e.setdefault("nik", []).append(str(exc))
        if bool(row["proxy_name"]) != bool(row["proxy_letter"]):
            e.setdefault("proxy_letter", []).append("Kuasa diisi bersama surat kuasanya (nomor dan tanggal).")
        if role == PartyRole.PEWARIS and row["proxy_name"]:
            e.setdefault("proxy_name", []).append("Pewaris telah meninggal; kuasa tidak berlaku.")
        share = _share(p.get("share"))
        if share == "error":
            e.setdefault("share", []).append("Bagian ditulis sebagai pecahan, mis. 1/3.")
        elif share is not None and shared_role != role:
            e.setdefault("share", []).append("Bagian hanya untuk ahli waris atau pemegang hak bersama.")
        elif share is None and shared_role == role:
            e.setdefault("share", []).append("Bagian wajib diisi, mis. 1/3.")
        else:
            row["share"] = share
        for field, msgs in e.items():
            errors[f"parties[{i}].{field}"] = msgs
        rows.append(row)
    present = {r["role"] for r in rows}
    for role in needed:
        if role not in present:
            errors.setdefault("parties", []).append(f"{label} memerlukan {PartyRole(role).label.lower()}.")
    if cause == Cause.WARISAN and sum(r["role"] == PartyRole.PEWARIS for r in rows) > 1:
        errors.setdefault("parties", []).append("Satu akta pembagian karena pewarisan untuk satu pewaris.")
    if kind == DeedKind.PEMBAGIAN and not cause and sum(r["role"] == PartyRole.PEMEGANG_HAK for r in rows) < 2:
        errors.setdefault("parties", []).append("Pembagian hak bersama memerlukan paling sedikit dua pemegang hak.")
    shared = [r["share"] for r in rows if isinstance(r.get("share"), Fraction)]
    if kind == DeedKind.TUKAR_MENUKAR and sum(r["role"] == PartyRole.PENUKAR for r in rows) < 2:
        errors.setdefault("parties", []).append("Tukar menukar memerlukan paling sedikit dua pihak yang bertukar.")
    if shared_role and shared and not errors and sum(shared) != 1:
        errors.setdefault("parties", []).append(f"Jumlah bagian harus 1; yang diisi {sum(shared)}.")
    niks = [r.get("nik") for r in rows if r.get("nik")]
    if len(niks) != len(set(niks)):
        errors.setdefault("parties", []).append("Satu NIK hanya boleh muncul sekali.")
    return rows, errors


def case_clean(*, office: Office, data: dict, today: dt.date) -> tuple[dict, list[dict]]:
    """Check the case as typed; InvalidInput with every problem at once."""
    errors: dict[str, list[str]] = {}
    kind = str(data.get("deed_kind") or "")
    if kind not in DeedKind.values:
        errors["deed_kind"] = ["Jenis akta tidak dikenal."]
    cause = str(data.get("cause") or "")
    if cause not in Cause.values:
        errors["cause"] = ["Sebab perolehan tidak dikenal (kosong atau warisan)."]
    elif cause and kind not in CAUSED:
        errors["cause"] = ["Pewarisan dibagi dengan Akta Pembagian Hak Bersama; pilih jenis akta itu."]
    c = {"deed_kind": kind, "cause": cause}
    title = str(data.get("land_title") or "")
    if title not in Case.LandTitle.values:
        errors["land_title"] = ["Alas hak tidak dikenal (Letter C/ persil atau jenis sertifikat)."]
    c["land_title"] = title
    c["land_reference"] = text(errors, data, "land_reference", "Nomor Letter C/ persil atau sertifikat")
    c["land_address"] = text(errors, data, "land_address", "Letak tanah", required=False)
    kel = str(data.get("kelurahan") or "").strip()
    c["kelurahan"] = Kelurahan.objects.filter(office=office, code=kel).first() if kel else None
    if c["kelurahan"] is None:
        errors["kelurahan"] = ["Kelurahan letak tanah harus salah satu kelurahan kecamatan ini."]
    c["area_m2"] = whole(errors, data, "area_m2", "Luas tanah (m²)", lo=1, hi=MAX_AREA_M2)
    nop = re.sub(r"[.\-\s]", "", str(data.get("nop") or ""))
    if not re.fullmatch(r"\d{18}", nop):
        errors["nop"] = ["NOP PBB harus 18 angka, mis. 35.77.010.001.001-0001.0."]
    c["nop"] = nop
    c["njop"] = whole(errors, data, "njop", "NJOP")
    c["value"] = whole(errors, data, "value", "Harga transaksi/ nilai perolehan")
    if kind == DeedKind.JUAL_BELI and c["value"] == 0:
        # A sale has a price (KUHPerdata Pasal 1457: jual beli is a transfer "untuk membayar harga");
        # 0 is a typing error, and would also make the fee and the SSB/SSP thresholds meaningless.
        errors.setdefault("value", []).append("Harga jual beli wajib diisi dan lebih dari 0.")
    c["note"] = text(errors, data, "note", "Catatan", required=False)
    parties = []
    if kind in DeedKind.values and "cause" not in errors:
        parties, party_errors = parties_clean(kind, data.get("parties"), today, cause)
        errors.update(party_errors)
    if errors:
        raise InvalidInput(errors)
    return c, parties


def signing_clean(data: dict, now: dt.datetime, office_id: int) -> dict:
    """The sidang as typed: place, two different witnesses, a whole or half hour on a working
    day within office hours, at most a year ahead."""
    errors: dict[str, list[str]] = {}
    out = {"place": text(errors, data, "place", "Tempat sidang"),
           "witness_1": text(errors, data, "witness_1", "Saksi pertama", limit=TEXT_MAX["witness"]),
           "witness_2": text(errors, data, "witness_2", "Saksi kedua", limit=TEXT_MAX["witness"])}
    if out["witness_1"] and out["witness_1"].casefold() == out["witness_2"].casefold():
        errors.setdefault("witness_2", []).append("Dua saksi harus dua orang yang berbeda.")
    minutes = data.get("minutes", 60)
    if isinstance(minutes, str) and minutes.strip().isdigit():
        minutes = int(minutes.strip())
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        minutes = None
    if minutes not in SIGNING_MINUTES:
        errors["minutes"] = ["Lama sidang 30, 60, 90 atau 120 menit."]
    raw = data.get("starts_at")
    starts = None
    if isinstance(raw, dt.datetime):
        starts = raw
    elif isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", raw.strip()):
        try:
            starts = dt.datetime.fromisoformat(raw.strip().replace(" ", "T"))
        except ValueError:
            starts = None
    if starts is None:
        errors["starts_at"] = ["Waktu sidang harus berupa tanggal dan jam, YYYY-MM-DD HH:MM."]
    else:
        if timezone.is_naive(starts):
            starts = timezone.make_aware(starts, timezone.get_default_timezone())
        local = timezone.localtime(starts)
        if local.minute % 30 or local.second or local.microsecond:
            errors["starts_at"] = ["Sidang dimulai pada jam atau setengah jam (mis. 09:00, 09:30)."]
        elif starts <= now:
            errors["starts_at"] = ["Waktu sidang harus setelah sekarang."]
        elif starts > now + dt.timedelta(days=SIGNING_AHEAD_DAYS):
            errors["starts_at"] = ["Sidang dijadwalkan paling lama satu tahun ke depan."]
        elif minutes in SIGNING_MINUTES and not (
                SIGNING_HOURS[0] <= local.time() and (local + dt.timedelta(minutes=minutes)).time() <= SIGNING_HOURS[1]
                and (local + dt.timedelta(minutes=minutes)).date() == local.date()):
            errors["starts_at"] = ["Sidang berlangsung dalam jam kerja, 07.30–15.30."]
        elif not is_working_day(local.date(), holidays_for_office(office_id, years=[local.year])):
            errors["starts_at"] = ["Sidang diadakan pada hari kerja (Senin–Jumat, bukan hari libur)."]
    if errors:
        raise InvalidInput(errors)
    out.update(starts_at=starts, minutes=minutes)
    return out
