"""Notice data checked against its type, signed, verified, and refused once tampered."""
from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iaas.keyring import LocalKeyRing
from paas.errors import InvalidInput
from paas.notices import document
from paas.notices.types import ALL, CHOICE, DATE, LABEL, MONEY, NUMBER, all_types, notice_type
from tests.notices_support import sample_data

HYPOTHESIS_RING = LocalKeyRing.generate()


def test_the_registry_holds_the_eleven_letters_and_the_account_notices():
    codes = [t.code for t in all_types()]
    assert len(codes) == len(set(codes)) == 24
    assert [t.code for t in ALL if t.has_letter] == [
        "policy_issued", "premium_due", "premium_receipt", "grace_warning", "lapse", "survival_benefit",
        "dividend", "annual_statement", "endorsement", "claim_decision", "loan_interest"]
    assert {t.code for t in ALL if t.legally_required} == {"lapse", "claim_decision"}
    with pytest.raises(InvalidInput):
        notice_type("lapse_of_reason")


@pytest.mark.parametrize("kind", ALL, ids=lambda t: t.code)
def test_every_type_builds_signs_and_verifies(kind):
    ring = LocalKeyRing.generate()
    signed = document.sign(sample_data(kind.code, "zh"), ring)
    assert document.verify(signed.data, signed.signature, signed.key_id, keys=ring)
    assert document.verify(signed.data, signed.signature, signed.key_id, keys=ring.public_keys())
    for data_field in kind.fields:
        if data_field.required:
            assert data_field.name in signed.data["fields"]


def test_amounts_are_decimal_strings_to_the_fen_and_dates_iso():
    data = document.build("premium_due", notice_number="N0001", language="en", issued_on=date(2026, 3, 1),
                          recipient_name="张三丰", policy_number="P000123",
                          fields={"amount": Decimal("1234.5"), "due_date": date(2026, 3, 16), "grace_end": "2026-05-15"})
    assert data["fields"] == {"amount": "1234.50", "due_date": "2026-03-16", "grace_end": "2026-05-15"}
    assert data["recipient_masked"] == "张*丰"
    assert document.canonical_bytes(data) == document.canonical_bytes(dict(reversed(list(data.items()))))
    assert b" " not in document.canonical_bytes(data).replace("张".encode(), b"")


def test_data_not_fitting_its_type_is_refused_with_every_fault_at_once():
    with pytest.raises(InvalidInput) as refused:
        document.build("premium_due", notice_number="N1", language="fr", issued_on="2026-02-30",
                       recipient_name="A B", policy_number="P1",
                       fields={"amount": 12.5, "due_date": "soon", "bonus": "1"})
    fields = {error.field for error in refused.value.errors}
    assert {"language", "issued_on", "amount", "due_date", "grace_end", "fields"} <= fields
    with pytest.raises(InvalidInput):
        document.build("claim_decision", notice_number="N1", language="zh", issued_on="2026-01-01",
                       recipient_name="A", policy_number="P1",
                       fields={"reference": "C1", "decision": "maybe", "decided_on": "2026-01-01"})


def test_tampered_data_or_signature_does_not_verify():
    ring = LocalKeyRing.generate()
    signed = document.sign(sample_data("claim_decision", "en"), ring)
    richer = {**signed.data, "fields": {**signed.data["fields"], "amount": "99999.00"}}
    assert not document.verify(richer, signed.signature, signed.key_id, keys=ring)
    renamed = {**signed.data, "recipient_name": "Mallory"}
    assert not document.verify(renamed, signed.signature, signed.key_id, keys=ring)
    assert not document.verify({**signed.data, "type": "nothing"}, signed.signature, signed.key_id, keys=ring)
    middle = len(signed.signature) // 2  # not the last characters: their spare bits decode to nothing
    flipped = signed.signature[:middle] + ("B" if signed.signature[middle] == "A" else "A") + signed.signature[middle + 1:]
    assert not document.verify(signed.data, flipped, signed.key_id, keys=ring)
    assert not document.verify(signed.data, signed.signature, "kunknown", keys=ring)
    assert not document.verify(signed.data, "not base64!", signed.key_id, keys=ring.public_keys())


def test_old_notices_verify_after_the_key_rotates_and_a_foreign_ring_refuses():
    ring = LocalKeyRing.generate()
    signed = document.sign(sample_data("lapse", "zh"), ring)
    rotated = ring.rotated()
    assert rotated.active_key_id != signed.key_id
    assert document.verify(signed.data, signed.signature, signed.key_id, keys=rotated)
    assert document.sign(signed.data, rotated).key_id == rotated.active_key_id
    assert not document.verify(signed.data, signed.signature, signed.key_id, keys=LocalKeyRing.generate())


def test_the_verification_code_is_short_stable_and_read_back_as_typed():
    ring = LocalKeyRing.generate()
    signed = document.sign(sample_data("dividend", "zh"), ring)
    code = signed.code
    assert len(code) == 14 and code.count("-") == 2
    assert code == document.verification_code(signed.signature)
    assert document.normalised_code(code.lower().replace("-", " ")) == code
    other = document.sign({**signed.data, "notice_number": "N0000002"}, ring)
    assert other.code != code


@settings(max_examples=300, deadline=None)
@given(signature=st.one_of(st.binary(min_size=64, max_size=64).map(
    lambda raw: base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")), st.text(max_size=90)))
def test_the_verification_code_is_the_first_twelve_base32_letters_of_the_signatures_hash(signature):
    # The definition the codes on paper were made by (encoding the whole digest), not the shortcut.
    try:
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    except ValueError:
        raw = signature.encode("utf-8")
    letters = base64.b32encode(hashlib.sha256(raw).digest()).decode("ascii")[:12]
    assert document.verification_code(signature) == f"{letters[:4]}-{letters[4:8]}-{letters[8:]}"


def test_field_kinds_are_known():
    assert {f.kind for t in ALL for f in t.fields} <= {MONEY, DATE, NUMBER, CHOICE, LABEL, "text"}


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from(ALL), position=st.integers(min_value=0, max_value=50),
       value=st.one_of(st.text(max_size=12), st.integers(min_value=-10**6, max_value=10**9),
                       st.decimals(allow_nan=False, allow_infinity=False, places=3), st.dates().map(str)))
def test_any_edit_that_changes_the_data_fails_verification(kind, position, value):
    signed = document.sign(sample_data(kind.code, "zh"), HYPOTHESIS_RING)
    names = [f"fields.{f.name}" for f in kind.fields] + ["recipient_name", "recipient_masked", "policy_number",
                                                        "issued_on", "notice_number", "language", "type"]
    name = names[position % len(names)]
    edited = {**signed.data, "fields": dict(signed.data["fields"])}
    if name.startswith("fields."):
        edited["fields"][name[7:]] = value
    else:
        edited[name] = value
    try:
        same = document.canonical(edited) == signed.data
    except InvalidInput:
        same = False
    assert document.verify(edited, signed.signature, signed.key_id, keys=HYPOTHESIS_RING) == same


def _outcome(check, data):
    try:
        return check(data)
    except InvalidInput as error:
        return "refused", [(fault.message, fault.field, sorted(map(repr, fault.params.items()))) for fault in error.errors]
    except Exception as error:  # noqa: BLE001 - whatever the full check raises, the short way must too
        return "raised", type(error).__name__


TRICKY = st.one_of(
    st.none(), st.just(""), st.just("   "), st.text(max_size=8), st.text(min_size=199, max_size=202),
    st.integers(min_value=-10**30, max_value=10**30), st.booleans(), st.floats(allow_nan=True),
    st.decimals(places=2), st.decimals(), st.dates(), st.datetimes(), st.dates().map(str),
    st.sampled_from(["1200.00", "01200.00", "1200.5", "1200.005", "-3.00", "0.00", "1e3", "١٢.٣٤", "12.34 ",
                     "1234567890123456.00", "9" * 27 + ".00", "2027-01-01", "20270101", "2027-W01-1", "zh", "en",
                     "ZH", "premium_due", "lapse", "annual", "approved", "other", "N0000001"]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@settings(max_examples=600, deadline=None)
@given(kind=st.sampled_from(ALL), language=st.sampled_from(["zh", "en"]),
       edits=st.lists(st.tuples(st.integers(min_value=0, max_value=60), TRICKY, st.booleans()), max_size=3))
def test_the_short_way_of_canonical_gives_what_the_full_check_gives(kind, language, edits):
    # canonical takes plain data the short way; whatever it is given, the result (or the
    # faults named) must be the full check's own.
    data = sample_data(kind.code, language)
    data = {**data, "fields": dict(data["fields"])}
    for position, value, remove in edits:
        names = [f"fields.{f.name}" for f in kind.fields] + [
            "recipient_name", "recipient_masked", "policy_number", "issued_on", "notice_number", "language", "type",
            "v", "extra", "fields"]
        name = names[position % len(names)]
        if name.startswith("fields."):
            if not isinstance(data.get("fields"), dict):
                continue
            where, key = data["fields"], name[7:]
        else:
            where, key = data, name
        if remove:
            where.pop(key, None)
        else:
            where[key] = value
    assert _outcome(document.canonical, data) == _outcome(document._checked_canonical, data)
    if not edits:
        assert document._plain_canonical(document._checked_canonical(data)) == document._checked_canonical(data)


ODD_VALUES = [None, "", "  ", " N 1 ", "x" * 200, "x" * 201, 0, 7, -3, 10**30, True, 1.5, Decimal("1200.005"),
              Decimal("-0.00"), Decimal("1E+3"), Decimal("NaN"), Decimal("12345678901234567890123456789.00"),
              date(2027, 1, 1), datetime(2027, 1, 1, 5, 30), "2027-01-01", "20270101", "2027-W01-1", "2027-02-30",
              "1200.00", "01200.00", "1200.5", "-3.00", "0.00", "1e3", "١٢.٣٤", "1234567890123456.00",
              "123456789012345.00", "9" * 27 + ".00", "zh", "en", "ZH", "premium_due", "annual", "approved",
              "dividend.cash", ["1"], {"a": 1}]


@pytest.mark.parametrize("kind", ALL, ids=lambda t: t.code)
def test_the_short_way_of_canonical_agrees_on_every_odd_value_in_every_place(kind):
    for language in ("zh", "en"):
        base = sample_data(kind.code, language)
        names = [f"fields.{f.name}" for f in kind.fields] + [
            "recipient_name", "recipient_masked", "policy_number", "issued_on", "notice_number", "language", "type",
            "v", "extra", "fields"]
        for name in names:
            for value in ODD_VALUES:
                data = {**base, "fields": dict(base["fields"])}
                if name.startswith("fields."):
                    data["fields"][name[7:]] = value
                else:
                    data[name] = value
                assert _outcome(document.canonical, data) == _outcome(document._checked_canonical, data), (name, value)
