"""The record of who read what, through the API: the same search as /staf/privasi/akses/, for
the data protection officer and the Camat only (403 for the others). Filters that are not
valid → 400 with the reason (the page reports them and leaves them out)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema

from loket.api.auth import staff_auth, staff_office
from loket.api.schemas import ErrorOut, FieldErrorsOut
from loket.core.errors import InvalidInput
from loket.core.nik import nik_mask
from loket.privacy import policy, selectors

router = Router(tags=["Pelindungan data pribadi"])


class AccessOut(Schema):
    at: dt.datetime
    reader: str = Field(description="Nama dan jabatan petugas yang membaca.")
    reader_id: int
    kind: str = Field(description="berkas, register, pengaduan, sewa, akta, permintaan.")
    record: str = Field(description="Kode catatan (kode lacak, nomor register); kosong untuk ekspor.")
    subject_nik: str = Field(description="NIK yang terbaca, disamarkan (enam angka wilayah).")
    fields: str = Field(description="Data yang ditampilkan lengkap, mis. \"NIK, alamat, telepon\".")
    purpose: str = Field(description="Layar atau ekspor.")
    period_start: dt.date | None = Field(description="Untuk ekspor: hari pertama yang dimuat.")
    period_end: dt.date | None = Field(description="Untuk ekspor: hari terakhir yang dimuat.")


@router.get("/privacy/access/", auth=staff_auth, url_name="privacy_access",
            response={200: list[AccessOut], 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut},
            summary="Catatan akses data pribadi (pejabat pelindungan data pribadi dan Camat)")
def access_list(request, nik: str = "", petugas: str = "", jenis: str = "", catatan: str = "", dari: str = "",
                sampai: str = ""):
    """Newest first, at most 500 rows; narrow the search for older ones."""
    office = staff_office(request)
    policy.handler_required(request.user)
    f, problems = selectors.access_filters({"nik": nik, "petugas": petugas, "jenis": jenis, "catatan": catatan,
                                            "dari": dari, "sampai": sampai})
    if problems:
        raise InvalidInput({"query": problems})
    return [{"at": a.at, "reader": selectors.reader_label(a), "reader_id": a.actor_id, "kind": a.kind,
             "record": a.record, "subject_nik": nik_mask(a.subject_nik), "fields": a.fields, "purpose": a.purpose,
             "period_start": a.period_start, "period_end": a.period_end}
            for a in selectors.access_search(office=office, f=f)]
