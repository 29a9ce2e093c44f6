"""The catalogue files load, describe the five product families, and bad files are refused."""
from decimal import Decimal
from pathlib import Path

import pytest

from paas.errors import InvalidInput
from paas.products import catalogue
from paas.products.catalogue import CatalogueError, load_spec


def test_every_product_family_is_on_sale_with_bilingual_texts():
    specs = {spec.code: spec for spec in catalogue.on_sale()}
    assert set(specs) == {"TERM", "WLPAR", "ENDOW", "ULINK", "CI"}
    assert specs["TERM"].terms == (10, 20, 30)
    assert specs["WLPAR"].whole_life and specs["WLPAR"].premium_terms == (10, 20, "to_age_60")
    assert specs["WLPAR"].dividends.options == ("cash", "accumulate", "offset_premium", "paid_up_additions")
    assert specs["ENDOW"].survival_benefits.every_years == 3
    assert 2 <= len(specs["ULINK"].unit_linked.funds) <= 4
    for spec in specs.values():
        assert spec.name("zh") != spec.name("en") and spec.description("zh") and spec.description("en")
        assert spec.sum_assured[0] < spec.sum_assured[1]
        assert all(spec.modal_factors[mode] > 0 for mode in spec.modes)


def test_surrender_charges_run_off_by_year():
    spec = catalogue.product("WLPAR")
    charges = [spec.surrender_charge_share(year) for year in range(1, 12)]
    assert charges == sorted(charges, reverse=True) and charges[-1] == Decimal(0)


def test_unknown_product_is_a_clear_error():
    with pytest.raises(InvalidInput) as error:
        catalogue.product("NOPE")
    assert error.value.params == {"code": "NOPE"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('interest = "0.035"', 'interest = "abc"'), "pricing.interest"),
        (lambda t: t.replace('category = "term_life"', 'category = "pet_insurance"'), "category"),
        (lambda t: t.replace('premium_terms = ["term"]', 'premium_terms = ["forever"]'), "premium_terms"),
        (lambda t: t.replace('modes = ["annual", ', 'modes = ["weekly", "annual", '), "modal_factors.weekly"),
        (lambda t: t.replace("[pricing]", "[pricing\n"), "term_life"),
    ],
)
def test_malformed_catalogue_files_name_the_problem(tmp_path, change, message):
    source = (catalogue.CATALOGUE_DIR / "term_life.toml").read_text(encoding="utf-8")
    broken: Path = tmp_path / "term_life.toml"
    broken.write_text(change(source), encoding="utf-8")
    with pytest.raises(CatalogueError, match=message.replace(".", r"\.")):
        load_spec(broken)
