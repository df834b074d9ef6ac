"""The surveys' (SKM) rows of the authorization matrix: the public form and board, the staff
screens (report, kiosk, import, publication, weight) and the API.

The engine, the callers and what each kind of row means: tests/support/authz.py; how to add a
row: tests/support/README.md. tests/security/test_authz_matrix.py runs the union of every
app's ROWS."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from loket.surveys import ikm as survey_ikm
from loket.surveys.models import Response as SurveyResponse
from tests.support.authz import API, API_PUBLIC, PAGE, POST403, PUBLIC, PUBLIC_WEB, S, STAFF
from tests.support.authz import Entry, code_url, r


# SKM (loket/surveys/services.py): who collects (kiosk, import), publishes, sets the weight
SKM_KEYS = survey_ikm.KEYS
SKM_COLLECTORS = frozenset({"front", "sekcam", "camat", "admin"})
SKM_PUBLISHERS = frozenset({"camat", "sekcam"})
SKM_SETTERS = frozenset({"camat", "sekcam", "admin"})
SKM_YEAR = 2025


def _skm_answered(w):
    """One paper form of SKM_YEAR, so that the year can be published."""
    if not SurveyResponse.objects.filter(office=w.office).exists():
        SurveyResponse.objects.create(office=w.office, date=dt.date(SKM_YEAR, 3, 1), source="paper",
                                      **{k: 3 for k in SKM_KEYS})


def _skm_publish_form(w):
    _skm_answered(w)
    return {"jenis": "tahun", "tahun": str(SKM_YEAR)}


def _skm_publish_api(w):
    _skm_answered(w)
    return {"period": "tahun", "year": SKM_YEAR}


def _skm_report_url(w):
    return reverse("surveys_staff:report") + f"?jenis=tahun&tahun={SKM_YEAR}"


ROWS: list[Entry] = [
    # --- surveys: the public SKM form (a registered dossier, not handed over: the friendly page) ---
    Entry("surveys:form", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("surveys:form", kwargs={"code": w.code(S.REGISTERED)})),
    Entry("surveys:board", "GET", PUBLIC_WEB, PUBLIC, lambda w: reverse("surveys:board", args=[w.office.slug])),
    # --- surveys: staff screens (loket/surveys/services.py: COLLECTORS, IMPORTERS, PUBLISHERS, SETTERS) ---
    Entry("surveys_staff:report", "GET", PAGE, STAFF, r("surveys_staff:report")),
    Entry("surveys_staff:report_pdf", "GET", PAGE, STAFF, lambda w: reverse("surveys_staff:report_pdf") + "?jenis=tahun"),
    Entry("surveys_staff:report_xlsx", "GET", PAGE, STAFF, lambda w: reverse("surveys_staff:report_xlsx") + "?jenis=tahun"),
    # a period with answers: published, back to the report
    Entry("surveys_staff:publish", "POST", POST403, SKM_PUBLISHERS, r("surveys_staff:publish"), ok=302,
          data=_skm_publish_form, ok_location=lambda who, w: _skm_report_url(w)),
    Entry("surveys_staff:weight", "POST", POST403, SKM_SETTERS, r("surveys_staff:weight"), ok=302,
          data=lambda w: {"bobot": "0.111"}, ok_location=lambda who, w: reverse("surveys_staff:report")),
    Entry("surveys_staff:kiosk", "GET", PAGE, SKM_COLLECTORS, r("surveys_staff:kiosk")),
    Entry("surveys_staff:kiosk", "POST", POST403, SKM_COLLECTORS, r("surveys_staff:kiosk"), ok=302,
          data=lambda w: {k: "3" for k in SKM_KEYS},
          ok_location=lambda who, w: reverse("surveys_staff:kiosk") + "?terima-kasih=1"),
    Entry("surveys_staff:import", "GET", PAGE, SKM_COLLECTORS, r("surveys_staff:import")),
    # no file sent: the form again with the message (400), past the permission layer
    Entry("surveys_staff:import", "POST", POST403, SKM_COLLECTORS, r("surveys_staff:import"), ok=400),
    Entry("surveys_staff:import_template", "GET", PAGE, SKM_COLLECTORS, r("surveys_staff:import_template", fmt="csv")),
    # nothing published yet: 404 for everyone
    Entry("api:skm_publication_latest", "GET", API_PUBLIC, PUBLIC,
          lambda w: reverse("api:skm_publication_latest", kwargs={"office_slug": w.office.slug}), ok=404),
    # a registered dossier is not handed over yet: 409 for everyone, nothing saved
    Entry("api:skm_form", "POST", API_PUBLIC, PUBLIC, code_url("api:skm_form", S.REGISTERED), ok=409,
          data=lambda w: {"answers": {k: 3 for k in SKM_KEYS}, "profile": {}}),
    # no responses yet: 404 past the permission layer ("no answers"), for every staff role
    Entry("api:skm_ikm", "GET", API, STAFF, r("api:skm_ikm"), ok=404),
    Entry("api:skm_report", "GET", API, STAFF, r("api:skm_report")),
    # JSON instead of the multipart file: 400 past the permission layer
    Entry("api:skm_import", "POST", API, SKM_COLLECTORS, r("api:skm_import"), ok=400),
    Entry("api:skm_kiosk", "POST", API, SKM_COLLECTORS, r("api:skm_kiosk"), ok=201,
          data=lambda w: {"service": "pindah", "answers": {k: 3 for k in SKM_KEYS}, "profile": {}}),
    Entry("api:skm_setting", "GET", API, STAFF, r("api:skm_setting")),
    Entry("api:skm_setting", "PUT", API, SKM_SETTERS, r("api:skm_setting"), data=lambda w: {"weight": "0.11"}),
    Entry("api:skm_publications", "POST", API, SKM_PUBLISHERS, r("api:skm_publications"), ok=201,
          data=lambda w: {k: v for k, v in _skm_publish_api(w).items()}),
]
