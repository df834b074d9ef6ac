"""The dossiers' rows of the authorization matrix: public tracking and verification, the
counter's staff screens, and the acts on a dossier through the web and the API.

The engine, the callers and what each kind of row means: tests/support/authz.py; how to add a
row: tests/support/README.md. tests/security/test_authz_matrix.py runs the union of every
app's ROWS."""

from __future__ import annotations


from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from loket.dossiers import services

from loket.dossiers.models import Dossier
from tests.factories import applicant_data
from tests.support.authz import ACT, API, API_PUBLIC, PAGE, POST403, PUBLIC, PUBLIC_WEB, S, STAFF
from tests.support.authz import Entry, code_url, r


HOME_OF = {"kasi": "/staf/paraf/", "kasi_other": "/staf/paraf/", "sekcam": "/staf/pimpinan/",
           "camat": "/staf/pimpinan/", "bendahara": "/staf/gedung/", "ppat": "/staf/akta/", "admin": "/admin/"}

# The web acts and the API acts share these: (state of the dossier, roles the permission layer
# lets through, roles for whom the act succeeds in that state). Allowed roles that do not
# succeed hit WrongState (web: message; API: 409).
ACT_RULES = {
    "forward": (S.RECEIVED, {"front"}, {"front"}),
    # two roles may return, each in its own state: the front office before forwarding, the Kasi
    # of the dossier's unit at the re-check. On a FORWARDED dossier the front office is past the
    # role check and gets WrongState.
    "return": (S.FORWARDED, {"front", "kasi"}, {"kasi"}),
    "initial": (S.FORWARDED, {"kasi"}, {"kasi"}),            # Kasi of the unit only, not kasi_other
    "sign": (S.INITIALLED, {"camat", "sekcam"}, {"camat", "sekcam"}),
    "register": (S.SIGNED, {"front"}, {"front"}),
    "handover": (S.REGISTERED, {"front"}, {"front"}),
    "resubmit": (S.RETURNED, {"front"}, {"front"}),
    # who holds the dossier corrects its applicant data: the front office while received or
    # returned, the Kasi of the unit while forwarded or initialled (here: WrongState)
    "correct": (S.RECEIVED, {"front", "kasi"}, {"front"}),
    # the citizen waits: register and hand over in one act (two transitions)
    "register_handover": (S.SIGNED, {"front"}, {"front"}),
    # undoing a mistake at the counter: the front office alone (a return made at the counter —
    # the world's RETURNED dossier is an incomplete intake —, an intake still at the counter)
    "cancel_return": (S.RETURNED, {"front"}, {"front"}),
    "cancel_intake": (S.RECEIVED, {"front"}, {"front"}),
    # the missing paper brought: take back and forward in one act (two transitions)
    "resubmit_forward": (S.RETURNED, {"front"}, {"front"}),
}
WRITES = {"register_handover": 2, "resubmit_forward": 2}  # history rows the act adds; one for every other act


def _web_act_data(action):
    def data(w):
        if action == "return":
            return {"reason": "Tanda tangan lurah tidak ada", "missing": "Surat Pengantar RT/ RW"}
        if action in ("resubmit", "resubmit_forward"):
            return {"present": w.items, "original": w.items}
        if action == "correct":
            return {"name": "Siti Aminah Rahayu", "reason": "Nama sesuai KK."}
        if action == "cancel_return":
            return {"reason": "Salah centang", "present": w.items, "original": w.items}
        if action == "cancel_intake":
            return {"reason": "Salah pilih layanan"}
        return {}
    return data


def _api_act_data(action):
    def data(w):
        if action == "return":
            return {"reason": "Tanda tangan lurah tidak ada", "missing": ["Surat Pengantar RT/ RW"]}
        if action in ("resubmit", "resubmit_forward"):
            return {"present": w.items, "originals": w.items}
        if action == "correct":
            return {"changes": {"name": "Siti Aminah Rahayu"}, "reason": "Nama sesuai KK."}
        if action == "cancel_return":
            return {"reason": "Salah centang", "present": w.items, "originals": w.items}
        if action == "cancel_intake":
            return {"reason": "Salah pilih layanan"}
        return {}
    return data


def _web_act_location(action):
    def where(who, w):
        if action == "initial" and who in ACT_RULES["initial"][2]:
            return "/staf/paraf/"
        if action == "sign" and who in ACT_RULES["sign"][2]:
            return "/staf/tanda-tangan/"
        return reverse("dossiers:detail", kwargs={"code": w.code(ACT_RULES[action][0])})
    return where


def _intake_form(w):
    a = applicant_data()
    a["birth_date"] = a["birth_date"].isoformat()
    return {**a, "service": "pindah", "submit": "1", "present": w.items, "original": w.items}


def _api_intake(w):
    a = applicant_data()
    a["birth_date"] = a["birth_date"].isoformat()
    return {"service": "pindah", "applicant": a, "present": w.items, "originals": w.items}


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # what upload_check reads: the signature


def _scan_form(w):
    return {"file": SimpleUploadedFile("kk.png", PNG, content_type="image/png"), "scan_note": "KK"}


def _scan(w):
    """A scan attached to the world's received dossier (made once)."""
    if "scan" not in w.made:
        w.made["scan"] = services.dossier_attach(code=w.code(S.RECEIVED), actor=w.people["front"],
                                                 file=SimpleUploadedFile("kk.png", PNG), note="KK")
    return w.made["scan"]


# The scans carry the applicant's NIK and KK in full: opened only by the roles that read them
# (offices.roles.NIK_FULL_ROLES; not the Bendahara nor the PPAT officer).
SCAN_READERS = frozenset({"front", "kasi", "kasi_other", "sekcam", "camat", "admin"})

ROWS: list[Entry] = [
    Entry("track", "GET", PUBLIC_WEB, PUBLIC, r("track")),
    Entry("track_detail", "GET", PUBLIC_WEB, PUBLIC, code_url("track_detail")),
    Entry("verify_detail", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("verify_detail", kwargs={"code": w.dossier(S.REGISTERED).verification_code})),
    # --- staff screens: every role of an office may look; the acts decide who may do ---------
    Entry("dossiers:home", "GET", PAGE, STAFF, r("dossiers:home"), ok=302,
          ok_location=lambda who, w: HOME_OF.get(who, "/staf/berkas/")),
    Entry("dossiers:today", "GET", PAGE, STAFF, r("dossiers:today")),
    Entry("dossiers:search", "GET", PAGE, STAFF, lambda w: reverse("dossiers:search") + "?q=Aminah", variant="name"),
    # an exact tracking code opens the dossier (another office's code is listed as unknown)
    Entry("dossiers:search", "GET", PAGE, STAFF, lambda w: reverse("dossiers:search") + f"?q={w.code()}", ok=302,
          variant="code", ok_location=lambda who, w: reverse("dossiers:detail", kwargs={"code": w.code()})),
    Entry("dossiers:intake", "GET", PAGE, STAFF, lambda w: reverse("dossiers:intake") + "?layanan=pindah"),
    Entry("dossiers:intake", "POST", POST403, frozenset({"front"}), r("dossiers:intake"), ok=302, data=_intake_form,
          ok_location=lambda who, w: reverse("dossiers:detail", kwargs={"code": Dossier.objects.latest("pk").code})),
    Entry("dossiers:detail", "GET", PAGE, STAFF, code_url("dossiers:detail")),
    Entry("dossiers:paper", "GET", PAGE, STAFF, code_url("dossiers:paper", kind="tanda-terima"),
          variant="tanda-terima"),
    Entry("dossiers:paper", "GET", PAGE, STAFF, code_url("dossiers:paper", S.RETURNED, kind="slip-pengembalian"),
          variant="slip-pengembalian"),
    Entry("dossiers:paper", "GET", PAGE, STAFF, code_url("dossiers:paper", S.REGISTERED, kind="stempel-verifikasi"),
          variant="stempel-verifikasi"),
    Entry("dossiers:kasi", "GET", PAGE, STAFF, r("dossiers:kasi")),
    # the Kasi's batch paraf: the Kasi of the dossier's unit only (kasi_other: "hanya untuk")
    Entry("dossiers:kasi", "POST", ACT, frozenset({"kasi"}), r("dossiers:kasi"), ok=302,
          data=lambda w: {"code": [w.code(S.FORWARDED)]}, state=S.FORWARDED,
          succeeds=frozenset({"kasi"}), ok_location=lambda who, w: "/staf/paraf/"),
    Entry("dossiers:signature", "GET", PAGE, STAFF, r("dossiers:signature")),
    Entry("dossiers:signature", "POST", ACT, frozenset({"camat", "sekcam"}), r("dossiers:signature"), ok=302,
          data=lambda w: {"code": [w.code(S.INITIALLED)]}, state=S.INITIALLED,
          succeeds=frozenset({"camat", "sekcam"}), ok_location=lambda who, w: "/staf/tanda-tangan/"),
    *[
        Entry("dossiers:act", "POST", ACT, frozenset(roles), code_url("dossiers:act", state, action=action), ok=302,
              variant=action, data=_web_act_data(action), state=state, succeeds=frozenset(ok),
              ok_location=_web_act_location(action), writes=WRITES.get(action, 1))
        for action, (state, roles, ok) in ACT_RULES.items()
    ],
    # --- scans of the papers: the front office attaches (received, returned, forwarded) -------
    Entry("dossiers:attach", "POST", POST403, frozenset({"front"}), code_url("dossiers:attach"), ok=302,
          data=_scan_form, ok_location=lambda who, w: reverse("dossiers:detail", kwargs={"code": w.code()})),
    Entry("dossiers:attachment", "GET", PAGE, SCAN_READERS,
          lambda w: reverse("dossiers:attachment", kwargs={"code": w.code(), "pk": _scan(w).pk})),
    Entry("api:dossier_attachments", "GET", API, STAFF, code_url("api:dossier_attachments")),
    # a JSON body carries no file: past the authorisation, the act's field error (400)
    Entry("api:dossier_attachments", "POST", API, frozenset({"front"}), code_url("api:dossier_attachments"), ok=400),
    Entry("api:track", "GET", API_PUBLIC, PUBLIC, code_url("api:track")),
    Entry("api:verify", "GET", API_PUBLIC, PUBLIC,
          lambda w: reverse("api:verify", kwargs={"code": w.dossier(S.REGISTERED).verification_code})),
    Entry("api:dossier_create", "POST", API, frozenset({"front"}), r("api:dossier_create"), ok=201, data=_api_intake),
    Entry("api:dossier_detail", "GET", API, STAFF, code_url("api:dossier_detail")),
    # a returning citizen's last data: the roles that may read personal data (NIK_FULL_ROLES)
    Entry("api:applicant_last", "GET", API, frozenset({"front", "kasi", "kasi_other", "sekcam", "camat", "admin"}),
          lambda w: w.code() and reverse("api:applicant_last", kwargs={"nik": applicant_data()["nik"]})),
    *[
        Entry("api:dossier_action", "POST", API, frozenset(roles), code_url("api:dossier_action", state, action=action),
              variant=action, data=_api_act_data(action), state=state, succeeds=frozenset(ok),
              writes=WRITES.get(action, 1))
        for action, (state, roles, ok) in ACT_RULES.items()
    ],
]
