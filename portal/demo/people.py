"""The demo cast: two policyholders with their families, and four staff members."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from paas.customers.identity import resident_id_check_digit
from paas.servicing.kinds.contact import ADDRESS_PARTS, display_address

DEMO_PASSWORD = "demo-password-1"


def resident_id(region: str, born: date, sequence: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_digit(first17)


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    gender: str
    born: date
    region: str
    sequence: int
    mobile: str | None = None
    email: str | None = None
    # province, city, district, street, postcode: the parts the address form starts from
    address_parts: tuple[str, str, str, str, str] | None = None

    @property
    def address_fields(self) -> dict[str, str]:
        return dict(zip(ADDRESS_PARTS, self.address_parts)) if self.address_parts else {}

    @property
    def address(self) -> str | None:
        """The one display string, made from the parts as an address change makes it."""
        return display_address(self.address_fields) if self.address_parts else None

    @property
    def id_number(self) -> str:
        return resident_id(self.region, self.born, self.sequence)


@dataclass(frozen=True)
class DemoPolicy:
    """A policy of the demo cast; its premium comes from the pricing engine."""

    product: str
    insured: str  # Person.key
    status: str
    issue_date: date
    sum_assured: Decimal
    mode: str
    paid_to: date
    term_years: int | None  # None: whole life
    premium_term: int | str  # years or "term", as the product offers it
    status_date: date
    beneficiaries: tuple[tuple[str, str, int, Decimal], ...]  # name, relationship, rank, share
    dividend_option: str | None = None
    loan: tuple[Decimal, date] | None = None  # amount borrowed, and when
    fund_split: tuple[tuple[str, Decimal], ...] = ()  # unit-linked: share of each premium by fund
    automatic_premium_loan: bool = False


PEOPLE = (
    Person("zhang_wei", "张伟", "M", date(1985, 3, 12), "110105", 17, "+8613800138000", "demo@example.com",
           ("北京市", "北京市", "朝阳区", "建国路88号3单元1202室", "100022")),
    Person("li_na", "李娜", "F", date(1987, 7, 25), "110105", 28),
    Person("zhang_xm", "张小明", "M", date(2014, 5, 1), "110105", 35),
    Person("wang_fang", "王芳", "F", date(1978, 11, 2), "310104", 42, "+8613900139000", "demo2@example.com",
           ("上海市", "上海市", "徐汇区", "漕溪北路18号", "200030")),
    Person("chen_jie", "陈杰", "M", date(1976, 1, 30), "310104", 51),
    # A policyholder who has not opened online service yet: ``make run`` prints her details
    # so a newcomer can try enrolment (the code arrives in the development inbox).
    Person("liu_yang", "刘洋", "F", date(1990, 8, 18), "440106", 63, "+8613700137038"),
)

POLICIES = {
    "zhang_wei": (
        DemoPolicy("TERM", "zhang_wei", "in_force", date(2019, 6, 15), Decimal("1000000.00"), "annual",
                   date(2027, 6, 15), 20, "term", date(2019, 6, 15), (("李娜", "spouse", 1, Decimal("100")),)),
        DemoPolicy("WLPAR", "zhang_wei", "in_force", date(2016, 3, 1), Decimal("300000.00"), "annual",
                   date(2027, 3, 1), None, 20, date(2016, 3, 1),
                   (("李娜", "spouse", 1, Decimal("60")), ("张小明", "child", 1, Decimal("40"))),
                   dividend_option="accumulate", loan=(Decimal("20000.00"), date(2025, 5, 1)),
                   automatic_premium_loan=True),
        DemoPolicy("CI", "li_na", "grace", date(2022, 10, 20), Decimal("500000.00"), "monthly",
                   date(2026, 10, 20), 30, 20, date(2026, 10, 20), (("张伟", "spouse", 1, Decimal("100")),)),
        DemoPolicy("ENDOW", "zhang_xm", "lapsed", date(2020, 9, 1), Decimal("100000.00"), "annual",
                   date(2023, 9, 1), 20, 10, date(2023, 10, 31), (("张伟", "parent", 1, Decimal("100")),)),
    ),
    "wang_fang": (
        DemoPolicy("ULINK", "wang_fang", "in_force", date(2021, 4, 8), Decimal("250000.00"), "quarterly",
                   date(2027, 1, 8), None, 10, date(2021, 4, 8), (("陈杰", "spouse", 1, Decimal("100")),),
                   fund_split=(("BOND", Decimal("0.3")), ("BAL", Decimal("0.4")), ("GROW", Decimal("0.3")))),
        DemoPolicy("ENDOW", "wang_fang", "matured", date(2006, 5, 10), Decimal("80000.00"), "annual",
                   date(2016, 5, 10), 20, 10, date(2026, 5, 10), (("陈杰", "spouse", 1, Decimal("100")),)),
        DemoPolicy("TERM", "chen_jie", "surrendered", date(2012, 2, 29), Decimal("500000.00"), "semi_annual",
                   date(2024, 2, 29), 20, "term", date(2024, 3, 15), (("王芳", "spouse", 1, Decimal("100")),)),
        DemoPolicy("WLPAR", "wang_fang", "paid_up", date(2010, 1, 31), Decimal("150000.00"), "annual",
                   date(2018, 1, 31), None, 20, date(2018, 3, 31),
                   (("陈杰", "spouse", 1, Decimal("100")), ("王芳母亲", "parent", 2, Decimal("100"))),
                   dividend_option="paid_up_additions"),
    ),
}

# Policies of customers without an online account (they enrol themselves).
WITHOUT_ONLINE_SERVICE = {
    "liu_yang": (
        DemoPolicy("WLPAR", "liu_yang", "in_force", date(2015, 9, 1), Decimal("200000.00"), "annual",
                   date(2027, 9, 1), None, 20, date(2015, 9, 1), (("刘洋母亲", "parent", 1, Decimal("100")),),
                   dividend_option="accumulate"),
    ),
}

# Accounts held elsewhere that the policyholder added to the asset sheet (一账通).
EXTERNAL_ACCOUNTS = {
    "zhang_wei": (
        ("工资卡活期", "bank", "招商银行", "86400.00", "2026-11-20"),
        ("证券账户", "securities", "华泰证券", "125800.50", "2026-11-20"),
        ("指数基金定投", "fund", "易方达基金", "38250.00", "2026-11-15"),
        ("个人养老金账户", "pension", "中国工商银行", "12000.00", "2026-10-31"),
    ),
}

BANK_ACCOUNTS = {
    "zhang_wei": (("中国工商银行", "6222020012345678901"),),
    "wang_fang": (("招商银行", "6225880198765432"),),
}

STAFF = (
    ("underwriter@example.com", "赵核保", "underwriter", 2),
    ("adjuster@example.com", "钱理赔", "adjuster", 2),
    ("clerk@example.com", "孙保全", "clerk", 1),
    ("supervisor@example.com", "周主管", "supervisor", 3),
)
