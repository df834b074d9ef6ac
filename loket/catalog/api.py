"""Catalog endpoints: the standard in force, service by service (public), and the Evaluasi
Standar Pelayanan (staff: the review notes of an edition and their decisions on a draft; the
same selectors, service and act table as the page /staf/standar/evaluasi/). Wrong role → 403,
locked edition → 409, bad input → 400 with field errors, another office's note → 404."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Router, Schema

from loket.api.auth import staff_auth, staff_office
from loket.api.idempotency import idempotent
from loket.api.schemas import ErrorOut, FieldErrorsOut, ServiceListOut, ServiceTypeOut
from loket.catalog import policy, selectors, services
from loket.catalog.models import Edition, ReviewNote, ServiceType
from loket.core.errors import InvalidInput

router = Router(tags=["Standar Pelayanan"])


def _edition(office: str | None) -> Edition:
    edition = selectors.edition_active(office=selectors.office_get(office))
    if edition is None:
        raise Http404("Kantor ini belum mempunyai standar pelayanan yang berlaku.")
    return edition


def edition_out(edition: Edition) -> dict:
    return {
        "office": edition.office.name,
        "year": edition.year,
        "signed_on": edition.signed_on.isoformat() if edition.signed_on else None,
        "signed_place_date": edition.signed_place_date,
        "signer": edition.signer_name,
        "status": edition.status,
    }


def service_out(s: ServiceType) -> dict:
    """One ServiceType as the API shows it; the prefetches of selectors.services_of feed it."""
    return {
        "number": s.number,
        "code": s.code,
        "name": s.name,
        "short_name": s.short_name,
        "unit": s.unit.name,
        "signer": s.get_signer_display(),
        "register_book": s.get_register_book_display(),
        "product": s.product,
        "forwarded_to": s.forwarded_to,
        "duration": {"min": s.duration_min, "max": s.duration_max, "unit": s.duration_unit, "text": s.duration_text},
        "fee": {
            "kind": s.fee_kind,
            "text": s.fee_text,
            "percent": None if s.fee_percent_cap is None else f"{s.fee_percent_cap.normalize():f}",
            "government_discount_percent": s.fee_government_discount_percent,
            "tariffs": [
                {
                    "code": t.code, "label": t.label, "kind": t.kind,
                    "start": t.start.strftime("%H:%M") if t.start else None,
                    "end": t.end.strftime("%H:%M") if t.end else None,
                    "quantity": t.quantity, "unit": t.unit, "unit_price": t.unit_price, "amount": t.amount,
                }
                for t in s.tariffs.all()
            ],
            "notes": s.fee_notes,
        },
        "requirements": [
            {"id": r.pk, "text": r.text, "condition": r.condition, "condition_key": r.condition_key,
             "show_original": r.show_original, "group": r.group}
            for r in s.requirements.all()
        ],
        "procedure": [p.text for p in s.procedure_steps.all()],
        "legal_basis": s.legal_basis,
        "facilities": s.facilities,
        "competence": s.competence,
        "internal_oversight": s.internal_oversight,
        "complaint_handling": {
            "channels": s.complaint_handling.get("channels", []),
            "contacts": s.complaint_handling.get("contacts", []),
            "steps": s.complaint_handling.get("steps", []),
        },
        "staffing": s.staffing,
        "service_guarantee": s.service_guarantee,
        "security_guarantee": s.security_guarantee,
        "performance_evaluation": s.performance_evaluation,
    }


@router.get("/services/", response={200: ServiceListOut, 404: ErrorOut}, summary="Daftar jenis pelayanan dari standar yang berlaku")
def service_list(request, office: str | None = None):
    """All service types of the edition in force, in the standard's order. ``office`` is the
    office's slug (default: this install's default office)."""
    edition = _edition(office)
    return {"edition": edition_out(edition), "services": [service_out(s) for s in selectors.services_of(edition=edition)]}


@router.get("/services/{code}/", response={200: ServiceTypeOut, 404: ErrorOut}, summary="Satu jenis pelayanan")
def service_detail(request, code: str, office: str | None = None):
    return service_out(selectors.service_get(edition=_edition(office), code=code))


# --- Evaluasi Standar Pelayanan (staff) ---------------------------------------------------------

class ReviewEditionOut(Schema):
    year: int
    status: str = Field(..., description="draft, active atau archived; catatan hanya diputuskan pada draf.")
    status_label: str


class ReviewServiceOut(Schema):
    number: int
    code: str
    name: str


class ReviewNoteOut(Schema):
    id: int
    service: ReviewServiceOut | None = Field(..., description="Kosong: catatan atas beberapa layanan atau seluruh standar.")
    services_text: str = Field(..., description='Layanan yang disebut bila lebih dari satu, mis. "1–6".')
    component: int = Field(..., description="Komponen standar pelayanan (1–14).")
    component_label: str
    kind: str = Field(..., description="law_change (perubahan hukum) atau text_error (kesalahan naskah).")
    kind_label: str
    quote: str = Field(..., description="Kata-kata naskah yang ditandatangani, sebagaimana tercetak.")
    text: str
    source: str = Field(..., description="Peraturan dan pasal, dan di mana diperiksa.")
    verified: bool = Field(..., description="false: belum diverifikasi.")
    status: str = Field(..., description="undecided, applied atau rejected.")
    status_label: str
    decision_note: str
    decided_by: str | None
    decided_at: dt.datetime | None
    allowed_acts: list[str] = Field(..., description="Tindakan yang boleh dilakukan pemanggil sekarang (decide).")


class ReviewNotesOut(Schema):
    edition: ReviewEditionOut
    notes: list[ReviewNoteOut]


class ReviewDecisionIn(Schema):
    status: str = Field(..., json_schema_extra={"enum": list(ReviewNote.Status.values)},
                        description="undecided, applied atau rejected.")
    decision_note: str = Field("", description="Alasan keputusan; wajib untuk rejected (paling panjang 2000 huruf).")


REVIEW_ERRORS = {400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def review_note_out(n: ReviewNote, user) -> dict:
    who = n.decided_by
    return {
        "id": n.pk,
        "service": {"number": n.service.number, "code": n.service.code, "name": n.service.name} if n.service_id else None,
        "services_text": n.services_text, "component": n.component, "component_label": n.get_component_display(),
        "kind": n.kind, "kind_label": n.get_kind_display(), "quote": n.quote, "text": n.text, "source": n.source,
        "verified": n.verified, "status": n.status, "status_label": n.get_status_display(),
        "decision_note": n.decision_note, "decided_by": (who.get_full_name() or who.username) if who else None,
        "decided_at": n.decided_at, "allowed_acts": sorted(policy.acts_allowed(n, user)),
    }


def _edition_out(e: Edition) -> dict:
    return {"year": e.year, "status": e.status, "status_label": e.get_status_display()}


def _must_read(request):
    office = staff_office(request)
    if not policy.may_read(request.user):
        raise PermissionDenied(policy.READERS_TEXT)
    return office


@router.get("/staff/standard/review-notes/", auth=staff_auth, url_name="staff_review_notes",
            response={200: ReviewNotesOut, **REVIEW_ERRORS}, tags=["Evaluasi Standar Pelayanan"],
            summary="Catatan evaluasi standar pelayanan satu edisi",
            description="Untuk Camat dan Admin kantor. `edition`: tahun edisi; bawaan: edisi yang ditampilkan "
                        "halaman Evaluasi (draf lebih dulu, lalu yang berlaku, lalu arsip).")
def review_note_list(request, edition: int | None = None):
    office = _must_read(request)
    editions = selectors.editions_under_review(office=office)
    shown = selectors.edition_under_review(editions=editions, year=edition)
    if shown is None or (edition is not None and shown.year != edition):
        raise Http404(f"Edisi {edition} tidak ada." if edition is not None else "Kantor ini belum mempunyai edisi standar.")
    return {"edition": _edition_out(shown),
            "notes": [review_note_out(n, request.user) for n in selectors.review_notes(edition=shown)]}


@router.post("/staff/standard/review-notes/{pk}/decide/", auth=staff_auth, url_name="staff_review_note_decide",
             response={200: ReviewNoteOut, **REVIEW_ERRORS}, tags=["Evaluasi Standar Pelayanan"],
             summary="Putuskan satu catatan evaluasi pada edisi draf",
             description="Camat atau Admin kantor (403 untuk peran lain). Hanya pada edisi draf (409 untuk edisi "
                         "berlaku atau arsip). rejected memerlukan decision_note (400).")
@idempotent
def review_note_decide(request, pk: int, payload: ReviewDecisionIn):
    try:
        note = services.review_note_decide(note_id=pk, office=staff_office(request), actor=request.user,
                                           status=payload.status, decision_note=payload.decision_note)
    except ReviewNote.DoesNotExist:
        raise Http404("Catatan evaluasi tidak ditemukan.") from None
    except services.EditionError as exc:
        raise InvalidInput({getattr(exc, "code", None) or "status": exc.messages}) from None
    return review_note_out(note, request.user)
