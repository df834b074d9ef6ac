"""The hall's papers as issued documents (papers.document_issue): the quote is numbered in the
Buku Agenda Surat Keluar when the booking is registered, the kuitansi keeps its own number
from the Buku Kuitansi; both are stored as issued and the staff pages serve the stored PDF."""

from __future__ import annotations

import io

from django.urls import reverse
from pypdf import PdfReader

from loket.offices.models import Staff
from loket.papers.models import Document
from loket.registers.models import RegisterBook
from loket.rentals import services
from tests.rentals.conftest import order


def _text(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_a_booking_gets_a_numbered_quote_and_its_payment_a_kuitansi(client, hall_office, clerks):
    Staff.objects.filter(user=clerks["bendahara"]).update(full_name="Sri Lestari, S.E.", nip="198001012005012001")
    b = services.booking_create(office=hall_office, actor=clerks["kasubbag"], data=order())
    quote = Document.objects.get(reference=b.code, kind="penawaran")
    assert quote.agenda_entry.book.kind == RegisterBook.Kind.SURAT_KELUAR
    assert quote.signer_name == "Sri Lestari, S.E." and quote.signer_id == clerks["bendahara"].pk
    text = _text(quote.pdf.open("rb").read())
    assert f"Nomor: {quote.number}" in text and "Sri Lestari, S.E." in text and "NIP. 19800101 200501 2 001" in text

    client.force_login(clerks["kasubbag"])
    served = client.get(reverse("rentals:paper", args=[b.code, "penawaran"]))
    assert served.content == quote.pdf.open("rb").read()

    bendahara = type(clerks["bendahara"]).objects.get(pk=clerks["bendahara"].pk)  # with the name just entered
    b = services.booking_pay(code=b.code, actor=bendahara, amount=b.total)
    receipt = Document.objects.get(reference=b.code, kind="kuitansi")
    assert receipt.agenda_entry is None and receipt.number == b.receipt_entry.number_display
    text = _text(receipt.pdf.open("rb").read())
    assert f"Kuitansi No. {receipt.number}" in text and "Sri Lestari, S.E." in text
    served = client.get(reverse("rentals:paper", args=[b.code, "kuitansi"]))
    assert served.content == receipt.pdf.open("rb").read()
    # the kuitansi took no letter number: the agenda holds the quote alone
    assert Document.objects.filter(agenda_entry__isnull=False).count() == 1


def test_an_inquiry_has_no_numbered_quote_until_confirmed(client, hall_office, clerks):
    b = services.booking_create(office=hall_office, actor=clerks["kasubbag"], data=order(), inquiry=True)
    assert not Document.objects.filter(reference=b.code).exists()
    client.force_login(clerks["kasubbag"])
    draft = _text(client.get(reverse("rentals:paper", args=[b.code, "penawaran"])).content)
    assert "Nomor:" not in draft
    services.booking_confirm(code=b.code, actor=clerks["kasubbag"])
    assert Document.objects.filter(reference=b.code, kind="penawaran").count() == 1
