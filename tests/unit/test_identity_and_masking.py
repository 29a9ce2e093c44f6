import pytest

from paas.customers.identity import (
    looks_like_resident_id,
    normalise_email,
    normalise_mobile,
    normalise_resident_id,
    resident_id_check_digit,
)
from paas.customers.masking import mask_account_number, mask_address, mask_email, mask_id_number, mask_mobile
from paas.errors import InvalidInput


def test_published_resident_id_example_has_check_character_x():
    # The GB 11643-1999 worked example: 11010519491231002X.
    assert resident_id_check_digit("11010519491231002") == "X"
    assert normalise_resident_id("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize("text", ["110105194912310021", "1101051949123100", "11010519491331002X", "abc", ""])
def test_bad_resident_ids_are_refused_with_a_message(text):
    with pytest.raises(InvalidInput) as error:
        normalise_resident_id(text)
    assert error.value.field == "id_number"


def test_looks_like_resident_id_only_checks_shape():
    assert looks_like_resident_id("110105 19491231 002X")
    assert not looks_like_resident_id("13800138000")


@pytest.mark.parametrize("text", ["13800138000", "138 0013 8000", "+86 138-0013-8000", "008613800138000"])
def test_mobiles_normalise_to_e164(text):
    assert normalise_mobile(text) == "+8613800138000"


@pytest.mark.parametrize("text", ["12345", "010 6552 9988", "not a number", "", "9" * 40])
def test_non_mobiles_are_refused(text):
    with pytest.raises(InvalidInput):
        normalise_mobile(text)


def test_email_normalised_and_checked():
    assert normalise_email("  Zhang.Wei@Example.COM ") == "zhang.wei@example.com"
    for bad in ("no-at-sign", "a@b", "x" * 250 + "@example.com"):
        with pytest.raises(InvalidInput):
            normalise_email(bad)


def test_masks_keep_only_what_identifies_without_exposing():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_mobile("+8613800138000") == "+86 138****8000"
    assert mask_email("zhang.wei@example.com") == "z***@example.com"
    assert mask_account_number("6222020012345678901") == "**** 8901"
    masked = mask_address("北京市朝阳区建国路88号3单元1202室")
    assert masked.startswith("北京市朝阳区") and "88号" not in masked
    assert mask_mobile(None) == mask_email(None) == ""
