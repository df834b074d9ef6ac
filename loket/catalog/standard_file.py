"""The Standar Pelayanan as a readable data file (YAML), and its validation.

``parse_standard_file`` reads a file such as ``standards/kartoharjo-2018.yaml`` and returns a
validated ``StandardFile``; anything malformed raises ``StandardFileError`` naming the file,
the key path and the line, and saying what is wrong. Loading into the database is in
``loket.catalog.services.standard_load``, which uses one transaction: nothing is half-loaded.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from loket.catalog.archive import archive_code_problem

BUNDLED_DIR = Path(__file__).resolve().parent / "standards"
DEFAULT_STANDARD = BUNDLED_DIR / "kartoharjo-2018.yaml"
FORMAT = "loket-standard/1"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
OptText = Annotated[str, StringConstraints(strip_whitespace=True)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", max_length=40)]
Time = Annotated[str, StringConstraints(pattern=r"^(?:[01]\d|2[0-3]):[0-5]\d$|^$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Social(_Strict):
    network: Text
    account: Text


class Number(_Strict):
    label: Text
    number: Text


class Person(_Strict):
    title: OptText = ""
    name: Text
    rank: OptText = ""
    nip: OptText = ""


class OfficeData(_Strict):
    slug: Slug
    region_code: Annotated[str, StringConstraints(pattern=r"^\d{2}\.\d{2}\.\d{2}$")]
    government: Annotated[str, StringConstraints(max_length=120)] = ""  # kop line 1: "PEMERINTAH KOTA MADIUN"
    name: Text
    city: Text
    province: OptText = ""
    address: OptText = ""
    postal_code: Annotated[str, StringConstraints(pattern=r"^(\d{5})?$")] = ""  # kode pos: 5 digits
    telephone: OptText = ""
    fax: OptText = ""
    email: OptText = ""
    website: OptText = ""
    opening_hours: OptText = ""  # hari dan jam pelayanan, when the office states them
    social: list[Social] = []
    sms_wa: list[Number] = []
    head: Person
    maklumat: OptText = ""


class UnitData(_Strict):
    code: Slug
    name: Text
    kind: Literal["kasi", "subbag", "ppat"]


class KelurahanData(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")]
    name: Text


class EditionData(_Strict):
    year: Annotated[int, Field(ge=1945, le=2100)]
    title: Text
    signed_on: dt.date | None = None
    signed_place_date: OptText = ""
    signer: Person


class RequirementData(_Strict):
    text: Text
    show_original: bool = False
    group: OptText = ""
    condition: OptText = ""
    condition_key: Annotated[str, StringConstraints(pattern=r"^([a-z0-9]+(_[a-z0-9]+)*)?$")] = ""

    @model_validator(mode="after")
    def _key_with_condition(self):
        if bool(self.condition) != bool(self.condition_key):
            raise ValueError("condition dan condition_key harus diisi bersama (atau keduanya kosong)")
        return self


class DurationData(_Strict):
    min: Annotated[int, Field(ge=0)]
    max: Annotated[int, Field(ge=0)]
    unit: Literal["minute", "day"]
    text: Text

    @model_validator(mode="after")
    def _ordered(self):
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) lebih kecil dari min ({self.min})")
        return self


class TariffData(_Strict):
    code: Slug
    label: Text
    kind: Literal["session", "staff"]
    start: Time = ""
    end: Time = ""
    quantity: Annotated[int, Field(ge=1)] = 1
    unit: OptText = ""
    unit_price: Annotated[int, Field(ge=0)]

    @model_validator(mode="after")
    def _session_has_hours(self):
        if self.kind == "session" and not (self.start and self.end):
            raise ValueError("tarif sesi harus punya jam mulai (start) dan selesai (end)")
        if self.start and self.end and self.end <= self.start:
            raise ValueError(f"jam selesai {self.end} tidak setelah jam mulai {self.start}")
        return self


class FeeData(_Strict):
    kind: Literal["free", "percent_cap", "tariff"]
    text: Text
    percent: Decimal | None = None
    government_discount_percent: Annotated[int, Field(ge=0, le=100)] | None = None
    tariffs: list[TariffData] = []
    notes: list[Text] = []

    @model_validator(mode="after")
    def _details_match_kind(self):
        if self.kind == "percent_cap" and (self.percent is None or not (0 < self.percent <= 100)):
            raise ValueError("biaya percent_cap memerlukan percent antara 0 dan 100")
        if self.kind == "tariff" and not self.tariffs:
            raise ValueError("biaya tariff memerlukan daftar tariffs")
        if self.kind != "tariff" and self.tariffs:
            raise ValueError(f"tariffs hanya untuk biaya kind tariff, bukan {self.kind}")
        codes = [t.code for t in self.tariffs]
        if len(codes) != len(set(codes)):
            raise ValueError("kode tarif ganda")
        return self


class Contact(_Strict):
    label: Text
    value: Text


# The staff roles a service's complaint flowchart may name (loket.offices.roles.Role, less the admin).
ComplaintRole = Literal["front_office", "kasi", "sekcam", "camat", "bendahara", "ppat_officer"]


class ComplaintRoutingData(_Strict):
    """Loket's reading of a service's own complaint flowchart (not the book's wording): who is
    its front office, its back office (a Kasi heads one of ``units``), who gives direction.
    Absent: the general flowchart (loket/complaints/policy.py, docs/complaints.md)."""

    front_office: Annotated[list[ComplaintRole], Field(min_length=1)] = ["front_office"]
    back_office: Annotated[list[ComplaintRole], Field(min_length=1)] = ["kasi"]
    direction: Annotated[list[ComplaintRole], Field(min_length=1)] = ["camat", "sekcam"]
    units: list[Slug] = []


class ComplaintHandlingData(_Strict):
    channels: list[Text] = []
    contacts: list[Contact] = []
    steps: list[Text] = []
    routing: ComplaintRoutingData | None = None


class ServiceData(_Strict):
    number: Annotated[int, Field(ge=1)]
    code: Slug
    name: Text
    short_name: Text
    unit: Slug
    # The front office picks the verifying unit among the office's Kasi at intake (service 15).
    unit_chosen_at_intake: bool = False
    signer: Literal["camat_or_sekcam", "camat", "camat_ppat", "none"]
    register_book: Literal["pelayanan", "ppat", "penyewa"]
    product: Text
    forwarded_to: OptText = ""
    legal_basis: Annotated[list[Text], Field(min_length=1)]
    requirements: Annotated[list[RequirementData], Field(min_length=1)]
    procedure: Annotated[list[Text], Field(min_length=1)]
    duration: DurationData
    fee: FeeData
    facilities: list[Text] = []
    competence: list[Text] = []
    internal_oversight: Text
    complaint_handling: ComplaintHandlingData
    staffing: Text
    service_guarantee: Text
    security_guarantee: Text
    performance_evaluation: list[Text] = []
    # Kode klasifikasi arsip (Permendagri 83/2022), optional: see loket/catalog/archive.py.
    archive_code: OptText = ""

    @model_validator(mode="after")
    def _archive_code_format(self):
        problem = archive_code_problem(code=self.archive_code, service=f"{self.code} ({self.short_name})")
        if problem:
            raise ValueError(problem)
        return self


class StandardFile(_Strict):
    format: Literal["loket-standard/1"]
    office: OfficeData
    units: Annotated[list[UnitData], Field(min_length=1)]
    kelurahan: list[KelurahanData] = []
    edition: EditionData
    services: Annotated[list[ServiceData], Field(min_length=1)]

    @model_validator(mode="after")
    def _cross_checks(self):
        unit_codes = [u.code for u in self.units]
        _unique(unit_codes, "units", "code")
        _unique([k.code for k in self.kelurahan], "kelurahan", "code")
        _unique([s.code for s in self.services], "services", "code")
        _unique([s.number for s in self.services], "services", "number")
        for k in self.kelurahan:
            if not k.code.startswith(self.office.region_code + "."):
                raise ValueError(f"kelurahan {k.code} bukan wilayah kecamatan {self.office.region_code}")
        for i, s in enumerate(self.services):
            if s.unit not in unit_codes:
                raise ValueError(f"services[{i}] ({s.code}): unit '{s.unit}' tidak ada di daftar units")
        return self


def _unique(values, where: str, key: str):
    seen = set()
    for v in values:
        if v in seen:
            raise ValueError(f"{where}: {key} '{v}' muncul lebih dari sekali")
        seen.add(v)


class StandardFileError(Exception):
    """A standard file that cannot be loaded; ``problems`` lists every finding."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


def _line_index(node, path=(), index=None) -> dict[tuple, int]:
    """Map each key path of a composed YAML document to its (1-based) line."""
    if index is None:
        index = {}
    index[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            index[path + (key_node.value,)] = key_node.start_mark.line + 1
            _line_index(value_node, path + (key_node.value,), index)
            index[path + (key_node.value,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, path + (i,), index)
    return index


def _format_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(dokumen)"


def parse_standard_text(text: str, *, path: Path | str = "<teks>") -> StandardFile:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"baris {mark.line + 1}, kolom {mark.column + 1}: " if mark else ""
        raise StandardFileError(path, [f"{where}YAML tidak valid ({getattr(exc, 'problem', exc)})"]) from None
    if not isinstance(data, dict):
        raise StandardFileError(path, ["isi berkas harus berupa mapping dengan kunci format, office, units, edition, services"])
    lines = _line_index(node)
    try:
        return StandardFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "literal["))))
            line = None
            for cut in range(len(loc), -1, -1):
                if loc[:cut] in lines:
                    line = lines[loc[:cut]]
                    break
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"{_format_loc(loc)} (baris {line}): {msg}")
        raise StandardFileError(path, problems) from None


def parse_standard_file(path: Path | str) -> StandardFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StandardFileError(path, [f"berkas tidak dapat dibaca ({exc})"]) from None
    return parse_standard_text(text, path=path)


def parse_time(value: str) -> dt.time | None:
    if not value:
        return None
    h, m = map(int, re.split(":", value))
    return dt.time(h, m)


# --- catatan evaluasi: the review notes file beside a standard ------------------------------------

NOTES_FORMAT = "loket-review-notes/1"


class NoteData(_Strict):
    key: Slug
    services: list[Slug] = []
    component: Annotated[int, Field(ge=1, le=14)]
    kind: Literal["law_change", "text_error"]
    quote: OptText = ""
    text: Text
    source: Text
    verified: bool = False


class NotesFile(_Strict):
    format: Literal["loket-review-notes/1"]
    edition: Annotated[int, Field(ge=1945, le=2100)]
    notes: list[NoteData] = []

    @model_validator(mode="after")
    def _unique_keys(self):
        _unique([n.key for n in self.notes], "notes", "key")
        return self


def notes_path_for(path: Path | str) -> Path:
    """``kartoharjo-2018.yaml`` → ``kartoharjo-2018.notes.yaml`` (the review notes beside it)."""
    path = Path(path)
    return path.with_name(path.stem + ".notes.yaml")


def parse_notes_file(path: Path | str) -> NotesFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise StandardFileError(path, [f"berkas catatan tidak dapat dibaca ({exc})"]) from None
    try:
        return NotesFile.model_validate(data)
    except ValidationError as exc:
        raise StandardFileError(path, [
            f"{_format_loc(tuple(e['loc']))}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()
        ]) from None
