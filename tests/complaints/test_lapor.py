"""SP4N-LAPOR! as an intake channel (issue 17): the tracking number (format, unique per office,
only for that channel), LAPOR!'s two clocks beside the law's (3 working days to forward, 5 to
follow up, on the office's working-day calendar), both on the overdue list, and the export of
the follow-up the LAPOR! operator enters."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from loket.complaints import selectors, services
from loket.complaints.models import Complaint
from loket.core.errors import InvalidInput
from loket.offices.models import Holiday
from tests.complaints.conftest import complaint_data

S = Complaint.State
JKT = dt.timezone(dt.timedelta(hours=7))


def lapor(**over) -> dict:
    return complaint_data(**{"channel": "lapor", "lapor_number": "#1916449", **over})


def _record(office, people, at: dt.datetime | None = None, **over) -> Complaint:
    with mock.patch.object(timezone, "now", (lambda: at) if at else timezone.now):
        return services.complaint_record(office=office, actor=people["front"], data=lapor(**over))


def test_a_lapor_complaint_keeps_its_number_and_both_clocks_on_working_days(office, people):
    # Thursday 1 October 2026; Friday 2 October a holiday of the office's calendar
    Holiday.objects.create(date=dt.date(2026, 10, 2), name="Libur uji", office=office)
    c = _record(office, people, at=dt.datetime(2026, 10, 1, 9, 0, tzinfo=JKT))
    assert (c.channel, c.lapor_number) == ("lapor", "1916449")
    assert c.lapor_forward_due == dt.date(2026, 10, 7)    # Mon 5, Tue 6, Wed 7
    assert c.lapor_followup_due == dt.date(2026, 10, 9)   # … Thu 8, Fri 9
    assert c.legal_due_date == dt.date(2026, 11, 30)      # the law's own clock stays
    assert "1916449" in c.register_entry.note


@pytest.mark.parametrize("number, message", [
    ("", "wajib diisi"), ("12a45", "5–12 angka"), ("1234", "5–12 angka"), ("1234567890123", "5–12 angka"),
])
def test_a_bad_lapor_number_is_refused_and_nothing_is_saved(office, people, number, message):
    with pytest.raises(InvalidInput) as info:
        services.complaint_record(office=office, actor=people["front"], data=lapor(lapor_number=number))
    assert message in info.value.errors["lapor_number"][0]
    assert not Complaint.objects.exists()


def test_a_lapor_number_is_unique_per_office_and_only_for_that_channel(office, people):
    first = _record(office, people)
    with pytest.raises(InvalidInput) as info:
        services.complaint_record(office=office, actor=people["front"], data=lapor(lapor_number="1916449"))
    assert first.code in info.value.errors["lapor_number"][0]
    with pytest.raises(InvalidInput) as info:
        services.complaint_record(office=office, actor=people["front"], data=complaint_data(lapor_number="1916450"))
    assert "hanya diisi untuk saluran" in info.value.errors["lapor_number"][0]
    assert Complaint.objects.count() == 1


def test_the_overdue_list_covers_lapors_forwarding_and_follow_up(office, people):
    start = dt.datetime(2026, 10, 1, 9, 0, tzinfo=JKT)
    untouched = _record(office, people, at=start)
    escalated = _record(office, people, at=start, lapor_number="2000001")
    services.complaint_escalate(code=escalated.code, actor=people["front"], unit_code="pemerintahan")
    plain = services.complaint_record(office=office, actor=people["front"], data=complaint_data())
    # Thursday 8 Oct: past the forwarding date (Tue 6), not yet the follow-up (Thu 8) nor the target
    day = dt.date(2026, 10, 8)
    late = {c.pk for c in selectors.overdue(office=office, today=day)}
    assert untouched.pk in late and escalated.pk not in late and plain.pk not in late
    a = selectors.ageing(Complaint.objects.get(pk=untouched.pk), today=day)
    assert (a.lapor_forward_late, a.lapor_followup_late, a.overdue, a.late) == (True, False, False, True)
    # Friday 9 Oct: past the follow-up date too; the escalated one is late now
    assert escalated.pk in {c.pk for c in selectors.overdue(office=office, today=dt.date(2026, 10, 9))}
    assert selectors.ageing(plain, today=day).lapor_followup_due is None


def test_reopening_gives_lapor_a_new_follow_up_date(office, people):
    c = _record(office, people, at=dt.datetime(2026, 10, 1, 9, 0, tzinfo=JKT))
    services.complaint_answer(code=c.code, actor=people["front"], text="Sudah ditindaklanjuti.", reply_via="lapor")
    with mock.patch.object(timezone, "now", lambda: dt.datetime(2026, 10, 12, 9, 0, tzinfo=JKT)):
        c = services.complaint_feedback(code=c.code, satisfied=False)
    assert (c.state, c.lapor_followup_due, c.lapor_forward_due) == (S.REOPENED, dt.date(2026, 10, 19), dt.date(2026, 10, 6))


def test_lapor_reply_needs_a_lapor_number(office, people, make_complaint):
    c = make_complaint()
    with pytest.raises(InvalidInput) as info:
        services.complaint_answer(code=c.code, actor=people["front"], text="Jawaban.", reply_via="lapor")
    assert "reply_via" in info.value.errors


def test_detail_api_and_export_show_lapors_clocks_and_follow_up(client, office, people):
    c = _record(office, people)
    services.complaint_answer(code=c.code, actor=people["front"], text="=Sudah ditindaklanjuti.", reply_via="lapor")
    client.force_login(people["kasi"])
    page = client.get(f"/staf/pengaduan/{c.code}/").content.decode()
    assert "1916449" in page and "SP4N-LAPOR!: tindak lanjut (5 hari kerja)" in page
    body = client.get(f"/api/v1/staff/complaints/{c.code}/").json()
    assert body["lapor_number"] == "1916449"
    assert body["lapor_forward_due"] == c.lapor_forward_due.isoformat()
    assert body["lapor_followup_due"] == c.lapor_followup_due.isoformat() and body["lapor_overdue"] is False
    r = client.get(f"/staf/pengaduan/{c.code}/lapor.xlsx")
    assert r.status_code == 200 and r["Content-Disposition"].endswith('lapor-1916449.xlsx"')
    rows = list(load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True))
    header = rows.index(next(row for row in rows if row and row[0] == "Nomor Tracking LAPOR!"))
    line = rows[header + 1]
    assert line[:5] == ("1916449", c.code, "Dijawab", "Ditindaklanjuti", "=Sudah ditindaklanjuti.")
    assert line[6] == (people["front"].get_full_name() or people["front"].username)


def test_the_export_is_only_for_a_lapor_complaint(client, people, make_complaint):
    c = make_complaint()
    client.force_login(people["front"])
    assert client.get(f"/staf/pengaduan/{c.code}/lapor.xlsx").status_code == 404


def test_a_lapor_number_taken_between_the_check_and_the_insert_is_refused(office, people, monkeypatch):
    from loket.complaints import inputs

    _record(office, people)
    monkeypatch.setattr(inputs, "lapor_number_clean", lambda errors, office, channel, raw: "1916449")  # the race
    with pytest.raises(InvalidInput) as info:
        services.complaint_record(office=office, actor=people["front"], data=lapor())
    assert "baru saja dicatat" in info.value.errors["lapor_number"][0]
    assert Complaint.objects.count() == 1
