"""bench/counter.py without a browser: the human-time model's arithmetic, the recorder's counting
by kind and role, the steps that skip what is already filled in, and the goals table.

The page objects are fakes with the few Playwright locator methods the recorder and the helpers
call; the real run drives Chromium (``python bench/counter.py``)."""

import contextlib
import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "counter.py"
spec = importlib.util.spec_from_file_location("loket_bench_counter", BENCH)
counter = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = counter  # its dataclasses look their module up there
spec.loader.exec_module(counter)


class FakePage:
    """Counts the page loads a recorder waited for."""

    def __init__(self):
        self.waited = 0

    @contextlib.contextmanager
    def expect_navigation(self, timeout=None):
        yield
        self.waited += 1


class FakeLocator:
    """One element: remembers what was done to it."""

    def __init__(self, value="", *, visible=True, editable=True, checked=False, page=None):
        self.value, self.visible, self.editable, self.checked = value, visible, editable, checked
        self.page = page or FakePage()
        self.done = []

    # what present()/editable() read
    def count(self):
        return 1

    @property
    def first(self):
        return self

    def is_visible(self):
        return self.visible

    def is_editable(self):
        return self.editable

    def is_enabled(self):
        return self.editable

    def input_value(self):
        return self.value

    # the actions
    def click(self):
        self.done.append("click")

    def check(self):
        self.checked = True
        self.done.append("check")

    def uncheck(self):
        self.checked = False
        self.done.append("uncheck")

    def fill(self, value):
        self.value = value
        self.done.append(("fill", value))

    def select_option(self, value):
        self.value = value
        self.done.append(("select", value))

    def press(self, key):
        self.done.append(("press", key))


class Missing(FakeLocator):
    def count(self):
        return 0


def test_the_model_prices_each_kind_as_documented():
    assert counter.SECONDS == {"click": 1.5, "choice": 3.0, "short": 3.0, "long": 6.0, "enter": 1.0}
    counts = {"click": 13, "choice": 3, "short": 5, "long": 3, "enter": 1}
    assert counter.seconds_of(counts) == pytest.approx(13 * 1.5 + 3 * 3 + 5 * 3 + 3 * 6 + 1)
    assert counter.inputs_of(counts) == 25
    assert counter.seconds_of(dict.fromkeys(counter.KINDS, 0)) == 0


def test_the_recorder_does_each_action_and_counts_it_under_the_current_role():
    rec = counter.Recorder()
    button, box, select, field, address = FakeLocator(), FakeLocator(), FakeLocator(), FakeLocator(), FakeLocator()
    rec.click(button, "Simpan berkas", navigates=True)
    rec.tick(box, "tick KK")
    rec.choose(select, "P", "Jenis kelamin")
    rec.type(field, "Siti Aminah", "Nama")  # 11 characters: short
    rec.type(address, "Jl. Contoh No. 1, Kartoharjo", "Alamat")  # more than 12: long
    rec.type(field, "3577014508900001", "NIK")  # 16 digits: long
    rec.type(field, "catatan", "note", long=True)  # free text said to be long
    rec.enter(field, "Cari")
    rec.role = counter.KASI
    rec.click(button, "Paraf")
    rec.confirmed("dialog")

    assert button.done == ["click", "click"] and box.checked and select.value == "P"
    assert button.page.waited == 1  # the submit waited for the next page, the plain click did not
    assert field.page.waited == 1  # Enter submits: it waits too
    assert address.value == "Jl. Contoh No. 1, Kartoharjo" and field.done[-1] == ("press", "Enter")
    assert rec.counts(counter.FRONT) == {"click": 2, "choice": 1, "short": 1, "long": 3, "enter": 1}
    assert rec.counts(counter.KASI) == {"click": 2, "choice": 0, "short": 0, "long": 0, "enter": 0}
    assert rec.counts(counter.SIGNER) == dict.fromkeys(counter.KINDS, 0)
    assert counter.inputs_of(rec.counts()) == 10
    assert counter.seconds_of(rec.counts(counter.FRONT)) == pytest.approx(2 * 1.5 + 3 + 3 + 3 * 6 + 1)


def test_a_field_already_holding_the_value_or_read_only_or_absent_is_not_typed():
    rec = counter.Recorder()
    prefilled = FakeLocator("1990-08-05")
    read_only = FakeLocator("", editable=False)
    wrong = FakeLocator("Siti")
    counter.type_if_needed(rec, prefilled, "1990-08-05", "Tanggal lahir")
    counter.type_if_needed(rec, read_only, "1990-08-05", "Tanggal lahir")
    counter.type_if_needed(rec, Missing(), "P", "Jenis kelamin")
    counter.choose_if_needed(rec, FakeLocator("P"), "P", "Jenis kelamin")
    counter.type_if_needed(rec, FakeLocator("001"), "1", "RT")  # prefilled as "001": the same RT
    counter.type_if_needed(rec, FakeLocator(" Siti Aminah "), "Siti Aminah", "Nama")
    assert rec.actions == []
    assert prefilled.done == read_only.done == []

    counter.type_if_needed(rec, wrong, "Siti Aminah", "Nama")  # a prefill to correct: typed
    assert not counter.same_value("3577014508900001", "3577014508900002")  # long numbers are text
    counter.choose_if_needed(rec, FakeLocator("L"), "P", "Jenis kelamin")
    assert [(a.kind, a.what) for a in rec.actions] == [("short", "Nama"), ("choice", "Jenis kelamin")]
    assert wrong.value == "Siti Aminah"


def test_the_goals_table_uses_the_first_time_and_returning_limits():
    rec = counter.Recorder()
    for _ in range(8):
        rec.click(FakeLocator(), "x")
    rec.type(FakeLocator(), "Jl. Panjang Sekali 1", "Alamat")  # long: 6 s
    rec.role = counter.KASI
    rec.click(FakeLocator(), "Paraf")
    first = {g[0]: g[1:] for g in counter.goals_of("first-complete", rec)}
    assert first["front office inputs (first time)"] == ("9", "≤ 10", f"{10 / 9:.2f}")
    assert first["front office seconds (first time)"] == ("18.0", "≤ 60", f"{60 / 18:.2f}")
    assert first["all roles inputs"] == ("10", "≤ 16", "1.60")
    returning = {g[0]: g[1:] for g in counter.goals_of("returning-complete", rec)}
    assert returning["front office inputs (returning)"] == ("9", "≤ 5", f"{5 / 9:.2f}")
    assert "front office seconds (first time)" not in returning

    rows = counter.scenario_table("first-complete", rec)
    assert rows[0][:2] == ["first-complete", counter.FRONT] and rows[0][-2:] == ["9", "18.0"]
    assert rows[-1][1:] == ["all roles", "9", "0", "0", "1", "0", "10", "19.5"]


def test_the_doc_keeps_the_rest_and_earlier_runs_and_replaces_a_run_of_the_same_label(tmp_path, monkeypatch):
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\n## Figures\n\nkept\n")
    monkeypatch.setattr(counter, "DOC", doc)
    intro = counter.DOC_HEADING + "\n\nhow to run it"
    counter.write_doc(intro, "### before issue 15\n\nold figures\n")
    counter.write_doc(intro, "### after issue 15\n\nnew figures\n")
    counter.write_doc(intro, "### after issue 15\n\nnewer figures\n")
    assert doc.read_text() == (
        "# Performance\n\n## Figures\n\nkept\n\n" + counter.DOC_HEADING + "\n\nhow to run it\n\n"
        "### before issue 15\n\nold figures\n\n### after issue 15\n\nnewer figures\n")
    doc.write_text(doc.read_text() + "\n## Later section\n\nalso kept\n")
    counter.write_doc(intro, "### before issue 15\n\nagain\n")
    text = doc.read_text()
    assert "old figures" not in text and "again" in text and "newer figures" in text
    assert text.endswith("### after issue 15\n\nnewer figures\n\n## Later section\n\nalso kept\n")
