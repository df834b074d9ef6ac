"""The staff forms as the browser posts them, one builder per flow: shared by each flow's view
tests and by tests/core/test_once.py (every form is posted twice)."""

from __future__ import annotations

from loket.catalog.models import Requirement
from loket.deeds import services as deed_services
from tests.factories import applicant_data
from tests.rentals.conftest import order


def intake_form(items, **over):
    """The dossier intake form: a complete 'pindah' with every item present and original."""
    data = {k: v for k, v in applicant_data().items()}
    data["birth_date"] = data["birth_date"].isoformat()
    data.update({"service": "pindah", "submit": "1", "present": items, "original": items})
    data.update(over)
    return data


def intake_payload(items, **over):
    """The dossier intake as the API takes it (POST /api/v1/dossiers/)."""
    a = applicant_data()
    a["birth_date"] = a["birth_date"].isoformat()
    body = {"service": "pindah", "applicant": a, "present": items, "originals": items}
    body.update(over)
    return body


def deed_form(data: dict, present=(), originals=(), aksi="simpan") -> dict:
    """The deed intake form from a deed's data (parties as p<i>-<field>)."""
    post = {k: v for k, v in data.items() if k != "parties" and v is not None}
    post["pihak"] = str(max(len(data.get("parties", [])), 2))
    for i, p in enumerate(data.get("parties", [])):
        for k, v in p.items():
            post[f"p{i}-{k}"] = v
    post["present"] = [str(x) for x in present]
    post["original"] = [str(x) for x in originals]
    post["aksi"] = aksi
    return post


def deed_all_ids(office, kind="jual_beli", proxy=False, cause=""):
    """Every checklist item a deed of ``kind`` asks for at ``office``."""
    answers = deed_services.answers_of(kind, proxy, cause)
    reqs = Requirement.objects.filter(service__code="ppat", service__edition__office=office)
    return [r.pk for r in reqs if not r.condition_key or answers.get(r.condition_key)]


def hall_form(**over) -> dict:
    """The hall's order form as the browser posts it (checkboxes absent when not ticked)."""
    data = {k: v for k, v in order(**over).items() if v is not False}
    data = {k: ("1" if v is True else v) for k, v in data.items()}
    data.setdefault("aksi", "pesan")
    return data
