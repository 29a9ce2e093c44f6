"""The products on sale, as data. The pricing bases, limits and loadings of each product are
added with the actuarial engine; names and descriptions are what the pages need now."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.products.models import Product

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

TERM = "term_life"
WHOLE_LIFE = "whole_life"
ENDOWMENT = "endowment"
UNIVERSAL = "universal"
CRITICAL_ILLNESS = "critical_illness"

CATALOGUE: tuple[dict, ...] = (
    {
        "code": "TERM20",
        "category": TERM,
        "name_zh": "安心定期寿险（20年）",
        "name_en": "Assured Term Life (20 years)",
        "participating": False,
        "description_zh": "20年保障期内身故或全残，按保额给付。保费低、保障高。",
        "description_en": "Pays the sum assured on death or total disability within 20 years. Low premium, high cover.",
    },
    {
        "code": "WLPAR",
        "category": WHOLE_LIFE,
        "name_zh": "福寿分红终身寿险",
        "name_en": "Fortune Participating Whole Life",
        "participating": True,
        "description_zh": "终身身故保障，每年分享公司红利，可选现金领取、累积生息、抵交保费或购买增额。",
        "description_en": "Lifelong death cover with yearly dividends: take them in cash, leave them to grow, "
        "reduce premiums or buy paid-up additions.",
    },
    {
        "code": "ENDOW",
        "category": ENDOWMENT,
        "name_zh": "金彩两全保险",
        "name_en": "Golden Years Endowment",
        "participating": False,
        "description_zh": "每三年领取生存金，满期领取满期金，期内身故给付保额。",
        "description_en": "A survival benefit every three years, a maturity benefit at the end, and the sum "
        "assured if the insured dies during the term.",
    },
    {
        "code": "ULINK",
        "category": UNIVERSAL,
        "name_zh": "智选投资连结保险",
        "name_en": "SmartChoice Unit-Linked",
        "participating": False,
        "description_zh": "保费投入所选投资账户，可追加保费、部分领取和账户转换。",
        "description_en": "Premiums buy units in the funds you choose; top up, withdraw part or switch funds.",
    },
    {
        "code": "CI",
        "category": CRITICAL_ILLNESS,
        "name_zh": "康宁重大疾病保险",
        "name_en": "Wellbeing Critical Illness",
        "participating": False,
        "description_zh": "确诊合同约定的重大疾病，一次性给付保额。",
        "description_en": "Pays the sum assured in one sum on diagnosis of a covered critical illness.",
    },
)


def sync_catalogue(session: "Session") -> dict[str, Product]:
    """Make the products table hold the catalogue (idempotent); returns products by code."""
    existing = {p.code: p for p in session.execute(select(Product).where(Product.version == 1)).scalars()}
    for entry in CATALOGUE:
        product = existing.get(entry["code"])
        if product is None:
            product = Product(version=1, **entry)
            session.add(product)
            existing[entry["code"]] = product
        else:
            for key, value in entry.items():
                if getattr(product, key) != value:
                    setattr(product, key, value)
    session.flush()
    return existing
