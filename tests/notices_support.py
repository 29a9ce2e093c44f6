"""Sample notice data for every type: realistic figures, so a rendered letter can be checked."""
from __future__ import annotations

from paas.notices import document
from paas.notices.types import CHOICE, DATE, MONEY, NUMBER, notice_type

SAMPLE_TEXT = {
    "product": "Fortune Participating Whole Life", "account": "**** 6789",
    "receipt_number": "R0012345", "reference": "SR000123", "change": "Change beneficiaries",
    "reason": "documents complete", "device": "Firefox on Linux",
}


def sample_fields(type_code: str, language: str = "en") -> dict:
    kind = notice_type(type_code)
    fields = {}
    for position, data_field in enumerate(kind.fields):
        if data_field.kind == MONEY:
            fields[data_field.name] = f"{12345 + 1111 * position}.{position:02d}"
        elif data_field.kind == DATE:
            fields[data_field.name] = f"2026-0{1 + position % 9}-1{position % 9}"
        elif data_field.kind == NUMBER:
            fields[data_field.name] = 2026 if data_field.name == "year" else 3 + position
        elif data_field.kind == CHOICE:
            fields[data_field.name] = data_field.choices[0][0]
        else:
            fields[data_field.name] = SAMPLE_TEXT.get(data_field.name, "text")
    if "product" in fields and language == "zh":
        fields["product"] = "福寿分红终身寿险"
    return fields


def sample_data(type_code: str, language: str, *, number: str = "N0000001") -> dict:
    kind = notice_type(type_code)
    return document.build(type_code, notice_number=number, language=language, issued_on="2026-03-02",
                          recipient_name="张三丰" if language == "zh" else "Jane Smith",
                          policy_number="P00012345" if kind.about_policy else None,
                          fields=sample_fields(type_code, language))
