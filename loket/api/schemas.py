"""Shapes of the API's JSON, as they appear in the OpenAPI schema."""

from typing import Literal

from ninja import Field, Schema


class EditionOut(Schema):
    office: str
    year: int
    signed_on: str | None = Field(description="Sorting date only: the book may print no day (see signed_place_date).")
    signed_place_date: str = Field(description="Place and date exactly as the signed book prints them, e.g. 'Madiun, Agustus 2018'.")
    signer: str
    status: str


class DurationOut(Schema):
    min: int
    max: int
    unit: Literal["minute", "day"]
    text: str


class TariffOut(Schema):
    code: str
    label: str
    kind: Literal["session", "staff"]
    start: str | None
    end: str | None
    quantity: int
    unit: str
    unit_price: int
    amount: int


class FeeOut(Schema):
    kind: Literal["free", "percent_cap", "tariff"]
    text: str
    percent: str | None = None
    government_discount_percent: int | None = None
    tariffs: list[TariffOut] = []
    notes: list[str] = []


class RequirementOut(Schema):
    id: int
    text: str
    condition: str
    condition_key: str
    show_original: bool
    group: str


class ContactOut(Schema):
    label: str
    value: str


class ComplaintHandlingOut(Schema):
    channels: list[str]
    contacts: list[ContactOut]
    steps: list[str]


class ServiceTypeOut(Schema):
    number: int
    code: str
    name: str
    short_name: str
    unit: str
    signer: str
    register_book: str
    product: str
    forwarded_to: str
    duration: DurationOut
    fee: FeeOut
    requirements: list[RequirementOut]
    procedure: list[str]
    legal_basis: list[str]
    facilities: list[str]
    competence: list[str]
    internal_oversight: str
    complaint_handling: ComplaintHandlingOut
    staffing: str
    service_guarantee: str
    security_guarantee: str
    performance_evaluation: list[str]


class ServiceListOut(Schema):
    edition: EditionOut
    services: list[ServiceTypeOut]


class ErrorOut(Schema):
    detail: str


# A refusal of typed input: one message, and the messages per field (no docstring: it would enter the schema).
class FieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]
