"""The rows of the copy of a person's data (UU 27/2022 Pasal 32) in the authorization matrix: the
PDF, the JSON, the NIK's records and the API's data are the data protection officer's and the
Camat's only (``privacy.policy.REQUEST_ACTS`` "export"; in the mini office the officer is
``kasi_other``, as in the privacy rows); anyone else 403, another office's code 404. The
retention page and its API (dry run and run) are theirs too.

The engine and the kinds of rows: tests/support/authz.py; how to add a row: tests/support/README.md."""

from __future__ import annotations

from django.urls import reverse

from loket.privacy import requests
from loket.privacy.models import Officer, Request
from tests.support.authz import API, PAGE, POST403, Entry, builder

HANDLERS = frozenset({"camat", "kasi_other"})


@builder
def access_request(w) -> Request:
    """An access request of the mini office's applicant, recorded by the front office, with the
    office's officer appointed."""
    Officer.objects.get_or_create(office=w.office, defaults={
        "user": w.people["kasi_other"], "name": "Pejabat PDP", "position": "Kasubbag Umum", "telephone": "0351"})
    if "access_request" not in w.made:
        w.made["access_request"] = requests.request_record(
            office=w.office, actor=w.people["front"], kind="akses", nik="3577014508900001", name="Siti Aminah",
            contact="", identity="ktp", identity_note="", details="Apa yang kantor simpan tentang saya?")
    return w.made["access_request"]


def _url(name):
    return lambda w: reverse(name, kwargs={"code": w.access_request().code})


def _retention(name):
    """The retention page and API, with the office's officer appointed (the request builds it)."""
    return lambda w: (w.access_request(), reverse(name))[1]


ROWS: list[Entry] = [
    Entry("subjects:data_pdf", "GET", PAGE, HANDLERS, _url("subjects:data_pdf")),
    Entry("subjects:data_json", "GET", PAGE, HANDLERS, _url("subjects:data_json")),
    Entry("subjects:records", "GET", PAGE, HANDLERS, _url("subjects:records")),
    Entry("api:privacy_request_data", "GET", API, HANDLERS, _url("api:privacy_request_data")),
    # the retention schedule (UU 27/2022 Pasal 42-44): its dry run and its run, the same two roles
    Entry("retention:page", "GET", PAGE, HANDLERS, _retention("retention:page")),
    Entry("retention:page", "POST", POST403, HANDLERS, _retention("retention:page"), ok=302, data=lambda w: {},
          ok_location=lambda who, w: reverse("retention:page")),
    Entry("api:privacy_retention", "GET", API, HANDLERS, _retention("api:privacy_retention")),
    Entry("api:privacy_retention", "POST", API, HANDLERS, _retention("api:privacy_retention"), data=lambda w: {}),
]
