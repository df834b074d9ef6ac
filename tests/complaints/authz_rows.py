"""The complaints' rows of the authorization matrix: staff screens, the acts through the web and
the API, the public pages and the public API.

The engine, the callers and what each kind of row means: tests/support/authz.py; how to add a
row: tests/support/README.md. tests/security/test_authz_matrix.py runs the union of every
app's ROWS."""

from __future__ import annotations


from django.urls import reverse

from loket.complaints import services as complaint_services
from loket.complaints.models import Complaint, Step
from tests.complaints.conftest import PATHS as COMPLAINT_PATHS
from tests.complaints.conftest import complaint_data, run_act
from tests.support.authz import ACT, API, API_PUBLIC, PAGE, POST403, PUBLIC, PUBLIC_WEB, STAFF
from tests.support.authz import Entry, builder, r, subject


def complaint_url(name, state="received", **extra):
    return lambda w: reverse(name, kwargs={"code": w.complaint(state).code, **extra})


# Complaint acts (loket/complaints/services.py ACTS), on a complaint answered directly or
# escalated to Kasi Pemerintahan ("kasi"): (state, roles past the permission layer, roles for
# whom it goes through). A role that may do the act in general but does not hold this
# complaint now (kasi_other; the front office on an escalated one) is refused like a wrong role.
CA = "answered"
COMPLAINT_ACT_RULES = {
    "escalate": ("received", {"front"}, {"front"}),
    "direction_direct": ("received", {"front"}, {"front"}),
    "direction_request": ("escalated", {"kasi"}, {"kasi"}),
    "direction_give": ("direction_requested", {"camat", "sekcam"}, {"camat", "sekcam"}),
    "coordinate": ("escalated", {"kasi"}, {"kasi"}),
    "coordination_result": ("coordinating", {"kasi"}, {"kasi"}),
    "answer": ("received", {"front"}, {"front"}),
    "correct": (CA, {"front"}, {"front"}),
    "feedback": (CA, {"front"}, {"front"}),
    "close": (CA, {"front"}, {"front"}),
    # oversight: the Camat and the Sekcam, whoever holds the complaint (received: the front office)
    "name_staff": ("received", {"camat", "sekcam"}, {"camat", "sekcam"}),
}
COMPLAINT_ACT_DATA = {
    "escalate": {"unit": "pemerintahan"},
    "direction_direct": {"question": "Mohon arahan langsung."},
    "direction_request": {"question": "Mohon arahan."},
    "direction_give": {"direction": "Koordinasikan dengan kelurahan."},
    "coordinate": {"kind": "kelurahan", "party": "Kelurahan Klegen", "question": "Mohon konfirmasi."},
    "coordination_result": {"result": "Sudah dikonfirmasi."},
    "answer": {"text": "Sudah selesai, silakan diambil."},
    "correct": {"text": "Koreksi: silakan diambil besok.", "reason": "Salah tanggal."},
    "feedback": {"satisfied": True},
    "close": {"note": "Tidak ada tanggapan."},
    # the front-office clerk, by user id (a callable: the id is the world's)
    "name_staff": lambda w: {"staff_named": w.people["front"].pk},
}
# the web form sends text: "1"/"0" for the complainant's word
COMPLAINT_WEB_DATA = {**COMPLAINT_ACT_DATA, "feedback": {"satisfied": "1"}}


def _act_data(table, action):
    data = table[action]
    return (lambda w: data(w)) if callable(data) else (lambda w: data)
COMPLAINT_RECORDERS = frozenset({"front", "kasi", "kasi_other", "sekcam", "camat"})


def _complaint_form(w):
    return {**complaint_data(), "submit": "1"}


@builder
def complaint(w, state: str = "received") -> Complaint:
    """A complaint recorded by the front office (with one PNG attached) and driven to
    ``state`` through the real acts (tests/complaints/conftest.py PATHS)."""
    if ("c", state) not in w.made:
        from django.core.files.uploadedfile import SimpleUploadedFile

        png = SimpleUploadedFile("bukti.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
        c = complaint_services.complaint_record(office=w.office, actor=w.people["front"],
                                                data=complaint_data(), files=[png])
        for step in COMPLAINT_PATHS[state]:
            run_act(step, c.code, w.people)
        c = Complaint.objects.get(pk=c.pk)
        assert c.state == state
        w.made[("c", state)] = c
    return w.made[("c", state)]


@builder
def lapor_complaint(w) -> Complaint:
    """A complaint that came through SP4N-LAPOR!, answered by the front office."""
    if "lapor" not in w.made:
        c = complaint_services.complaint_record(office=w.office, actor=w.people["front"],
                                                data=complaint_data(channel="lapor", lapor_number="#1916449"))
        run_act("answer", c.code, w.people)
        w.made["lapor"] = c
    return w.made["lapor"]


subject("complaint", model=Complaint, get=lambda w, state: w.complaint(state),
        history=lambda c: Step.objects.filter(complaint=c).count(), keeps_state=frozenset({"correct", "name_staff"}))


ROWS: list[Entry] = [
    # --- complaints: staff screens (every role looks; the acts decide who may do) --------------
    Entry("complaints:worklist", "GET", PAGE, STAFF, r("complaints:worklist")),
    Entry("complaints:list", "GET", PAGE, STAFF, lambda w: reverse("complaints:list") + "?state=received&q=KTP"),
    Entry("complaints:overdue", "GET", PAGE, STAFF, r("complaints:overdue")),
    Entry("complaints:record", "GET", PAGE, STAFF, r("complaints:record")),
    Entry("complaints:record", "POST", POST403, COMPLAINT_RECORDERS, r("complaints:record"), ok=302,
          data=_complaint_form,
          ok_location=lambda who, w: reverse("complaints:detail", kwargs={"code": Complaint.objects.latest("pk").code})),
    Entry("complaints:report", "GET", PAGE, STAFF, r("complaints:report")),
    Entry("complaints:book_xlsx", "GET", PAGE, STAFF, lambda w: reverse("complaints:book_xlsx", args=[w.complaint().received_at.year])),
    Entry("complaints:book_pdf", "GET", PAGE, STAFF, lambda w: reverse("complaints:book_pdf", args=[w.complaint().received_at.year])),
    Entry("complaints:detail", "GET", PAGE, STAFF, complaint_url("complaints:detail")),
    Entry("complaints:lapor_xlsx", "GET", PAGE, STAFF, lambda w: reverse("complaints:lapor_xlsx", args=[w.lapor_complaint().code])),
    Entry("complaints:attachment", "GET", PAGE, STAFF,
          lambda w: reverse("complaints:attachment", kwargs={"code": w.complaint().code, "pk": w.complaint().attachments.get().pk})),
    *[
        Entry("complaints:act", "POST", ACT, frozenset(roles), complaint_url("complaints:act", state, action=action), ok=302,
              variant=action, data=_act_data(COMPLAINT_WEB_DATA, action), state=state,
              succeeds=frozenset(ok), subject="complaint",
              ok_location=(lambda st: lambda who, w: reverse("complaints:detail", kwargs={"code": w.complaint(st).code}))(state))
        for action, (state, roles, ok) in COMPLAINT_ACT_RULES.items()
    ],
    # --- complaints: public pages -------------------------------------------------------------
    Entry("complaints_public:form", "GET", PUBLIC_WEB, PUBLIC, lambda w: reverse("complaints_public:form", args=[w.office.slug])),
    Entry("complaints_public:track", "GET", PUBLIC_WEB, PUBLIC, r("complaints_public:track")),
    Entry("complaints_public:track_detail", "GET", PUBLIC_WEB, PUBLIC, complaint_url("complaints_public:track_detail")),
    Entry("complaints_public:feedback", "POST", PUBLIC_WEB, PUBLIC, complaint_url("complaints_public:feedback", CA),
          ok=302, data=lambda w: {"satisfied": "1"},
          ok_location=lambda who, w: reverse("complaints_public:track_detail", kwargs={"code": w.complaint(CA).code})),
    Entry("api:complaint_file", "POST", API_PUBLIC, PUBLIC, r("api:complaint_file"), ok=201,
          data=lambda w: {k: v for k, v in complaint_data().items() if k != "channel"}),
    Entry("api:complaint_track", "GET", API_PUBLIC, PUBLIC, complaint_url("api:complaint_track")),
    Entry("api:complaint_feedback_public", "POST", API_PUBLIC, PUBLIC, complaint_url("api:complaint_feedback_public", CA),
          data=lambda w: {"satisfied": False}),
    # --- API, staff ------------------------------------------------------------------------
    Entry("api:staff_complaints", "GET", API, STAFF, r("api:staff_complaints")),
    Entry("api:staff_complaints", "POST", API, COMPLAINT_RECORDERS, r("api:staff_complaints"), ok=201,
          data=lambda w: complaint_data()),
    Entry("api:complaint_detail", "GET", API, STAFF, complaint_url("api:complaint_detail")),
    *[
        Entry("api:complaint_act", "POST", API, frozenset(roles), complaint_url("api:complaint_act", state, action=action),
              variant=action, data=_act_data(COMPLAINT_ACT_DATA, action), state=state,
              succeeds=frozenset(ok), subject="complaint")
        for action, (state, roles, ok) in COMPLAINT_ACT_RULES.items()
    ],
]
