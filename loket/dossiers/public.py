"""A dossier's state in plain words for the citizen: what the public tracking page (/lacak/)
says, one mapping for every state (issue 15).

The staff's states name the step (diteruskan ke Kasi, diparaf, ditandatangani, diregister);
the citizen needs to know one thing: must I do something, may I come to collect? So:

- received, forwarded, initialled → "Sedang diproses";
- signed, registered → "Siap diambil": once the Camat (or the Sekcam a.n. Camat) has signed,
  the letter is done as far as the officials are concerned. Registering it in the Buku Register
  Pelayanan is a minute's work of the front office that needs no one else and is done at the
  latest when the citizen comes to collect ("Register & serahkan", one act); making the citizen
  wait for it at home would only delay the pickup;
- returned → "Dikembalikan: lengkapi …", naming what the last return recorded as missing;
- handed_over → "Sudah diserahkan";
- cancelled → "Dibatalkan", for a cancellation act a parallel change may add; the line is keyed
  by the value, so it is inert while no dossier can be in that state.

docs/operations.md (Public tracking) says the same for the office.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

IN_PROGRESS, READY, RETURNED, HANDED_OVER, CANCELLED = "in_progress", "ready", "returned", "handed_over", "cancelled"

LABELS = {
    IN_PROGRESS: _("Sedang diproses"),
    READY: _("Siap diambil"),
    RETURNED: _("Dikembalikan"),
    HANDED_OVER: _("Sudah diserahkan"),
    CANCELLED: _("Dibatalkan"),
}

HINTS = {
    IN_PROGRESS: _("Berkas Anda sedang diperiksa dan diproses oleh kantor kecamatan. Anda belum perlu datang."),
    READY: _("Surat Anda sudah ditandatangani. Silakan ambil di loket pada jam pelayanan dengan membawa tanda terima."),
    RETURNED: _("Berkas Anda belum lengkap. Lengkapi persyaratan di bawah ini, lalu bawa kembali ke loket dengan tanda terima; kode lacak tetap sama."),
    HANDED_OVER: _("Berkas sudah diserahkan. Terima kasih; mohon luangkan waktu mengisi survei kepuasan."),
    CANCELLED: _("Berkas ini dibatalkan oleh kantor kecamatan. Hubungi loket bila Anda memerlukan keterangan."),
}

# The staff state (Dossier.State value) → the public state. Keys are the stored values, so a
# value that does not exist yet ("cancelled") costs nothing and breaks nothing.
PUBLIC_OF = {
    "received": IN_PROGRESS,
    "forwarded": IN_PROGRESS,
    "initialled": IN_PROGRESS,
    "signed": READY,
    "registered": READY,
    "returned": RETURNED,
    "handed_over": HANDED_OVER,
    "cancelled": CANCELLED,
}


def public_state(dossier) -> dict:
    """{"key", "label", "hint", "missing"} of the dossier for the citizen. ``missing`` is the list
    the last return recorded (only while returned). Reads ``dossier.transitions.all()`` (prefetch
    it). A state the mapping does not know yet shows as in progress rather than failing."""
    key = PUBLIC_OF.get(dossier.state, IN_PROGRESS)
    missing: list[str] = []
    if key == RETURNED:
        last = [t for t in dossier.transitions.all() if t.to_state == "returned"]
        missing = [m for m in (last[-1].missing or []) if m] if last else []
    return {"key": key, "label": str(LABELS[key]), "hint": str(HINTS[key]), "missing": missing}
