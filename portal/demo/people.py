"""The demo cast: two policyholders with their families, and four staff members."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from paas.customers.identity import resident_id_check_digit

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
    address: str | None = None

    @property
    def id_number(self) -> str:
        return resident_id(self.region, self.born, self.sequence)


@dataclass(frozen=True)
class DemoPolicy:
    product: str
    insured: str  # Person.key
    status: str
    issue_date: date
    sum_assured: Decimal
    modal_premium: Decimal
    mode: str
    paid_to: date
    term_years: int | None  # None: whole life
    premium_years: int | None
    status_date: date
    beneficiaries: tuple[tuple[str, str, int, Decimal], ...]  # name, relationship, rank, share


PEOPLE = (
    Person("zhang_wei", "张伟", "M", date(1985, 3, 12), "110105", 17, "+8613800138000", "demo@example.com",
           "北京市朝阳区建国路88号3单元1202室"),
    Person("li_na", "李娜", "F", date(1987, 7, 25), "110105", 28),
    Person("zhang_xm", "张小明", "M", date(2014, 5, 1), "110105", 35),
    Person("wang_fang", "王芳", "F", date(1978, 11, 2), "310104", 42, "+8613900139000", "demo2@example.com",
           "上海市徐汇区漕溪北路18号"),
    Person("chen_jie", "陈杰", "M", date(1976, 1, 30), "310104", 51),
)

POLICIES = {
    "zhang_wei": (
        DemoPolicy("TERM20", "zhang_wei", "in_force", date(2019, 6, 15), Decimal("1000000.00"), Decimal("1860.00"),
                   "annual", date(2027, 6, 15), 20, 20, date(2019, 6, 15), (("李娜", "spouse", 1, Decimal("100")),)),
        DemoPolicy("WLPAR", "zhang_wei", "in_force", date(2016, 3, 1), Decimal("300000.00"), Decimal("8520.00"),
                   "annual", date(2027, 3, 1), None, 20, date(2016, 3, 1),
                   (("李娜", "spouse", 1, Decimal("60")), ("张小明", "child", 1, Decimal("40")))),
        DemoPolicy("CI", "li_na", "grace", date(2022, 10, 20), Decimal("500000.00"), Decimal("612.50"),
                   "monthly", date(2026, 10, 20), 30, 20, date(2026, 10, 20), (("张伟", "spouse", 1, Decimal("100")),)),
        DemoPolicy("ENDOW", "zhang_xm", "lapsed", date(2020, 9, 1), Decimal("100000.00"), Decimal("10000.00"),
                   "annual", date(2023, 9, 1), 18, 10, date(2023, 10, 31), (("张伟", "parent", 1, Decimal("100")),)),
    ),
    "wang_fang": (
        DemoPolicy("ULINK", "wang_fang", "in_force", date(2021, 4, 8), Decimal("250000.00"), Decimal("5000.00"),
                   "quarterly", date(2027, 1, 8), None, 10, date(2021, 4, 8), (("陈杰", "spouse", 1, Decimal("100")),)),
        DemoPolicy("ENDOW", "wang_fang", "matured", date(2006, 5, 10), Decimal("80000.00"), Decimal("6200.00"),
                   "annual", date(2016, 5, 10), 20, 10, date(2026, 5, 10), (("陈杰", "spouse", 1, Decimal("100")),)),
        DemoPolicy("TERM20", "chen_jie", "surrendered", date(2012, 2, 29), Decimal("500000.00"), Decimal("2380.00"),
                   "semi_annual", date(2024, 2, 29), 20, 20, date(2024, 3, 15), (("王芳", "spouse", 1, Decimal("100")),)),
        DemoPolicy("WLPAR", "wang_fang", "paid_up", date(2010, 1, 31), Decimal("150000.00"), Decimal("4300.00"),
                   "annual", date(2018, 1, 31), None, 20, date(2018, 3, 31),
                   (("陈杰", "spouse", 1, Decimal("50")), ("王芳母亲", "parent", 2, Decimal("100")))),
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
