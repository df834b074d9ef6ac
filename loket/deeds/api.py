"""Akta tanah (service 17, the Camat as PPAT Sementara) endpoints, for staff only (token or
session): the cases and their acts, the fee quote, and the Camat's calendar of sidang. Every
rule lives in loket.deeds.services/ selectors/ fees; this module only translates JSON to the
acts and the results back.

Every staff member of the office reads; the acts are for the role the procedure names
(intake and forwarding: front office; tax proofs, pauses, the sidang, the register and the
hand over: Petugas PPAT; validation: Kasi Pemerintahan; signing: the Camat) — the services
decide (403). Wrong state → 409, the Camat already holding a sidang at that time → 409, bad
input → 400 with field errors, unknown code (or another office's code) → 404.

The parties' NIK is shown in full only to the roles that handle deeds (front office, Petugas
PPAT, Kasi Pemerintahan, Camat); everyone else sees it masked (loket.core.nik.nik_mask)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from loket.api.auth import staff_auth, staff_office
from loket.api.idempotency import idempotent
from loket.api.schemas import ErrorOut, FieldErrorsOut
from loket.core.inputs import InputProblem, date_parse
from loket.deeds import fees, policy, selectors, services
from loket.deeds.models import Case, CaseItem, Cause, CertificateCheck, DeedKind, PartyRole, Signing, TaxProof, Transition
from loket.core import codes, flow
from loket.core.nik import nik_mask
from loket.core.errors import InvalidInput
from loket.deeds.taxes import pbb_years, taxes_missing
from loket.privacy.models import Access
from loket.privacy.services import access_record_lines, shown_fields

router = Router(tags=["Akta Tanah (PPAT)"])

LIST_MAX = 500
CALENDAR_MAX_DAYS = 62
# The roles that handle deeds see the parties' NIK in full; every other role sees it masked.


def _enum(values, description: str = "") -> dict:
    """A string documented with its allowed values, checked by the service (Indonesian message;
    a Literal would give pydantic's English one)."""
    return {"json_schema_extra": {"enum": list(values)}, "description": description}


def _values(choices) -> str:
    return "Salah satu dari: " + ", ".join(choices.values) + "."


# --- input --------------------------------------------------------------------------------------

class DeedPartyIn(Schema):
    role: str = Field(..., **_enum(PartyRole.values,
                                   "Peran pihak; yang boleh tergantung jenis akta (jual_beli: penjual, pembeli; tukar_menukar: "
                                   "penukar (paling sedikit dua); hibah: pemberi_hibah, penerima_hibah; inbreng: "
                                   "pemasuk, perusahaan; pembagian: pemegang_hak, atau bila cause=warisan: pewaris, "
                                   "ahli_waris; hgb_hp_atas_hm: pemilik_hm, penerima_hak; hak_tanggungan: pemberi_ht, "
                                   "pemegang_ht; skmht: pemberi_kuasa, penerima_kuasa; penyerahan: penyerah_hak, "
                                   "penerima_hak; sertifikat: pemohon)."))
    name: str = Field(..., description="Nama lengkap (paling panjang 150 karakter).")
    nik: str = Field(..., description="NIK, 16 angka.")
    address: str = Field("", description="Alamat (paling panjang 250 karakter).")
    share: str = Field("", description="Bagian, sebagai pecahan (mis. 1/2): wajib untuk ahli waris dan pemegang hak "
                                       "bersama, dan jumlahnya harus 1; kosong untuk peran lain.")
    proxy_name: str = Field("", description="Nama penerima kuasa, bila pihak ini dikuasakan (tidak untuk pewaris).")
    proxy_letter: str = Field("", description="Surat kuasa bermaterai: nomor dan tanggal (wajib bersama penerima kuasa).")


class DeedCaseIn(Schema):
    """Berkas akta yang diterima front office."""

    deed_kind: str = Field(..., **_enum(DeedKind.values, "Jenis akta (PP 37/1998 Pasal 2 ayat (2)); tidak ada akta "
                                                         "waris: warisan dibagi dengan `pembagian` dan cause=warisan."))
    cause: str = Field("", **_enum(Cause.values, "Sebab perolehan: kosong, atau `warisan` untuk pembagian hak bersama "
                                                 "harta warisan (ambang pajak berbeda)."))
    land_title: str = Field(..., **_enum(Case.LandTitle.values,
                                         "Alas hak: letter_c (Letter C/ Petok D/ persil, belum bersertifikat), "
                                         "shm, shgb atau shp."))
    land_reference: str = Field(..., description="Nomor Letter C/ persil atau nomor sertifikat (paling panjang 80).")
    kelurahan: str = Field(..., description="Kode kelurahan letak tanah (kelurahan kecamatan ini), mis. 35.77.01.1001.")
    land_address: str = Field("", description="Letak tanah (jalan, RT/ RW).")
    area_m2: int = Field(..., description="Luas tanah (m²).")
    nop: str = Field(..., description="Nomor Objek Pajak PBB, 18 angka (titik dan tanda hubung boleh).")
    njop: int = Field(..., description="NJOP tanah dan bangunan menurut SPPT PBB (rupiah).")
    value: int = Field(..., description="Harga transaksi/ nilai perolehan yang ditulis dalam akta (rupiah); "
                                        "jual beli: lebih dari 0.")
    fee: int | None = Field(None, description="Uang jasa PPAT yang disepakati (rupiah); kosong = menurut tarif kantor. "
                                              "Paling banyak 1% dari harga transaksi (PP 24/2016 Pasal 32 ayat (1)).")
    fee_free: bool = Field(False, description="Pemohon tidak mampu: dilayani tanpa biaya (PP 24/2016 Pasal 32 ayat (2)).")
    note: str = Field("", description="Catatan internal.")
    parties: list[DeedPartyIn] = Field(..., description="Para pihak, berurutan.")
    present: list[int] = Field([], description="Id persyaratan yang diserahkan (dari `checklist` standar pelayanan).")
    originals: list[int] = Field([], description="Id persyaratan yang aslinya sudah ditunjukkan.")


class DeedCaseActIn(Schema):
    """One body for every act; each act reads only its own fields (see the operation's description)."""

    present: list[int] = Field([], description="resubmit: id persyaratan yang (kini) diserahkan, seluruhnya.")
    originals: list[int] = Field([], description="resubmit: id persyaratan yang aslinya sudah ditunjukkan.")
    # "" (the default, for the other acts) is part of the enum: a default outside it breaks the schema.
    kind: str = Field("", **_enum(["", *TaxProof.Kind.values],
                                  "taxproof: pbb (pelunasan PBB), bphtb (SSB) atau pph (SSP); kosong untuk tindakan lain."))
    year: int | None = Field(None, description="taxproof: tahun pajak, hanya untuk pelunasan PBB.")
    number: str = Field("", description="taxproof: nomor bukti (STTS, NTPD, NTPN).")
    paid_on: str = Field("", description="taxproof: tanggal bayar, TTTT-BB-HH (tidak boleh setelah hari ini).")
    amount: int | None = Field(None, description="taxproof: jumlah dibayar (rupiah).")
    checked_on: str = Field("", description="certcheck: tanggal pengecekan sertipikat di Kantor Pertanahan, TTTT-BB-HH.")
    result: str = Field("", **_enum(["", *CertificateCheck.Result.values],
                                    "certcheck: sesuai atau tidak_sesuai (tidak_sesuai: note wajib)."))
    delivered_on: str = Field("", description="deliver: tanggal penyampaian akta ke Kantor Pertanahan, TTTT-BB-HH.")
    receipt: str = Field("", description="deliver: nomor tanda terima Kantor Pertanahan.")
    reason: str = Field("", description="wait: kekurangan yang diminta dari pemohon (wajib); "
                                        "withdraw: alasan pembatalan (wajib).")
    note: str = Field("", description="resume: catatan; certcheck: keterangan hasil pengecekan.")
    starts_at: str = Field("", description="schedule: waktu mulai sidang, TTTT-BB-HH JJ:MM (waktu setempat, "
                                           "Asia/Jakarta), pada jam atau setengah jam, hari kerja 07.30–15.30.")
    minutes: int = Field(60, description="schedule: lama sidang, 30, 60, 90 atau 120 menit.")
    place: str = Field("", description="schedule: tempat sidang.")
    witness_1: str = Field("", description="schedule: saksi pertama.")
    witness_2: str = Field("", description="schedule: saksi kedua (orang yang berbeda).")
    to: str = Field("", description="handover: nama yang menerima akta.")


class DeedFeeIn(Schema):
    value: int = Field(..., description="Harga transaksi/ nilai perolehan (rupiah).")
    fee: int | None = Field(None, description="Uang jasa yang hendak disepakati (rupiah); kosong = menurut tarif kantor.")
    free: bool = Field(False, description="Pemohon tidak mampu: tanpa biaya.")


# --- output -------------------------------------------------------------------------------------

class DeedClockOut(Schema):
    target_at: dt.datetime = Field(..., description="Target (14 hari sejak berkas lengkap), digeser lamanya jeda.")
    limit_at: dt.datetime = Field(..., description="Batas (60 hari sejak berkas lengkap), digeser lamanya jeda.")
    paused_days: int = Field(..., description="Hari jam berhenti selama menunggu kelengkapan pemohon.")
    elapsed_days: int = Field(..., description="Hari berjalan, tanpa jeda.")
    running: bool = Field(..., description="false selama menunggu pemohon atau setelah selesai.")
    status: Literal["ok", "late", "over"] = Field(..., description="ok; late: lewat target; over: lewat batas.")


class DeedCaseSummaryOut(Schema):
    code: str
    deed_kind: str
    deed_kind_label: str
    cause: str = Field(..., description="Kosong, atau `warisan` (pembagian hak bersama harta warisan).")
    state: str
    state_label: str
    land_title: str
    kelurahan: str = Field(..., description="Kode kelurahan letak tanah.")
    kelurahan_name: str
    land_reference: str
    value: int = Field(..., description="Harga transaksi (rupiah).")
    fee: int = Field(..., description="Uang jasa PPAT (rupiah).")
    received_at: dt.datetime
    clock: DeedClockOut | None = Field(..., description="Jangka waktu; kosong selama berkas belum pernah lengkap.")
    register_number: str | None = Field(..., description="Nomor akta di Buku Register PPAT (n/tttt), sejak dicatat.")


class DeedPartyOut(Schema):
    role: str
    role_label: str
    name: str
    nik: str = Field(..., description="Lengkap untuk front office, Petugas PPAT, Kasi Pemerintahan dan Camat; "
                                      "disamarkan untuk yang lain.")
    address: str
    share: str = Field(..., description="Bagian (pecahan), kosong bila tidak ada.")
    proxy_name: str
    proxy_letter: str


class DeedChecklistItemOut(Schema):
    requirement: int = Field(..., description="Id persyaratan.")
    text: str
    present: bool
    original_shown: bool
    show_original: bool = Field(..., description="Aslinya wajib ditunjukkan.")


class DeedTaxProofOut(Schema):
    kind: str
    kind_label: str
    year: int = Field(..., description="Tahun pajak PBB; 0 untuk SSB/ SSP.")
    number: str
    paid_on: dt.date
    amount: int
    recorded_by: str
    recorded_at: dt.datetime


class DeedCertificateCheckOut(Schema):
    checked_on: dt.date
    result: str = Field(..., description="sesuai atau tidak_sesuai.")
    note: str


class DeedSigningOut(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    minutes: int
    place: str
    witnesses: list[str] = Field(..., description="Dua saksi (PP 24/1997 Pasal 38 ayat (1)).")


class DeedStepOut(Schema):
    at: dt.datetime
    from_state: str
    to_state: str
    actor: str
    note: str
    missing: list[str]


class DeedFeeOut(Schema):
    rate: str = Field(..., description="Tarif kantor, persen dari harga transaksi (mis. \"1\" atau \"0.5\").")
    cap: int = Field(..., description="Paling banyak: 1% dari harga transaksi, dibulatkan ke bawah (rupiah).")
    fee: int
    free: bool
    notes: list[str]


class DeedFeeQuoteOut(DeedFeeOut):
    value: int


class DeedCaseDetailOut(DeedCaseSummaryOut):
    land_title_label: str
    land_address: str
    area_m2: int
    nop: str
    njop: int
    by_proxy: bool
    note: str
    parties: list[DeedPartyOut]
    checklist: list[DeedChecklistItemOut]
    tax_proofs: list[DeedTaxProofOut]
    taxes_missing: list[str] = Field(..., description="Bukti pajak yang belum dicatat; validasi menunggu sampai kosong.")
    pbb_years: list[int] = Field(..., description="Tahun pajak PBB yang pelunasannya diperlukan (tiga tahun terakhir).")
    certificate_checks: list[DeedCertificateCheckOut] = Field(
        ..., description="Pengecekan sertipikat di Kantor Pertanahan (PP 24/1997 Pasal 39); yang terakhir menentukan.")
    signing: DeedSigningOut | None = Field(..., description="Sidang yang dijadwalkan, bila ada.")
    handed_over_to: str
    delivered_on: dt.date | None = Field(..., description="Disampaikan ke Kantor Pertanahan (PP 24/1997 Pasal 40 ayat (1)).")
    delivery_receipt: str = Field(..., description="Nomor tanda terima Kantor Pertanahan.")
    delivery_due: dt.date | None = Field(..., description="Hari kerja ke-7 sesudah penandatanganan: batas penyampaian.")
    withdraw_reason: str
    history: list[DeedStepOut]
    fee_detail: DeedFeeOut = Field(..., description="Uang jasa PPAT: tarif, batas 1%, jumlah, catatan.")
    allowed_acts: list[str] = Field(..., description="Tindakan yang boleh dilakukan pemanggil sekarang.")


class DeedCalendarEntryOut(Schema):
    code: str
    deed_kind: str
    deed_kind_label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str


# --- helpers ------------------------------------------------------------------------------------

def _who(user) -> str:
    return user.get_full_name() or user.username


def _rate(rate: Decimal) -> str:
    return format(Decimal(rate).normalize(), "f")


def _clock_out(case: Case, now: dt.datetime) -> dict | None:
    c = selectors.clock(case, now=now)
    if c is None:
        return None
    return {"target_at": c.target_at, "limit_at": c.limit_at, "paused_days": c.paused.days,
            "elapsed_days": c.elapsed_days, "running": c.running, "status": c.state(now)}


def summary_out(case: Case, now: dt.datetime) -> dict:
    return {
        "code": case.code, "deed_kind": case.deed_kind, "deed_kind_label": case.kind_label,
        "cause": case.cause, "state": case.state, "state_label": case.get_state_display(), "land_title": case.land_title,
        "kelurahan": case.kelurahan.code, "kelurahan_name": case.kelurahan.name, "land_reference": case.land_reference,
        "value": case.value, "fee": case.fee, "received_at": case.received_at, "clock": _clock_out(case, now),
        "register_number": case.register_entry.number_display if case.register_entry_id else None,
    }


def _fee_out(q: fees.FeeQuote) -> dict:
    return {"rate": _rate(q.rate), "cap": q.cap, "fee": q.fee, "free": q.free, "notes": q.notes}


def detail_out(case: Case, user) -> dict:
    full = policy.may_read_personal(user)
    parties = list(case.parties.all())
    # whatever the call, the answer shows the parties' addresses (and NIK in full to ``full``)
    access_record_lines(actor=user, office_id=case.office_id, kind=Access.Kind.DEED, purpose="API akta",
                        fields=shown_fields(nik=full, alamat=True), lines=[(case.code, p.nik) for p in parties])
    signing = case.live_signings[0] if case.live_signings else None
    quote = fees.quote_of(case)
    return {
        **summary_out(case, timezone.now()),
        "land_title_label": case.get_land_title_display(), "land_address": case.land_address, "area_m2": case.area_m2,
        "nop": case.nop, "njop": case.njop, "by_proxy": case.by_proxy, "note": case.note,
        "parties": [
            {"role": p.role, "role_label": p.get_role_display(), "name": p.name,
             "nik": p.nik if full else nik_mask(p.nik), "address": p.address, "share": p.share_display,
             "proxy_name": p.proxy_name, "proxy_letter": p.proxy_letter}
            for p in parties
        ],
        "checklist": [
            {"requirement": i.requirement_id, "text": i.requirement.text, "present": i.present,
             "original_shown": i.original_shown, "show_original": i.requirement.show_original}
            for i in case.items.all()
        ],
        "tax_proofs": [
            {"kind": t.kind, "kind_label": t.get_kind_display(), "year": t.year, "number": t.number,
             "paid_on": t.paid_on, "amount": t.amount, "recorded_by": _who(t.recorded_by), "recorded_at": t.recorded_at}
            for t in case.tax_proofs.all()
        ],
        "taxes_missing": taxes_missing(case),
        "pbb_years": pbb_years(case),
        "certificate_checks": [{"checked_on": c.checked_on, "result": c.result, "note": c.note}
                               for c in case.certificate_checks.all()],
        "signing": None if signing is None else {
            "starts_at": signing.starts_at, "ends_at": signing.ends_at, "minutes": signing.minutes,
            "place": signing.place, "witnesses": [signing.witness_1, signing.witness_2]},
        "handed_over_to": case.handed_over_to, "withdraw_reason": case.withdraw_reason,
        "delivered_on": case.delivered_on, "delivery_receipt": case.delivery_receipt,
        "delivery_due": selectors.delivery_due(case),
        "history": [
            {"at": t.at, "from_state": t.from_state, "to_state": t.to_state, "actor": _who(t.actor), "note": t.note,
             "missing": t.missing}
            for t in case.transitions.all()
        ],
        "fee_detail": _fee_out(quote),
        "allowed_acts": sorted(policy.acts_allowed(case, user)),
    }


def _read(request, code: str) -> Case:
    """The case in the caller's office, with all that the detail shows: 404 for an unknown code
    and for another office's."""
    case = (selectors.cases(office=staff_office(request))
            .prefetch_related(Prefetch("items", queryset=CaseItem.objects.select_related("requirement")),
                              Prefetch("tax_proofs", queryset=TaxProof.objects.select_related("recorded_by")),
                              "certificate_checks",
                              Prefetch("transitions", queryset=Transition.objects.select_related("actor")),
                              Prefetch("signings", queryset=Signing.objects.filter(cancelled=False),
                                       to_attr="live_signings"))
            .filter(code=codes.normalise(code)).first())
    if case is None:
        raise Http404(f"Berkas akta {code} tidak ditemukan.")
    return case


def _code_in_office(request, code: str) -> str:
    """The case's code, in one query, when it is a case of the caller's office; 404 otherwise
    (before any act checks the role: another office's codes are not revealed by a 403)."""
    found = (Case.objects.filter(office=staff_office(request), code=codes.normalise(code))
             .values_list("code", flat=True).first())
    if found is None:
        raise Http404(f"Berkas akta {code} tidak ditemukan.")
    return found


def _date(value: str, field: str) -> dt.date:
    try:
        day = date_parse(value, label="Tanggal")
    except InputProblem as exc:
        raise InvalidInput({field: [str(exc)]}) from None
    if day is None:
        raise InvalidInput({field: ["Wajib diisi."]})
    return day


ERRORS = {400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


# --- endpoints ----------------------------------------------------------------------------------

@router.get(
    "/deeds/cases/", auth=staff_auth, url_name="deed_cases",
    response={200: list[DeedCaseSummaryOut], 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut},
    summary="Daftar berkas akta tanah kantor",
    description=(
        f"Terbaru dulu, paling banyak {LIST_MAX}. `state`: hanya berkas berstatus itu; `overdue=true`: hanya berkas "
        "terbuka yang lewat target (14 hari) atau batas (60 hari) jangka waktu, yang paling lama dulu. Jangka waktu "
        "(`clock`) berhenti selama menunggu kelengkapan pemohon. Untuk semua pegawai kantor; tanpa data pribadi para "
        "pihak (lihat detail berkas)."
    ),
)
def deed_case_list(
    request,
    state: str | None = Query(None, description=_values(Case.State)),
    overdue: bool = Query(False, description="Hanya berkas terbuka yang lewat target atau batas jangka waktu."),
):
    office = staff_office(request)
    if state and state not in Case.State.values:
        raise InvalidInput({"state": [f"Status harus salah satu dari: {', '.join(Case.State.values)}."]})
    now = timezone.now()
    if overdue:
        rows = [case for case, _ in selectors.overdue(office=office, now=now) if not state or case.state == state]
    else:
        rows = selectors.cases(office=office, states=[state] if state else None)
    return [summary_out(case, now) for case in rows[:LIST_MAX]]


@router.post(
    "/deeds/cases/", auth=staff_auth, url_name="deed_cases", response={201: DeedCaseDetailOut, **ERRORS},
    summary="Terima berkas akta tanah (front office)",
    description=(
        "Untuk petugas pelayanan (front office); 403 untuk peran lain. Berkas memuat jenis akta, tanah (alas hak, "
        "nomor, kelurahan, luas, NOP dan NJOP), harga transaksi, uang jasa PPAT dan para pihak (dengan NIK; bagian "
        "ahli waris/ pemegang hak bersama sebagai pecahan yang jumlahnya 1; kuasa dengan surat kuasanya). Daftar "
        "periksa diambil dari persyaratan layanan akta tanah pada standar pelayanan yang berlaku, hanya yang berlaku "
        "untuk jenis akta itu. Lengkap (`present`/`originals`) → status *received* dan jangka waktu mulai berjalan; "
        "belum lengkap → *returned* dengan daftar kekurangan (kirim lagi dengan `resubmit`). Uang jasa paling banyak "
        "1% dari harga transaksi (PP 24/2016 Pasal 32). 400 dengan pesan per isian (para pihak: "
        "`parties[i].field`); tidak ada yang disimpan."
    ),
)
@idempotent
def deed_case_create(request, payload: DeedCaseIn):
    office = staff_office(request)
    data = payload.dict()
    present, originals = data.pop("present"), data.pop("originals")
    case = services.case_intake(office=office, actor=request.user, data=data, present=present, originals=originals)
    return Status(201, detail_out(_read(request, case.code), request.user))


@router.get(
    "/deeds/cases/{code}/", auth=staff_auth, url_name="deed_case", response={200: DeedCaseDetailOut, **ERRORS},
    summary="Baca berkas akta tanah (para pihak, daftar periksa, bukti pajak, sidang, riwayat, uang jasa)",
    description=(
        "Untuk semua pegawai kantor; NIK para pihak lengkap hanya untuk front office, Petugas PPAT, Kasi "
        "Pemerintahan dan Camat, disamarkan untuk yang lain. `allowed_acts`: tindakan yang boleh dilakukan "
        "pemanggil sekarang. 404 untuk kode yang tidak dikenal atau milik kantor lain."
    ),
)
def deed_case_detail(request, code: str):
    return detail_out(_read(request, code), request.user)


Action = Literal["resubmit", "forward", "taxproof", "certcheck", "wait", "resume", "validate", "schedule", "sign", "register",
                 "handover", "deliver", "withdraw"]


@router.post(
    "/deeds/cases/{code}/{action}/", auth=staff_auth, url_name="deed_case_act",
    response={200: DeedCaseDetailOut, **ERRORS},
    summary="Tindakan atas berkas akta tanah",
    description=(
        "Front office: resubmit (present, originals: kelengkapan yang dibawa kembali) · forward (ke Petugas PPAT). "
        "Petugas PPAT: taxproof (kind, year untuk PBB, number, paid_on, amount: bukti pelunasan PBB tiga tahun "
        "terakhir, SSB BPHTB, SSP PPh) · certcheck (checked_on, result, note: pengecekan sertipikat di Kantor "
        "Pertanahan; tanpa hasil sesuai akta tidak dapat ditandatangani) · wait (reason: jam berhenti sampai pemohon melengkapi) · resume (note) · "
        "schedule (starts_at, minutes, place, witness_1, witness_2: sidang dengan Camat, para pihak dan dua saksi; "
        "memindahkan sidang yang sudah ada) · register (nomor akta di Buku Register PPAT) · deliver (delivered_on, receipt: "
        "penyampaian ke Kantor Pertanahan paling lambat 7 hari kerja sesudah ditandatangani, PP 24/1997 Pasal 40 "
        "ayat (1)) · handover (to: diserahkan "
        "untuk diteruskan ke kantor pertanahan). Kasi Pemerintahan: validate (bukti pajak harus lengkap). Camat: "
        "sign (sejak sidang dimulai; penandatangan harus memegang SK PPAT Sementara yang berlaku; pengecekan "
        "sertipikat terakhir harus sesuai). Front office atau Petugas PPAT: withdraw (reason; sebelum ditandatangani). "
        "403 untuk peran lain; 409 bila status tidak memungkinkan atau Camat sudah dijadwalkan sidang lain pada "
        "waktu itu; 404 untuk kode kantor lain."
    ),
)
@idempotent
def deed_case_act(request, code: str, action: Action, payload: DeedCaseActIn | None = None):
    p = payload or DeedCaseActIn()
    code = _code_in_office(request, code)  # 404 before 403 for a code of another office
    user = request.user
    data = p.model_dump()
    data["data"] = {k: data[k] for k in ("starts_at", "minutes", "place", "witness_1", "witness_2")}  # the sidang
    flow.perform(services.RUN, action, code=code, actor=user, data=data)
    return detail_out(_read(request, code), user)


@router.post(
    "/deeds/fee/", auth=staff_auth, url_name="deed_fee",
    response={200: DeedFeeQuoteOut, 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut},
    summary="Hitung uang jasa PPAT untuk suatu harga transaksi",
    description=(
        "Menurut tarif kantor (persen dari harga transaksi, dibulatkan ke bawah) dengan batas 1% (PP 24/2016 Pasal 32 "
        "ayat (1), termasuk uang jasa saksi). `fee`: jumlah yang hendak disepakati, paling banyak tarif kantor dan "
        "batas itu (400 bila lebih). `free`: pemohon tidak mampu, tanpa biaya (ayat (2)). Tidak menyimpan apa pun."
    ),
)
def deed_fee(request, payload: DeedFeeIn):
    office = staff_office(request)
    q = services.fee_for(office=office, value=payload.value, fee=payload.fee, free=payload.free)
    return {"value": q.value, **_fee_out(q)}


@router.get(
    "/deeds/calendar/", auth=staff_auth, url_name="deed_calendar",
    response={200: list[DeedCalendarEntryOut], 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut},
    summary="Kalender sidang Camat selaku PPAT",
    description=(
        "Sidang penandatanganan akta yang dijadwalkan (tidak termasuk yang dipindah atau dibatalkan) dari tanggal "
        f"`from` sampai `to` (TTTT-BB-HH, waktu setempat, inklusif; paling panjang {CALENDAR_MAX_DAYS} hari), urut "
        "waktu mulai. Untuk semua pegawai kantor."
    ),
)
def deed_calendar(
    request,
    from_: str = Query(..., alias="from", description="Tanggal awal, TTTT-BB-HH."),
    to: str = Query(..., description="Tanggal akhir, TTTT-BB-HH (inklusif)."),
):
    office = staff_office(request)
    start, end = _date(from_, "from"), _date(to, "to")
    if end < start:
        raise InvalidInput({"to": ["Tanggal akhir tidak boleh sebelum tanggal awal."]})
    if (end - start).days + 1 > CALENDAR_MAX_DAYS:
        raise InvalidInput({"to": [f"Rentang paling panjang {CALENDAR_MAX_DAYS} hari."]})
    return [
        {"code": s.case.code, "deed_kind": s.case.deed_kind, "deed_kind_label": s.case.kind_label,
         "starts_at": s.starts_at, "ends_at": s.ends_at, "place": s.place}
        for s in selectors.calendar(office=office, start=start, end=end)
    ]
