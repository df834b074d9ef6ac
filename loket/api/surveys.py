"""SKM endpoints: the IKM of the stored responses (Permenpan RB 14/2017), in the shape of
``loket skm ikm --json``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Query, Router, Schema

from loket.api.auth import staff_auth, staff_office
from loket.api.dossiers import FieldErrorsOut
from loket.api.schemas import ErrorOut
from loket.dossiers.services import InvalidInput
from loket.surveys import ikm, selectors

router = Router(tags=["SKM"])


class ElementOut(Schema):
    key: str
    name: str
    nrr: float
    weighted: float


class IkmOut(Schema):
    respondents: int
    weight: Literal["exact", "0.111", "0.11"]
    elements: list[ElementOut]
    ikm: float
    ikm_unit: float
    grade: Literal["A", "B", "C", "D"]
    label: str


@router.get(
    "/skm/ikm/", auth=staff_auth, url_name="skm_ikm",
    response={200: IkmOut, 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="IKM dari respons SKM yang tersimpan",
    description=("Per periode (`from`, `to`: TTTT-BB-HH, inklusif) dan layanan (`service`: kode). 404 bila belum ada "
                 "respons, atau ada unsur yang belum dijawab sama sekali (IKM membutuhkan kesembilan unsur)."),
)
def skm_ikm(
    request,
    from_: dt.date | None = Query(None, alias="from", description="Tanggal awal (TTTT-BB-HH)."),
    to: dt.date | None = Query(None, description="Tanggal akhir (TTTT-BB-HH)."),
    service: str | None = Query(None, description="Kode layanan."),
    weight: Literal["exact", "0.111", "0.11"] = Query("exact", description="Bobot tiap unsur."),
):
    office = staff_office(request)
    if from_ and to and from_ > to:
        raise InvalidInput({"from": ["Tanggal awal sesudah tanggal akhir."]})
    try:
        result = selectors.ikm_stored(office=office, start=from_, end=to, service_code=service, weight=weight)
    except ikm.IkmError as exc:
        raise Http404(str(exc)) from None
    return result.as_json()
