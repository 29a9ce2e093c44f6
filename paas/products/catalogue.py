"""The catalogue: one TOML file per product version under ``catalogue/``, read once.

Files are data a product manager can read and change in review; a malformed file stops the
platform at start-up with the file and key named, rather than mispricing a policy."""
from __future__ import annotations

import tomllib
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from paas.errors import N_, InvalidInput
from paas.policies.terms import PAYMENTS_PER_YEAR
from paas.products.models import Product
from paas.products.spec import (
    SAME_AS_TERM,
    TO_AGE_60,
    Dividends,
    Fund,
    ProductSpec,
    SurvivalBenefits,
    UnitLinkedTerms,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

CATALOGUE_DIR = Path(__file__).with_name("catalogue")
CATEGORIES = ("term_life", "whole_life", "endowment", "unit_linked", "critical_illness")
UNKNOWN_PRODUCT = N_("There is no product %(code)s.")


class CatalogueError(ValueError):
    pass


@cache
def catalogue() -> dict[tuple[str, int], ProductSpec]:
    specs = {}
    for path in sorted(CATALOGUE_DIR.glob("*.toml")):
        spec = load_spec(path)
        if (spec.code, spec.version) in specs:
            raise CatalogueError(f"{path.name}: {spec.code} version {spec.version} is defined twice")
        specs[(spec.code, spec.version)] = spec
    return specs


def on_sale() -> list[ProductSpec]:
    """The newest version of each product, in catalogue order."""
    latest: dict[str, ProductSpec] = {}
    for spec in catalogue().values():
        if spec.code not in latest or spec.version > latest[spec.code].version:
            latest[spec.code] = spec
    return sorted(latest.values(), key=lambda s: CATEGORIES.index(s.category))


def product(code: str, version: int | None = None) -> ProductSpec:
    code = (code or "").strip().upper()[:32]
    if version is not None:
        spec = catalogue().get((code, version))
    else:
        spec = next((s for s in on_sale() if s.code == code), None)
    if spec is None:
        raise InvalidInput(UNKNOWN_PRODUCT, field="product", code=code)
    return spec


def sync_catalogue(session: "Session") -> dict[str, Product]:
    """Make the products table list every product version (idempotent); returns the rows of
    the versions on sale by code."""
    rows = {(p.code, p.version): p for p in session.execute(select(Product)).scalars()}
    for (code, version), spec in catalogue().items():
        values = {
            "category": spec.category,
            "name_zh": spec.name_zh,
            "name_en": spec.name_en,
            "participating": spec.participating,
            "description_zh": spec.description_zh,
            "description_en": spec.description_en,
        }
        row = rows.get((code, version))
        if row is None:
            row = rows[(code, version)] = Product(code=code, version=version, **values)
            session.add(row)
        else:
            for key, value in values.items():
                if getattr(row, key) != value:
                    setattr(row, key, value)
    session.flush()
    return {spec.code: rows[(spec.code, spec.version)] for spec in on_sale()}


def load_spec(path: Path) -> ProductSpec:
    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise CatalogueError(f"{path.name}: {exc}") from exc
    reader = _Reader(path.name, data)
    return reader.spec()


class _Reader:
    def __init__(self, source: str, data: dict[str, Any]) -> None:
        self.source = source
        self.data = data

    def fail(self, key: str, problem: str) -> CatalogueError:
        return CatalogueError(f"{self.source}: {key}: {problem}")

    def get(self, key: str, default: Any = ...) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                if default is ...:
                    raise self.fail(key, "missing")
                return default
            node = node[part]
        return node

    def money(self, key: str, value: Any = ...) -> Decimal:
        raw = self.get(key) if value is ... else value
        try:
            amount = Decimal(str(raw))
        except InvalidOperation as exc:
            raise self.fail(key, f"{raw!r} is not a number") from exc
        if amount < 0:
            raise self.fail(key, "must not be negative")
        return amount

    def shares(self, key: str, default: Any = ...) -> tuple[Decimal, ...]:
        values = self.get(key, default)
        if not isinstance(values, list) or not values:
            raise self.fail(key, "must be a non-empty list")
        return tuple(self.money(key, v) for v in values)

    def spec(self) -> ProductSpec:
        low, high = self.get("eligibility.issue_ages")
        terms = tuple(None if t == "whole_life" else int(t) for t in self.get("eligibility.terms"))
        premium_terms = tuple(self.get("eligibility.premium_terms"))
        for term in premium_terms:
            if not (isinstance(term, int) and term > 0) and term not in (SAME_AS_TERM, TO_AGE_60):
                raise self.fail("eligibility.premium_terms", f"{term!r} is not a number of years, 'term' or 'to_age_60'")
        modes = tuple(self.get("eligibility.modes"))
        factors = {mode: self.money(f"pricing.modal_factors.{mode}") for mode in modes}
        unknown = set(modes) - set(PAYMENTS_PER_YEAR)
        if unknown:
            raise self.fail("eligibility.modes", f"unknown {sorted(unknown)}")
        category = self.get("category")
        if category not in CATEGORIES:
            raise self.fail("category", f"must be one of {CATEGORIES}")
        return ProductSpec(
            code=self.get("code"),
            version=int(self.get("version")),
            category=category,
            participating=bool(self.get("participating")),
            name_zh=self.get("name.zh"),
            name_en=self.get("name.en"),
            description_zh=self.get("description.zh"),
            description_en=self.get("description.en"),
            issue_ages=(int(low), int(high)),
            max_age_at_expiry=self.get("eligibility.max_age_at_expiry", None),
            terms=terms,
            premium_terms=premium_terms,
            sum_assured=tuple(self.money("eligibility.sum_assured", v) for v in self.get("eligibility.sum_assured")),
            modes=modes,
            table=self.get("pricing.table"),
            interest=self.money("pricing.interest"),
            premium_loading=self.money("pricing.premium_loading"),
            policy_fee=self.money("pricing.policy_fee"),
            modal_factors=factors,
            incidence_multiple=self.money("pricing.incidence_multiple", self.get("pricing.incidence_multiple", "1")),
            surrender_charges=self.shares("values.surrender_charges"),
            single_premium_surrender_charges=self.shares("values.single_premium_surrender_charges", ["0"]),
            loan_share=self.money("values.loan_share"),
            loan_interest=self.money("values.loan_interest"),
            reinstatement_interest=self.money("values.reinstatement_interest"),
            dividends=self._dividends(),
            survival_benefits=self._survival_benefits(),
            unit_linked=self._unit_linked(),
            source=self.source,
        )

    def _dividends(self) -> Dividends | None:
        if "dividends" not in self.data:
            return None
        return Dividends(
            scale=self.shares("dividends.scale"),
            accumulation_interest=self.money("dividends.accumulation_interest"),
            options=tuple(self.get("dividends.options")),
        )

    def _survival_benefits(self) -> SurvivalBenefits | None:
        if "survival_benefits" not in self.data:
            return None
        return SurvivalBenefits(
            every_years=int(self.get("survival_benefits.every_years")),
            share_of_sum_assured=self.money("survival_benefits.share_of_sum_assured"),
            maturity_share=self.money("survival_benefits.maturity_share"),
            accumulation_interest=self.money("survival_benefits.accumulation_interest"),
        )

    def _unit_linked(self) -> UnitLinkedTerms | None:
        if "unit_linked" not in self.data:
            return None
        funds = tuple(
            Fund(f["code"], f["name"]["zh"], f["name"]["en"], f["risk"]) for f in self.get("unit_linked.funds")
        )
        if not 2 <= len(funds) <= 4:
            raise self.fail("unit_linked.funds", "a unit-linked product offers 2 to 4 funds")
        return UnitLinkedTerms(
            max_cover_multiple=int(self.get("unit_linked.max_cover_multiple")),
            min_annual_premium=self.money("unit_linked.min_annual_premium"),
            allocation=self.shares("unit_linked.allocation"),
            surrender_charges=self.shares("unit_linked.surrender_charges"),
            funds=funds,
        )
