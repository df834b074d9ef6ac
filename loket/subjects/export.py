"""What the office holds about one NIK, and the copy given to that person (UU 27/2022 Pasal 32 ayat
(1): access to the personal data processed *and the record of their processing*).

``subject_data`` gathers, for one office and one NIK, in a bounded number of queries:

- the person record of the counter (``dossiers.Applicant``);
- every dossier where the person is the applicant: service, dates, state, register line, the
  applicant's data as stored on the dossier, its corrections (append-only ``Correction``), the
  scans kept (names only) and the papers issued for it;
- every deed where the person is a party (``deeds.Party`` with that NIK): the case, the role and
  what is stored of them; the other parties are left out (Pasal 33 huruf b: another person's data);
- what is *not* linked to a NIK: hall bookings and complaints carry a name and a telephone, no
  NIK, so they are not searched by NIK (a guess by name could disclose someone else's data);
  the copy says so and that they can be asked for by their code;
- who read the data: the access records (``privacy.Access``) with this NIK, and the exports of
  the office's books whose period covered the date of one of the person's records ("your line was
  in the register exported by X on Y"), each reader with name and position;
- the data-subject requests of this NIK.

``subject_pdf`` prints it as a letter the Camat signs ("Salinan data pribadi") with the tables
behind it; ``subject_json`` as JSON. ``records_of`` is the short list of the NIK's records, with
links, that the request page shows (a correction is done on the record itself)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, LongTable, PageBreak, Spacer, TableStyle

from loket.core import codes
from loket.core.formats import indonesian, tanggal
from loket.core.pdf import build, facts, letterhead, para, place_of, signature_block, styles, text_width
from loket.deeds.models import Case, Party
from loket.dossiers.models import Applicant, Correction, Dossier, DossierAttachment
from loket.dossiers.policy import SIGNED_STATES
from loket.offices.models import Office
from loket.offices.signers import signer_for
from loket.papers.models import Document
from loket.papers.services import document_issue
from loket.privacy.models import Access, Request
from loket.privacy.requests import person

FORMAT = "loket-salinan-data-pribadi/1"
# Export rows that can hold a person's line, per kind of record: a dossier in a list of dossiers or
# in the Buku Register Pelayanan (the one book whose lines carry the NIK: dossier_register copies
# it; the PPAT register's lines name the parties without it); a deed in a list of deeds.
EXPORT_KINDS = {"dossier": (Access.Kind.DOSSIER, Access.Kind.REGISTER), "deed": (Access.Kind.DEED,)}
NOT_LINKED = [
    {"record": "Pengaduan",
     "text": "Pengaduan dicatat dengan nama dan kontak, tanpa NIK, dan boleh anonim; karena itu tidak dicari dengan NIK. "
             "Data sebuah pengaduan dapat diminta dengan menyebut kode pengaduannya."},
    {"record": "Sewa gedung pertemuan",
     "text": "Pesanan sewa gedung dicatat dengan nama pemesan dan telepon, tanpa NIK; karena itu tidak dicari dengan NIK. "
             "Data sebuah pesanan dapat diminta dengan menyebut kode pesanannya."},
    {"record": "Survei kepuasan masyarakat (SKM)",
     "text": "Jawaban SKM tidak memuat nama maupun NIK."},
]


def _local(value):
    return timezone.localtime(value) if isinstance(value, dt.datetime) and timezone.is_aware(value) else value


def _day(value) -> dt.date | None:
    if value is None:
        return None
    return _local(value).date() if isinstance(value, dt.datetime) else value


def _reader(user) -> dict:
    return person(user)


# --- what the office holds ------------------------------------------------------------------------

def _applicant_of(d: Dossier) -> dict:
    return {
        "nik": d.applicant_nik, "kk_number": d.applicant_kk_number, "name": d.applicant_name,
        "birth_date": d.applicant_birth_date, "sex": d.get_applicant_sex_display(),
        "marital_status": d.get_applicant_marital_status_display() if d.applicant_marital_status else "",
        "address": d.applicant_address, "rt": d.applicant_rt, "rw": d.applicant_rw,
        "kelurahan": d.applicant_kelurahan.name if d.applicant_kelurahan_id else "",
        "phone": d.applicant_phone, "email": d.applicant_email,
    }


def _dossiers(office: Office, nik: str) -> list[dict]:
    rows = list(Dossier.objects.filter(office=office, applicant_nik=nik)
                .select_related("service", "applicant_kelurahan", "register_entry__book").order_by("received_at", "pk"))
    ids = [d.pk for d in rows]
    corrections: dict[int, list] = {}
    for c in Correction.objects.filter(dossier_id__in=ids).select_related("actor__staff").order_by("at", "pk"):
        corrections.setdefault(c.dossier_id, []).append({
            "at": _local(c.at), "field": c.get_field_display(), "old_value": c.old_value, "new_value": c.new_value,
            "reason": c.reason, "by": _reader(c.actor)})
    scans: dict[int, list] = {}
    for a in DossierAttachment.objects.filter(dossier_id__in=ids).order_by("uploaded_at", "pk"):
        scans.setdefault(a.dossier_id, []).append({"name": a.original_name, "note": a.note,
                                                   "uploaded_at": _local(a.uploaded_at)})
    docs = _documents(office, [d.code for d in rows])
    out = []
    for d in rows:
        entry = d.register_entry
        out.append({
            "code": d.code, "service": f"{d.service.number}. {d.service.name}",
            "received_at": _local(d.received_at), "done_at": _local(d.done_at),
            "state": d.state, "state_label": indonesian(d.get_state_display()),
            "register": ({"book": entry.book.get_kind_display(), "number": entry.number_display,
                          "entered_at": _local(entry.entered_at)} if entry else None),
            "applicant": _applicant_of(d), "by_proxy": d.by_proxy,
            "corrections": corrections.get(d.pk, []), "scans": scans.get(d.pk, []), "documents": docs.get(d.code, []),
        })
    return out


def _documents(office: Office, refs: list[str]) -> dict[str, list]:
    found: dict[str, list] = {}
    if not refs:
        return found
    for doc in Document.objects.filter(office=office, reference__in=refs).order_by("issued_at", "pk"):
        found.setdefault(doc.reference, []).append({"title": doc.title, "number": doc.number,
                                                    "issued_at": _local(doc.issued_at)})
    return found


def _deeds(office: Office, nik: str) -> list[dict]:
    parties = list(Party.objects.filter(case__office=office, nik=nik)
                   .select_related("case__kelurahan", "case__register_entry__book").order_by("case__received_at", "pk"))
    docs = _documents(office, sorted({p.case.code for p in parties}))
    out = []
    for p in parties:
        case = p.case
        entry = case.register_entry
        out.append({
            "code": case.code, "deed": case.kind_label, "received_at": _local(case.received_at),
            "done_at": _local(case.done_at), "state": case.state, "state_label": indonesian(case.get_state_display()),
            "register": ({"book": entry.book.get_kind_display(), "number": entry.number_display,
                          "entered_at": _local(entry.entered_at)} if entry else None),
            "land": f"{case.get_land_title_display()} {case.land_reference}, {case.kelurahan.name}",
            "party": {"role": p.get_role_display(), "name": p.name, "nik": p.nik, "address": p.address,
                      "share": p.share_display, "by_proxy": bool(p.proxy_name)},
            "documents": docs.get(case.code, []),
        })
    return out


def _person_record(office: Office, nik: str) -> dict | None:
    a = Applicant.objects.filter(office=office, nik=nik).select_related("kelurahan").first()
    if a is None:
        return None
    return {"nik": a.nik, "kk_number": a.kk_number, "name": a.name, "birth_date": a.birth_date,
            "sex": a.get_sex_display(), "marital_status": a.get_marital_status_display() if a.marital_status else "",
            "address": a.address, "rt": a.rt, "rw": a.rw, "kelurahan": a.kelurahan.name if a.kelurahan_id else "",
            "phone": a.phone, "email": a.email, "updated_at": _local(a.updated_at)}


# --- who read it ------------------------------------------------------------------------------------

def _reads(office: Office, nik: str) -> list[dict]:
    rows = Access.objects.filter(office=office, subject_nik=nik).select_related("actor__staff").order_by("at", "pk")
    return [{"at": _local(a.at), **_reader(a.actor), "kind": a.kind, "kind_label": indonesian(a.get_kind_display()),
             "record": a.record, "fields": a.fields, "purpose": a.purpose} for a in rows]


def _exports(office: Office, dates: dict[str, set[dt.date]], codes_of: dict[str, list[tuple[str, dt.date]]]) -> list[dict]:
    """The exports of the office's books (one access row for the whole file, no NIK) whose period
    covered a date of one of the person's records, with the records they covered."""
    every = set().union(*dates.values()) if dates else set()
    if not every:
        return []
    first, last = min(every), max(every)
    kinds = {k for ks in EXPORT_KINDS.values() for k in ks}
    rows = (Access.objects.filter(office=office, record="", subject_nik="", kind__in=kinds)
            .filter(Q(period_start__isnull=True) | Q(period_start__lte=last))
            .filter(Q(period_end__isnull=True) | Q(period_end__gte=first))
            .select_related("actor__staff").order_by("at", "pk"))
    out = []
    for a in rows:
        covered = []
        for record_kind, kinds_of in EXPORT_KINDS.items():
            if a.kind not in kinds_of:
                continue
            for code, day in codes_of.get(record_kind, []):
                if (a.period_start is None or a.period_start <= day) and (a.period_end is None or day <= a.period_end):
                    covered.append(code)
        if covered:
            out.append({"at": _local(a.at), **_reader(a.actor), "kind": a.kind,
                        "kind_label": indonesian(a.get_kind_display()), "purpose": a.purpose, "fields": a.fields,
                        "period_start": a.period_start, "period_end": a.period_end,
                        "covers": sorted(set(covered))})
    return out


def _requests(office: Office, nik: str) -> list[dict]:
    rows = Request.objects.filter(office=office, nik=nik).order_by("received_at", "pk")
    return [{"code": r.code, "kind": r.kind, "kind_label": indonesian(r.get_kind_display()), "state": r.state,
             "state_label": indonesian(r.get_state_display()), "received_at": _local(r.received_at),
             "due_at": _local(r.due_at), "answered_at": _local(r.answered_at), "answer": r.answer} for r in rows]


def subject_data(*, office: Office, nik: str) -> dict:
    """Everything the office holds about ``nik`` and who read it, as a plain dict (dates and
    moments as Python values, in office time; ``subject_json`` writes them as ISO text)."""
    dossiers = _dossiers(office, nik)
    deeds = _deeds(office, nik)
    codes_of: dict[str, list[tuple[str, dt.date]]] = {"dossier": [], "deed": []}
    for kind, rows in (("dossier", dossiers), ("deed", deeds)):
        for r in rows:
            for moment in (r["received_at"], (r["register"] or {}).get("entered_at"), r["done_at"]):
                if moment is not None:
                    codes_of[kind].append((r["code"], _day(moment)))
    dates = {kind: {day for _code, day in pairs} for kind, pairs in codes_of.items()}
    return {
        "format": FORMAT,
        "office": {"name": office.name, "slug": office.slug},
        "nik": nik,
        "produced_at": _local(timezone.now()),
        "person": _person_record(office, nik),
        "dossiers": dossiers,
        "deeds": deeds,
        "not_linked": NOT_LINKED,
        "reads": _reads(office, nik),
        "exports": _exports(office, dates, codes_of),
        "requests": _requests(office, nik),
    }


def subject_json(data: dict, *, request: Request | None = None) -> bytes:
    body = {**data, "request": _request_head(request)} if request is not None else data
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def _request_head(r: Request) -> dict:
    return {"code": r.code, "kind": r.kind, "received_at": _local(r.received_at), "due_at": _local(r.due_at)}


# --- the records of a NIK, for the request page ------------------------------------------------------

@dataclass(frozen=True)
class RecordLink:
    kind: str        # "Berkas pelayanan", "Akta tanah"
    code: str
    title: str
    date: dt.datetime
    state: str
    url: str
    correction: str  # how this record's data are corrected


def records_of(*, office: Office, nik: str) -> list[RecordLink]:
    """The dossiers and deeds of ``nik`` with links to their pages, and how each is corrected: a
    dossier on its own page by whoever holds it, before signature (``dossier_correct``, append-only
    ``Correction``); after signature a paper keeps its facts."""
    out = []
    for d in (Dossier.objects.filter(office=office, applicant_nik=nik).select_related("service")
              .order_by("-received_at", "-pk")):
        if d.state in SIGNED_STATES:
            how = ("Sudah ditandatangani: data pada surat yang terbit tidak diubah; bila salah, terima berkas baru "
                   "dengan data yang benar.")
        elif d.state == Dossier.State.CANCELLED:
            how = "Penerimaan dibatalkan: tidak ada yang dikoreksi."
        else:
            how = "Koreksi data pemohon di halaman berkas, oleh pemegang berkas (tercatat di riwayat)."
        out.append(RecordLink("Berkas pelayanan", d.code, f"{d.service.number}. {d.service.short_name}",
                              _local(d.received_at), indonesian(d.get_state_display()),
                              reverse("dossiers:detail", args=[d.code]), how))
    for p in (Party.objects.filter(case__office=office, nik=nik).select_related("case")
              .order_by("-case__received_at", "-pk")):
        c = p.case
        out.append(RecordLink("Akta tanah", c.code, f"{c.kind_label} ({p.get_role_display()})", _local(c.received_at),
                              indonesian(c.get_state_display()), reverse("deeds:detail", args=[c.code]),
                              "Data para pihak diperiksa petugas PPAT pada halaman akta."))
    return out


# --- the copy as a letter with its tables --------------------------------------------------------------

def _when(value, with_time: bool = True) -> str:
    if value is None:
        return "—"
    return tanggal(value, with_time=with_time and isinstance(value, dt.datetime))


def _reader_text(row: dict) -> str:
    return f"{row['name']}, {row['position']}" if row.get("position") else row["name"]


def _table(st, width: float, header: list[str], rows: list[list], widths: list[float]):
    total = sum(widths)
    cols = [width * w / total for w in widths]
    data = [[para(h, st["bold"]) for h in header]] + [[para(str(c) if c is not None else "—", st["small"]) for c in row]
                                                        for row in rows]
    t = LongTable(data, colWidths=cols, repeatRows=1)
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return t


def _applicant_rows(a: dict) -> list[tuple[str, str]]:
    address = f"{a['address']} RT {a['rt']}/RW {a['rw']}" + (f", {a['kelurahan']}" if a.get("kelurahan") else "")
    rows = [("NIK", a["nik"]), ("Nomor KK", a["kk_number"] or "—"), ("Nama", a["name"]),
            ("Tanggal lahir", _when(a["birth_date"], False)), ("Jenis kelamin", a["sex"]),
            ("Status perkawinan", a["marital_status"] or "—"), ("Alamat", address),
            ("Telepon/WhatsApp", a["phone"] or "—"), ("E-mail", a["email"] or "—")]
    return rows


def subject_pdf(data: dict, *, request: Request, office: Office, produced_by, number: str = "",
                verification_code: str = "", issued_at=None) -> bytes:
    """Salinan data pribadi: the office's kop, the letter's number (from the Buku Agenda Surat
    Keluar, when issued by ``copy_issue``) and the request's code, the addressee, the letter (UU
    27/2022 Pasal 32), the Camat's signature; then the tables of what is held and who read it."""
    st = styles(9)
    margin = 18 * mm
    width = text_width(A4, margin)
    today = timezone.localdate(issued_at) if issued_at else timezone.localdate()
    code = codes.display(request.code)
    flow = letterhead(office, st, width)
    head = ([("Nomor", number)] if number else []) + [("Kode permintaan", code), ("Tanggal", tanggal(today)),
                                                       ("Perihal", "Salinan data pribadi")]
    flow += [
        facts(head, st, width),
        Spacer(1, 4 * mm),
        para("Yth. Sdr./Sdri.", st["normal"]), para(request.name, st["bold"]), para("di tempat", st["normal"]),
        Spacer(1, 4 * mm),
        para(f"Menjawab permintaan akses data pribadi Saudara/Saudari yang kami terima pada "
             f"{tanggal(request.received_at, with_time=True)} dengan kode {code}, berdasarkan Undang-Undang Nomor 27 "
             f"Tahun 2022 tentang Pelindungan Data Pribadi Pasal 32, bersama ini kami sampaikan salinan data pribadi "
             f"dengan NIK {data['nik']} yang diproses oleh {office.name}, beserta rekam jejak pemrosesannya: siapa "
             f"pegawai yang membaca data tersebut, kapan, dan untuk apa.", st["normal"]),
        Spacer(1, 2 * mm),
        para("Salinan ini memuat data pada berkas pelayanan dan akta tanah di mana Saudara/Saudari tercatat dengan NIK "
             "tersebut. Data orang lain pada catatan yang sama (pihak lain dalam akta, penerima kuasa) tidak "
             "disertakan (UU 27/2022 Pasal 33 huruf b). Bila ada data yang tidak benar, Saudara/Saudari dapat "
             "meminta pembetulan (Pasal 30).", st["normal"]),
        Spacer(1, 2 * mm),
        para(f"Salinan dibuat pada {tanggal(data['produced_at'], with_time=True)} oleh "
             f"{_reader_text(person(produced_by))}.", st["small"]),
        Spacer(1, 4 * mm),
    ]
    signer = signer_for(office=office, post="camat", on=today)
    block = signature_block(signer, place=place_of(office), on=today, st=st, width=70 * mm)
    sign = LongTable([["", block]], colWidths=[width - 80 * mm, 80 * mm])
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    flow += [KeepTogether([sign])]
    if verification_code:
        flow += [Spacer(1, 3 * mm), para(f"Kode verifikasi {codes.display(verification_code)}", st["small"])]
    flow.append(PageBreak())

    flow.append(para("LAMPIRAN: DATA PRIBADI YANG DIPROSES DAN REKAM JEJAK PEMROSESANNYA", st["title"]))
    flow.append(para(f"NIK {data['nik']} · {office.name}", st["center"]))
    flow.append(Spacer(1, 3 * mm))

    def section(title: str, *parts):
        flow.append(para(title, st["bold"]))
        flow.extend(parts)
        flow.append(Spacer(1, 4 * mm))

    if data["person"]:
        section("A. Catatan pemohon di loket (data terakhir yang diberikan)", facts(_applicant_rows(data["person"]), st, width))
    else:
        section("A. Catatan pemohon di loket", para("Tidak ada.", st["normal"]))

    if data["dossiers"]:
        parts = []
        for d in data["dossiers"]:
            reg = d["register"]
            rows = [("Kode berkas", codes.display(d["code"])), ("Layanan", d["service"]),
                    ("Diterima", _when(d["received_at"])), ("Status", d["state_label"]),
                    ("Selesai", _when(d["done_at"])),
                    ("Nomor register", f"{reg['book']} {reg['number']}" if reg else "—"),
                    ("Diurus oleh kuasa", "Ya" if d["by_proxy"] else "Tidak"), *_applicant_rows(d["applicant"])]
            if d["scans"]:
                rows.append(("Pindaian disimpan", "; ".join(s["name"] + (f" ({s['note']})" if s["note"] else "")
                                                           for s in d["scans"])))
            if d["documents"]:
                rows.append(("Naskah terbit", "; ".join(f"{x['title']} {x['number']} ({_when(x['issued_at'], False)})"
                                                        for x in d["documents"])))
            parts += [facts(rows, st, width), Spacer(1, 1.5 * mm)]
            if d["corrections"]:
                parts += [para("Koreksi data:", st["label"]), _table(st, width, ["Waktu", "Data", "Lama", "Baru", "Alasan", "Oleh"],
                          [[_when(c["at"]), c["field"], c["old_value"], c["new_value"], c["reason"], _reader_text(c["by"])]
                           for c in d["corrections"]], [14, 10, 14, 14, 24, 20]), Spacer(1, 1.5 * mm)]
            parts.append(Spacer(1, 3 * mm))
        section("B. Berkas pelayanan (Anda sebagai pemohon)", *parts)
    else:
        section("B. Berkas pelayanan", para("Tidak ada berkas dengan NIK ini.", st["normal"]))

    if data["deeds"]:
        section("C. Akta tanah (Anda sebagai pihak)", _table(
            st, width, ["Kode", "Akta", "Diterima", "Status", "Nomor register", "Peran", "Nama, alamat, bagian", "Tanah"],
            [[codes.display(x["code"]), x["deed"], _when(x["received_at"], False), x["state_label"],
              x["register"]["number"] if x["register"] else "—", x["party"]["role"],
              ", ".join(v for v in (x["party"]["name"], x["party"]["address"], x["party"]["share"]) if v), x["land"]]
             for x in data["deeds"]], [10, 16, 11, 12, 9, 11, 18, 18]))
    else:
        section("C. Akta tanah", para("Tidak ada akta dengan NIK ini sebagai pihak.", st["normal"]))

    section("D. Catatan yang tidak terhubung dengan NIK",
            *[para(f"{x['record']}: {x['text']}", st["normal"]) for x in data["not_linked"]])

    if data["reads"]:
        section("E. Siapa yang membaca data Anda", _table(
            st, width, ["Waktu", "Pegawai", "Jabatan", "Catatan", "Data yang ditampilkan", "Di mana"],
            [[_when(x["at"]), x["name"], x["position"], f"{x['kind_label']} {x['record']}".strip(), x["fields"], x["purpose"]]
             for x in data["reads"]], [14, 16, 16, 16, 16, 22]))
    else:
        section("E. Siapa yang membaca data Anda", para("Belum ada catatan pembacaan.", st["normal"]))

    if data["exports"]:
        section("F. Ekspor buku yang memuat baris data Anda", _table(
            st, width, ["Waktu", "Pegawai", "Jabatan", "Ekspor", "Periode", "Catatan Anda di dalamnya"],
            [[_when(x["at"]), x["name"], x["position"], x["purpose"],
              f"{_when(x['period_start'], False)} – {_when(x['period_end'], False)}"
              if x["period_start"] or x["period_end"] else "semua tahun",
              ", ".join(codes.display(c) for c in x["covers"])] for x in data["exports"]], [14, 16, 16, 20, 16, 18]))
    else:
        section("F. Ekspor buku yang memuat baris data Anda", para("Tidak ada.", st["normal"]))

    section("G. Permintaan subjek data", _table(
        st, width, ["Kode", "Jenis", "Diterima", "Status", "Dijawab"],
        [[codes.display(x["code"]), x["kind_label"], _when(x["received_at"]), x["state_label"], _when(x["answered_at"])]
         for x in data["requests"]], [12, 30, 18, 14, 18]))
    return build(A4, margin, flow, title=f"Salinan data pribadi {code}", office=office)


COPY_TEMPLATE = "pdp-salinan"  # papers.Document.template of the copy


def copy_issued(request: Request) -> Document | None:
    """The copy (PDF) issued for an access request, if it was."""
    return Document.objects.filter(office_id=request.office_id, reference=request.code,
                                   template=COPY_TEMPLATE).order_by("-issued_at").first()


def copy_issue(*, request: Request, office: Office, actor, data: dict) -> Document:
    """Issue the copy of an access request as a paper of the office: the next number of the Buku
    Agenda Surat Keluar, a verification code, the Camat as signer, the PDF stored as given. The
    copy is given once per request: ``copy_issued`` serves it again (a later copy, after a
    correction, is a new request). Runs in the caller's transaction (with the request's step)."""
    return document_issue(
        office=office, kind=Document.Kind.LETTER, title="Salinan data pribadi", reference=request.code, actor=actor,
        signer=signer_for(office=office, post="camat", on=timezone.localdate()), addressee=request.name[:300],
        subject=f"Salinan data pribadi (permintaan {codes.display(request.code)})", template=COPY_TEMPLATE,
        render=lambda *, number, verification_code, issued_at: subject_pdf(
            data, request=request, office=office, produced_by=actor, number=number,
            verification_code=verification_code, issued_at=issued_at),
    )
