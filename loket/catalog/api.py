"""Public catalog endpoints: the standard in force, service by service."""

from ninja import Router

from loket.api.schemas import ErrorOut, ServiceListOut, ServiceTypeOut
from loket.catalog import selectors
from loket.catalog.models import Edition, ServiceType

router = Router(tags=["Standar Pelayanan"])


def _edition(office: str | None) -> Edition:
    from django.http import Http404

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
