"""Bulk data for benchmarks: ``portal seed --policies 1000000`` (400,000 customers by default).

Generated people and policies are varied but coherent: Chinese names, households (a couple,
an adult child or a parent), valid and unique resident ID numbers whose sequence digit
matches the gender, unique mobiles, policies whose dates, premiums, paid-to dates and
statuses agree with each other, beneficiaries whose shares sum to 100 and the most recent
(at most three) premiums paid. Bulk customers get no login.

The data is deterministic for a given ``seed``, ``today`` and starting point (ciphertexts
excepted: every encryption takes a fresh nonce). Customer and policy numbers come from
``paas.numbering.allocate``, so a bulk load never clashes with data already there.

PostgreSQL: one transaction. Rows are generated in worker processes (forked) while the main
process streams them to the server with ``COPY``; for a large load the secondary indexes and
the foreign keys of the loaded tables are dropped first and recreated (identically, from the
catalogue's own definitions) at the end, then the tables are analysed. SQLite: the same rows,
inserted in batches with ``executemany``.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import random
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.types import Date, DateTime, Integer, Numeric

from paas.customers.identity import resident_id_check_digit
from paas.customers.models import Customer
from paas.customers.registry import ID_NUMBER_CONTEXT
from paas.numbering import CUSTOMER_NUMBER, POLICY_NUMBER, allocate
from paas.platform import Platform
from paas.policies.models import Beneficiary, Policy, PremiumPayment
from paas.policies.schedule import add_months
from paas.products.catalogue import sync_catalogue

DEFAULT_SEED = 20261127
CUSTOMERS_PER_POLICY = 0.4
# Rows are generated in batches, each from its own random stream: the same batches on every
# database and with any number of workers, hence the same data.
CUSTOMER_BATCH = 20_000
POLICY_BATCH = 25_000
NULL = "\\N"  # COPY text format

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

# (surname, pinyin, weight per mille) - the most common surnames, roughly by frequency.
SURNAMES = (
    ("王", "wang", 72), ("李", "li", 72), ("张", "zhang", 68), ("刘", "liu", 54), ("陈", "chen", 45),
    ("杨", "yang", 31), ("黄", "huang", 22), ("赵", "zhao", 21), ("吴", "wu", 20), ("周", "zhou", 19),
    ("徐", "xu", 13), ("孙", "sun", 12), ("马", "ma", 12), ("朱", "zhu", 11), ("胡", "hu", 10),
    ("郭", "guo", 10), ("何", "he", 9), ("林", "lin", 9), ("高", "gao", 9), ("罗", "luo", 8),
    ("郑", "zheng", 8), ("梁", "liang", 7), ("谢", "xie", 6), ("宋", "song", 6), ("唐", "tang", 6),
    ("许", "xu", 5), ("韩", "han", 5), ("邓", "deng", 5), ("冯", "feng", 5), ("曹", "cao", 5),
    ("彭", "peng", 5), ("曾", "zeng", 4), ("肖", "xiao", 4), ("田", "tian", 4), ("董", "dong", 4),
    ("潘", "pan", 4), ("袁", "yuan", 4), ("蔡", "cai", 4), ("蒋", "jiang", 4), ("余", "yu", 4),
    ("于", "yu", 4), ("杜", "du", 4), ("叶", "ye", 4), ("程", "cheng", 3), ("魏", "wei", 3),
    ("苏", "su", 3), ("吕", "lv", 3), ("丁", "ding", 3), ("任", "ren", 3), ("卢", "lu", 3),
    ("姚", "yao", 3), ("沈", "shen", 3), ("钟", "zhong", 3), ("姜", "jiang", 3), ("崔", "cui", 3),
    ("谭", "tan", 3), ("陆", "lu", 3), ("范", "fan", 2), ("汪", "wang", 2), ("廖", "liao", 2),
    ("石", "shi", 2), ("金", "jin", 2), ("韦", "wei", 2), ("贾", "jia", 2), ("夏", "xia", 2),
    ("付", "fu", 2), ("方", "fang", 2), ("邹", "zou", 2), ("熊", "xiong", 2), ("白", "bai", 2),
    ("孟", "meng", 2), ("秦", "qin", 2), ("邱", "qiu", 2), ("侯", "hou", 2), ("江", "jiang", 2),
    ("尹", "yin", 2), ("薛", "xue", 2), ("闫", "yan", 2), ("段", "duan", 2), ("雷", "lei", 2),
    ("龙", "long", 1), ("黎", "li", 1), ("史", "shi", 1), ("陶", "tao", 1), ("贺", "he", 1),
    ("毛", "mao", 1), ("郝", "hao", 1), ("顾", "gu", 1), ("龚", "gong", 1), ("邵", "shao", 1),
    ("万", "wan", 1), ("覃", "qin", 1), ("武", "wu", 1), ("钱", "qian", 1), ("戴", "dai", 1),
    ("严", "yan", 1), ("欧阳", "ouyang", 1), ("司马", "sima", 1), ("上官", "shangguan", 1), ("诸葛", "zhuge", 1),
)
MALE_GIVEN = (
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("勇", "yong"), ("杰", "jie"), ("涛", "tao"),
    ("斌", "bin"), ("超", "chao"), ("明", "ming"), ("刚", "gang"), ("平", "ping"), ("辉", "hui"), ("鹏", "peng"),
    ("华", "hua"), ("飞", "fei"), ("鑫", "xin"), ("波", "bo"), ("宇", "yu"), ("浩", "hao"), ("凯", "kai"),
    ("健", "jian"), ("俊", "jun"), ("帆", "fan"), ("帅", "shuai"), ("旭", "xu"), ("宁", "ning"), ("龙", "long"),
    ("建", "jian"), ("国", "guo"), ("志", "zhi"), ("文", "wen"), ("东", "dong"), ("海", "hai"), ("峰", "feng"),
    ("亮", "liang"), ("成", "cheng"), ("晨", "chen"), ("博", "bo"), ("阳", "yang"), ("睿", "rui"), ("轩", "xuan"),
    ("泽", "ze"), ("豪", "hao"), ("诚", "cheng"), ("毅", "yi"), ("彬", "bin"), ("康", "kang"), ("振", "zhen"),
)
FEMALE_GIVEN = (
    ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("艳", "yan"), ("娟", "juan"),
    ("霞", "xia"), ("秀", "xiu"), ("玲", "ling"), ("燕", "yan"), ("婷", "ting"), ("雪", "xue"), ("慧", "hui"),
    ("莉", "li"), ("琳", "lin"), ("颖", "ying"), ("倩", "qian"), ("洁", "jie"), ("晶", "jing"), ("佳", "jia"),
    ("琪", "qi"), ("欣", "xin"), ("悦", "yue"), ("怡", "yi"), ("萱", "xuan"), ("雨", "yu"), ("梦", "meng"),
    ("月", "yue"), ("兰", "lan"), ("红", "hong"), ("梅", "mei"), ("丹", "dan"), ("蕾", "lei"), ("薇", "wei"),
    ("璐", "lu"), ("瑶", "yao"), ("婧", "jing"), ("妍", "yan"), ("萍", "ping"), ("桂", "gui"), ("英", "ying"),
)
# (division code, address prefix, district) - the code opens the resident ID number.
REGIONS = (
    ("110105", "北京市", "朝阳区"), ("110108", "北京市", "海淀区"), ("310104", "上海市", "徐汇区"),
    ("310115", "上海市", "浦东新区"), ("120101", "天津市", "和平区"), ("500103", "重庆市", "渝中区"),
    ("440106", "广东省广州市", "天河区"), ("440305", "广东省深圳市", "南山区"), ("330106", "浙江省杭州市", "西湖区"),
    ("320102", "江苏省南京市", "玄武区"), ("320505", "江苏省苏州市", "虎丘区"), ("510107", "四川省成都市", "武侯区"),
    ("420106", "湖北省武汉市", "武昌区"), ("610113", "陕西省西安市", "雁塔区"), ("370102", "山东省济南市", "历下区"),
    ("370202", "山东省青岛市", "市南区"), ("350102", "福建省福州市", "鼓楼区"), ("350203", "福建省厦门市", "思明区"),
    ("430104", "湖南省长沙市", "岳麓区"), ("210102", "辽宁省沈阳市", "和平区"), ("210202", "辽宁省大连市", "中山区"),
    ("410105", "河南省郑州市", "金水区"), ("340104", "安徽省合肥市", "蜀山区"), ("360102", "江西省南昌市", "东湖区"),
    ("530102", "云南省昆明市", "五华区"), ("450103", "广西壮族自治区南宁市", "青秀区"), ("130102", "河北省石家庄市", "长安区"),
    ("140105", "山西省太原市", "小店区"), ("230103", "黑龙江省哈尔滨市", "南岗区"), ("220102", "吉林省长春市", "南关区"),
    ("520102", "贵州省贵阳市", "南明区"), ("620102", "甘肃省兰州市", "城关区"), ("150102", "内蒙古自治区呼和浩特市", "新城区"),
    ("460106", "海南省海口市", "龙华区"), ("650102", "新疆维吾尔自治区乌鲁木齐市", "天山区"),
)
ROADS = (
    "人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "长江路", "黄河路", "文化路", "胜利路", "朝阳路",
    "青年路", "光明路", "友谊路", "幸福路", "东风路", "学府路", "科技路", "创业大道", "滨江路", "湖滨路", "花园路",
    "育才路", "金融街", "世纪大道", "银河路", "环城北路", "振兴路", "体育路", "迎宾大道",
)
ESTATE_NAMES = (
    "阳光", "幸福", "金色", "碧水", "翠湖", "锦绣", "春天", "东方", "世纪", "明珠", "御景", "滨江", "枫林", "紫荆", "康乐", "和谐",
)
ESTATES = ("花园", "小区", "家园", "新村", "公寓", "苑", "华庭", "嘉园")
EMAIL_DOMAINS = ("example.com", "example.cn", "example.net", "example.org")

# Age of customers today: (from, to inclusive, weight).
AGE_BANDS = ((18, 24, 8), (25, 34, 25), (35, 44, 28), (45, 54, 22), (55, 64, 12), (65, 70, 5))

# Household roles: how the people of one household are related.
PRIMARY, SPOUSE, CHILD, PARENT = 0, 1, 2, 3

# Product rules. term: years of cover (None = whole life); pay: premium years by weight;
# single: share of single-premium policies; max_age: oldest insured at issue.
PRODUCT_WEIGHTS = (("TERM20", 22), ("WLPAR", 22), ("ENDOW", 20), ("ULINK", 12), ("CI", 24))
CASH_VALUE_PRODUCTS = ("WLPAR", "ENDOW", "ULINK")
PAID_UP_PRODUCTS = ("WLPAR", "ENDOW")
MAX_ISSUE_AGE = {"TERM20": 60, "WLPAR": 65, "ENDOW": 60, "ULINK": 65, "CI": 55}
SINGLE_SHARE = {"TERM20": 0.0, "WLPAR": 0.10, "ENDOW": 0.15, "ULINK": 0.20, "CI": 0.0}

# Modes of regular-premium policies: (mode, weight, months between dues, factor on the annual premium).
MODES = (("annual", 62, 12, 1.0), ("semi_annual", 8, 6, 0.52), ("quarterly", 9, 3, 0.265), ("monthly", 21, 1, 0.09))

# Target status mix before nature takes its course (an endowment whose term has run out is matured).
STATUS_WEIGHTS = (("in_force", 820), ("grace", 40), ("lapsed", 60), ("paid_up", 30), ("surrendered", 50))
GRACE_DAYS = 60
CHANNELS = (("bank_debit", 70), ("card", 20), ("counter", 10))


def _expand(weighted: Iterable[tuple]) -> tuple:
    """A lookup table in which each item appears ``weight`` times (item, weight last)."""
    table = []
    for entry in weighted:
        item = entry[0] if len(entry) == 2 else entry[:-1]
        table.extend([item] * entry[-1])
    return tuple(table)


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


@dataclass
class BulkReport:
    customers: int = 0
    policies: int = 0
    beneficiaries: int = 0
    premiums: int = 0
    first_customer_number: str = ""
    first_policy_number: str = ""
    database: str = ""
    workers: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        rows = self.customers + self.policies + self.beneficiaries + self.premiums
        rate = rows / self.seconds if self.seconds else 0.0
        phases = ", ".join(f"{name} {secs:.1f}s" for name, secs in self.phases.items())
        return (
            f"Bulk data loaded into {self.database}: {self.customers:,} customers, {self.policies:,} policies, "
            f"{self.beneficiaries:,} beneficiaries, {self.premiums:,} premium payments in {self.seconds:.1f} s "
            f"({rate:,.0f} rows/s; {phases}). Customers from {self.first_customer_number}, "
            f"policies from {self.first_policy_number}."
        )


# ---------------------------------------------------------------------------------------------
# Step 1 (main process): the people - households, names, ages and unique ID numbers
# ---------------------------------------------------------------------------------------------


@dataclass
class People:
    """Compact per-customer facts the policy generator needs, indexed 0..count-1."""

    names: list[str]
    surname_len: bytearray
    male: bytearray
    born: list[int]  # date ordinals
    household: list[int]  # index of the household's first member
    household_size: bytearray
    role: bytearray
    sequences: list[int]  # the ID number's three-digit sequence (odd for men, even for women)
    regions: bytearray  # index into REGIONS of the ID number's division code

    def id_number(self, i: int) -> str:
        first17 = f"{REGIONS[self.regions[i]][0]}{date.fromordinal(self.born[i]):%Y%m%d}{self.sequences[i]:03d}"
        return first17 + resident_id_check_digit(first17)


def _people(count: int, seed: str, today: date, reserved: set[tuple[str, int, int]]) -> People:
    """Households of one to three people. ``reserved``: ID numbers already taken, as
    (division code, birth date ordinal, sequence); the rest are unique by construction."""
    rng = random.Random(f"{seed}:people")
    r = rng.random
    surnames = _expand((s, w) for s, _p, w in SURNAMES)
    ages = _expand(((lo, hi), w) for lo, hi, w in AGE_BANDS)
    male_given = [c for c, _ in MALE_GIVEN]
    female_given = [c for c, _ in FEMALE_GIVEN]
    oldest = add_months(today, -12 * 71).toordinal() + 1  # the day after one turns 71
    youngest = add_months(today, -12 * 18).toordinal() - 31  # 18 for a month at least
    taken: dict[tuple[int, int], int] = {}  # (region, birth ordinal) -> sequences used

    names: list[str] = []
    surname_len = bytearray()
    male = bytearray()
    born: list[int] = []
    household: list[int] = []
    household_size = bytearray()
    role = bytearray()
    sequences: list[int] = []
    regions = bytearray()

    def given(is_male: bool) -> str:
        pool = male_given if is_male else female_given
        first = pool[int(r() * len(pool))]
        return first if r() < 0.3 else first + pool[int(r() * len(pool))]

    def birthday_at(age_years: int) -> int:
        # someone aged exactly ``age_years`` today: born within the year before
        latest = add_months(today, -12 * age_years).toordinal()
        return min(max(latest - int(r() * 365), oldest), youngest)

    def person(surname: str, is_male: bool, birth: int, start: int, size: int, part: int) -> None:
        # relatives were often born in the same place as the primary
        region = regions[start] if part != PRIMARY and r() < 0.4 else int(r() * len(REGIONS))
        parity = 1 if is_male else 0
        while True:
            key = (region, birth)
            used = taken.get(key, 0)
            if used >= 499:  # every sequence of that day and place is used: move a day
                birth = birth - 1 if birth > oldest else birth + 1
                continue
            taken[key] = used + 1
            sequence = 2 * used + 2 - parity  # odd for men, even for women: 001..998
            if not reserved or (REGIONS[region][0], birth, sequence) not in reserved:
                break
        names.append(surname + given(is_male))
        surname_len.append(len(surname))
        male.append(parity)
        born.append(birth)
        household.append(start)
        household_size.append(size)
        role.append(part)
        sequences.append(sequence)
        regions.append(region)

    i = 0
    while i < count:
        x = r()
        size = 1 if x < 0.42 else 2 if x < 0.84 else 3
        size = min(size, count - i)
        lo, hi = ages[int(r() * len(ages))]
        age = lo + int(r() * (hi - lo + 1))
        is_male = r() < 0.5
        surname = surnames[int(r() * len(surnames))]
        person(surname, is_male, birthday_at(age), i, size, PRIMARY)
        husband_surname = surname if is_male else None
        if size >= 2:
            # husbands are a couple of years older, give or take three
            spouse_age = min(70, max(18, age + (-2 if is_male else 2) + int(r() * 7) - 3))
            spouse_surname = surnames[int(r() * len(surnames))]
            if husband_surname is None:
                husband_surname = spouse_surname
            person(spouse_surname, not is_male, birthday_at(spouse_age), i, size, SPOUSE)
        if size >= 3:
            third_male = r() < 0.5
            if age >= 40 and (age > 48 or r() < 0.5):  # an adult child living at home
                child_age = 18 + int(r() * (age - 22 - 18 + 1))
                person(husband_surname or surname, third_male, birthday_at(child_age), i, size, CHILD)
            else:  # one of the primary's parents: the father shares the primary's surname
                parent_age = min(70, age + 22 + int(r() * 12))
                parent_surname = surname if third_male else surnames[int(r() * len(surnames))]
                person(parent_surname, third_male, birthday_at(parent_age), i, size, PARENT)
        i += size
    return People(names, surname_len, male, born, household, household_size, role, sequences, regions)


def _relationship(of: int, to: int) -> str:
    """How household role ``of`` is related to role ``to`` (``of`` is ``to``'s ...)."""
    if {of, to} == {PRIMARY, SPOUSE}:
        return "spouse"
    if of == CHILD and to in (PRIMARY, SPOUSE):
        return "child"
    if to == CHILD and of in (PRIMARY, SPOUSE):
        return "parent"
    if of == PARENT and to == PRIMARY:
        return "parent"
    if of == PRIMARY and to == PARENT:
        return "child"
    return "other"


# ---------------------------------------------------------------------------------------------
# Step 2 (workers): rows as COPY text
# ---------------------------------------------------------------------------------------------


@dataclass
class Plan:
    """Everything a worker needs; inherited by forked workers, never pickled."""

    seed: str  # names the random streams
    today: date
    now_text: str
    people: People
    keyring: object
    customer_base_id: int  # customer i gets id customer_base_id + 1 + i
    first_customer_seq: int
    policy_base_id: int
    first_policy_seq: int
    product_ids: dict[str, int]
    reserved_mobiles: frozenset[str]
    mobile_a: int
    mobile_b: int


_PLAN: Plan | None = None
# Mobile number blocks in use (every number under these is a valid CN mobile for libphonenumber).
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183",
    "184", "185", "186", "187", "188", "189", "191", "198", "199",
)
MOBILE_SPACE = len(MOBILE_PREFIXES) * 10**8


def _init_worker(plan: Plan | None = None) -> None:
    global _PLAN
    if plan is not None:
        _PLAN = plan


def _customer_rows(span: tuple[int, int]) -> bytes:
    """COPY text for customers ``span[0]`` to ``span[1] - 1``."""
    plan = _PLAN
    assert plan is not None
    start, stop = span
    people = plan.people
    rng = random.Random(f"{plan.seed}:customers:{start}")
    r = rng.random
    encrypt = plan.keyring.encrypt
    blind_index = plan.keyring.blind_index
    surname_pinyin = {s: p for s, p, _w in SURNAMES}
    given_pinyin = dict(MALE_GIVEN + FEMALE_GIVEN)
    reserved = plan.reserved_mobiles
    a, b = plan.mobile_a, plan.mobile_b
    now = plan.now_text
    out = []
    for i in range(start, stop):
        seq = plan.first_customer_seq + i
        name = people.names[i]
        number = people.id_number(i)
        y = (a * seq + b) % MOBILE_SPACE  # a permutation of the space: unique per customer number
        mobile = f"+86{MOBILE_PREFIXES[y // 10**8]}{y % 10**8:08d}"
        if mobile in reserved:
            mobile = NULL
        if r() < 0.1:
            cut = people.surname_len[i]
            local = "".join(given_pinyin.get(ch, "x") for ch in name[cut:]) + "." + surname_pinyin.get(name[:cut], "x")
            email = f"{local}{seq}@{EMAIL_DOMAINS[int(r() * len(EMAIL_DOMAINS))]}"
        else:
            email = NULL
        if r() < 0.95:
            home = REGIONS[people.regions[people.household[i]]] if r() < 0.7 else REGIONS[int(r() * len(REGIONS))]
            road = ROADS[int(r() * len(ROADS))]
            if r() < 0.5:
                address = (
                    f"{home[1]}{home[2]}{road}{1 + int(r() * 999)}号{1 + int(r() * 30)}栋"
                    f"{1 + int(r() * 4)}单元{1 + int(r() * 32)}{1 + int(r() * 4):02d}室"
                )
            else:
                estate = ESTATE_NAMES[int(r() * len(ESTATE_NAMES))] + ESTATES[int(r() * len(ESTATES))]
                address = (
                    f"{home[1]}{home[2]}{road}{1 + int(r() * 999)}号{estate}{1 + int(r() * 20)}号楼"
                    f"{1 + int(r() * 28)}0{1 + int(r() * 6)}室"
                )
        else:
            address = NULL
        out.append(
            f"{plan.customer_base_id + 1 + i}\t{CUSTOMER_NUMBER.format(seq)}\t{name}\t"
            f"{'M' if people.male[i] else 'F'}\t"
            f"{date.fromordinal(people.born[i]).isoformat()}\tresident_id\t"
            f"{encrypt(number, context=ID_NUMBER_CONTEXT)}\t{blind_index(number, context=ID_NUMBER_CONTEXT)}\t"
            f"{mobile}\t{email}\t{address}\t{now}\n"
        )
    return "".join(out).encode("utf-8")


def _months_between(a: date, b: date) -> int:
    """Whole months from ``a`` to ``b`` (negative if ``b`` is earlier)."""
    months = (b.year - a.year) * 12 + b.month - a.month
    if months > 0 and b.day < a.day:
        months -= 1
    return months


def _money(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _policy_rows(span: tuple[int, int]) -> tuple[bytes, bytes, bytes, int, int]:
    """COPY text for policies ``span[0]`` to ``span[1] - 1`` with their beneficiaries and
    premiums; returns the three texts and the number of beneficiary and premium rows."""
    plan = _PLAN
    assert plan is not None
    start, stop = span
    rng = random.Random(f"{plan.seed}:policies:{start}")
    r = rng.random
    people = plan.people
    names, male, born, household, household_size, role = (
        people.names, people.male, people.born, people.household, people.household_size, people.role,
    )
    count = len(names)
    today = plan.today
    today_ord = today.toordinal()
    fifteen_years_ago = add_months(today, -180)
    now = plan.now_text
    product_table = _expand(PRODUCT_WEIGHTS)
    status_table = _expand(STATUS_WEIGHTS)
    mode_table = _expand(((m, step, f), w) for m, w, step, f in MODES)
    channel_table = _expand(CHANNELS)
    surnames = _expand((s, w) for s, _p, w in SURNAMES)
    male_given = [c for c, _ in MALE_GIVEN]
    female_given = [c for c, _ in FEMALE_GIVEN]
    product_ids = plan.product_ids
    policies_out: list[str] = []
    beneficiaries_out: list[str] = []
    premiums_out: list[str] = []
    n_beneficiaries = n_premiums = 0

    def given(is_male: bool) -> str:
        pool = male_given if is_male else female_given
        first = pool[int(r() * len(pool))]
        return first if r() < 0.3 else first + pool[int(r() * len(pool))]

    def surname_of(i: int) -> str:
        return names[i][: people.surname_len[i]]

    def pick(lo: int, hi: int) -> int:
        return lo + int(r() * (hi - lo + 1))

    for j in range(start, stop):
        # -- parties ----------------------------------------------------------------------
        owner = int(r() * count)
        insured = owner
        if r() >= 0.7:
            for _attempt in range(4):
                if household_size[owner] > 1:
                    break
                owner = int(r() * count)
            first = household[owner]
            size = household_size[owner]
            if size > 1:
                insured = first + (owner - first + 1 + int(r() * (size - 1))) % size
            else:
                while insured == owner and count > 1:
                    insured = int(r() * count)
        status = status_table[int(r() * len(status_table))]
        if status == "paid_up":
            code = PAID_UP_PRODUCTS[int(r() * len(PAID_UP_PRODUCTS))]
        elif status == "surrendered":
            code = CASH_VALUE_PRODUCTS[int(r() * len(CASH_VALUE_PRODUCTS))]
        else:
            code = product_table[int(r() * len(product_table))]

        # -- terms ------------------------------------------------------------------------
        if code == "TERM20":
            term, pay = 20, (20 if r() < 0.8 else 10)
        elif code == "WLPAR":
            term, pay = None, (20 if r() < 0.6 else 10)
        elif code == "ENDOW":
            term = (10, 15, 20)[int(r() * 3)]
            pay = 5 if term == 10 or r() < 0.3 else 10
        elif code == "ULINK":
            term, pay = None, (10 if r() < 0.7 else 20)
        else:  # CI
            term = 30 if r() < 0.7 else 20
            pay = 20 if term == 30 or r() < 0.5 else 10
        single = status in ("in_force", "surrendered") and r() < SINGLE_SHARE[code]
        if single:
            mode, step, factor = "single", 12, 1.0
        else:
            mode, step, factor = mode_table[int(r() * len(mode_table))]
        n_dues = 1 if single else pay * 12 // step

        # -- when it could have been issued -----------------------------------------------
        # the owner an adult, the insured born and not older than the product allows
        owner_adult = add_months(date.fromordinal(born[owner]), 12 * 18)
        while True:
            insured_born = date.fromordinal(born[insured])
            lo = max(fifteen_years_ago, owner_adult, insured_born + timedelta(days=30))
            too_old = add_months(insured_born, 12 * (MAX_ISSUE_AGE[code] + 1))
            hi = min(today, too_old) - timedelta(days=1)
            if lo <= hi or insured == owner:
                break
            insured = owner  # a young owner and an old relative: the owner insures himself

        issue = paid_to = status_date = None
        paid = 0  # dues paid (due k falls on add_months(issue, k * step), k = 0 .. n_dues - 1)
        if status in ("grace", "lapsed", "paid_up") and not single:
            if status == "grace":
                target = today - timedelta(days=1 + int(r() * (GRACE_DAYS - 1)))
                min_k = 1
            else:
                span_days = (today_ord - GRACE_DAYS - 1) - (lo.toordinal() + 31 * step)
                target = date.fromordinal(lo.toordinal() + 31 * step + int(r() * max(span_days, 0)))
                min_k = 1 if status == "lapsed" else -(-24 // step)
            max_k = min(_months_between(lo, target) // step, n_dues - 1)
            if max_k >= min_k:
                # lapses come more often in the first years
                k = min_k + int((r() ** 2 if status != "grace" else r()) * (max_k - min_k + 1))
                issue = add_months(target, -k * step)
                if issue < lo or issue > hi:
                    issue = None
                else:
                    due = add_months(issue, k * step)
                    if status == "grace":
                        ok = today_ord - GRACE_DAYS <= due.toordinal() < today_ord
                        status_date = due
                    else:
                        status_date = due + timedelta(days=GRACE_DAYS)
                        ok = status_date.toordinal() < today_ord
                    expiry = add_months(issue, 12 * term) if term else None
                    if ok and (expiry is None or expiry > (due if status == "grace" else status_date)):
                        paid_to, paid = due, k
                    else:
                        issue = None
            if issue is None:
                status = "in_force"
        if status == "surrendered":
            latest_issue = add_months(today, -24)
            if lo <= latest_issue:
                issue = date.fromordinal(pick(lo.toordinal(), min(hi, latest_issue).toordinal()))
                expiry = add_months(issue, 12 * term) if term else None
                last_day = min(today_ord - 1, expiry.toordinal() - 1) if expiry else today_ord - 1
                first_day = add_months(issue, 24).toordinal()
                if first_day <= last_day:
                    status_date = date.fromordinal(pick(first_day, last_day))
                    if single:
                        paid = 1
                    else:
                        paid = min(-(-_months_between(issue, status_date) // step), n_dues)
                        while paid < n_dues and add_months(issue, paid * step) < status_date:
                            paid += 1
                else:
                    issue = None
            if issue is None:
                status = "in_force"
        if status == "in_force":
            issue = date.fromordinal(pick(lo.toordinal(), hi.toordinal()))
            status_date = issue
            if single:
                paid = 1
            else:
                k = _months_between(issue, today) // step
                if add_months(issue, k * step) < today:
                    k += 1
                paid = min(max(k, 1), n_dues)

        premium_end = add_months(issue, 12 * pay) if not single else add_months(issue, 12)
        expiry = add_months(issue, 12 * term) if term else None
        if paid_to is None:
            paid_to = premium_end if paid >= n_dues else add_months(issue, paid * step)
        if status in ("in_force", "paid_up") and expiry is not None and expiry <= today:
            status, status_date = "matured", expiry

        # -- amounts ----------------------------------------------------------------------
        age = _months_between(insured_born, issue) // 12
        is_male = male[insured]
        if code == "ULINK":
            if single:
                premium_yuan = (20_000, 50_000, 100_000, 200_000, 500_000)[int(r() * 5)]
                sum_assured = premium_yuan * (12 + int(r() * 4)) // 10
            else:
                premium_yuan = (6_000, 10_000, 12_000, 20_000, 30_000, 50_000)[int(r() * 6)]
                sum_assured = premium_yuan * (5, 10, 12, 15, 20)[int(r() * 5)]
            annual_fen = premium_yuan * 100
        else:
            if code == "TERM20":
                sum_assured = (100_000, 200_000, 300_000, 500_000, 500_000, 800_000, 1_000_000, 1_000_000,
                               1_500_000, 2_000_000)[int(r() * 10)]
                per_mille = (0.35 + 0.0015 * age * age) * (1.0 if is_male else 0.8) * (1.0 if pay == 20 else 1.7)
            elif code == "WLPAR":
                sum_assured = (50_000, 100_000, 150_000, 200_000, 300_000, 500_000, 1_000_000)[int(r() * 7)]
                per_mille = (180 + 5 * age) if single else (12 + 0.5 * age) if pay == 20 else (22 + 0.8 * age)
            elif code == "ENDOW":
                sum_assured = (30_000, 50_000, 80_000, 100_000, 150_000, 200_000, 300_000)[int(r() * 7)]
                per_mille = (850 + 2 * age) if single else 1000 * (1.02 + 0.004 * term) / pay + 0.3 * age
            else:  # CI
                sum_assured = (100_000, 200_000, 300_000, 500_000, 500_000, 800_000)[int(r() * 6)]
                per_mille = (3 + 0.3 * age) * (1.0 if is_male else 0.95) * (1.0 if pay == 20 else 1.6)
            annual_fen = int(sum_assured * per_mille / 1000) * 100 + int(r() * 10) * 10  # whole jiao
        modal_fen = annual_fen if single else int(annual_fen * factor + 0.5)
        modal = _money(modal_fen)

        policy_id = plan.policy_base_id + 1 + j
        customer_base = plan.customer_base_id + 1
        policies_out.append(
            f"{policy_id}\t{POLICY_NUMBER.format(plan.first_policy_seq + j)}\t{product_ids[code]}\t"
            f"{customer_base + owner}\t{customer_base + insured}\t{status}\t{issue.isoformat()}\t"
            f"{expiry.isoformat() if expiry else NULL}\t{sum_assured}.00\t{modal}\t{mode}\t"
            f"{premium_end.isoformat()}\t{paid_to.isoformat()}\tCNY\t{status_date.isoformat()}\t{now}\t1\n"
        )

        # -- beneficiaries: household first, then family members who are not customers -----
        candidates = []
        first = household[insured]
        for member in range(first, first + household_size[insured]):
            if member != insured:
                candidates.append((names[member], _relationship(role[member], role[insured])))
        if len(candidates) < 2:
            insured_age_now = _months_between(insured_born, today) // 12
            extra = []
            if insured_age_now >= 22 and not any(rel == "spouse" for _n, rel in candidates):
                extra.append((surnames[int(r() * len(surnames))] + given(not is_male), "spouse"))
            if insured_age_now >= 26:
                child_surname = surname_of(insured) if is_male else surnames[int(r() * len(surnames))]
                extra.append((child_surname + given(r() < 0.5), "child"))
            if not any(rel == "parent" for _n, rel in candidates):
                extra.append((surname_of(insured) + given(True), "parent"))
            rng.shuffle(extra)
            candidates.extend(extra)
        how_many = 2 if r() < 0.35 and len(candidates) >= 2 else 1
        if how_many == 1:
            shares = ("100.00",)
        else:
            first_share = (50, 60, 70, 80)[int(r() * 4)]
            shares = (f"{first_share}.00", f"{100 - first_share}.00")
        for (name, relationship), share in zip(candidates[:how_many], shares):
            beneficiaries_out.append(f"{policy_id}\t{name}\t{relationship}\t{NULL}\t1\t{share}\n")
            n_beneficiaries += 1

        # -- the most recent premiums paid (at most three) ----------------------------------
        for k in range(max(0, paid - 3), paid):
            due = issue if k == 0 else add_months(issue, k * step)
            channel = channel_table[int(r() * len(channel_table))]
            if k == 0:
                paid_on = due - timedelta(days=int(r() * 8))
            elif channel == "bank_debit":
                paid_on = due - timedelta(days=int(r() * 4))
            else:
                paid_on = due + timedelta(days=int(r() * (30 if channel == "card" else 50)))
                if paid_on >= today:
                    paid_on = today - timedelta(days=1) if due < today else due
                if status == "surrendered" and paid_on > status_date:
                    paid_on = max(due, status_date)
            premiums_out.append(f"{policy_id}\t{due.isoformat()}\t{modal}\t{paid_on.isoformat()}\t{channel}\n")
            n_premiums += 1

    return (
        "".join(policies_out).encode("utf-8"),
        "".join(beneficiaries_out).encode("utf-8"),
        "".join(premiums_out).encode("utf-8"),
        n_beneficiaries,
        n_premiums,
    )


# ---------------------------------------------------------------------------------------------
# Step 3 (main process): loading
# ---------------------------------------------------------------------------------------------

CUSTOMER_COLUMNS = (
    "id", "customer_number", "name", "gender", "birth_date", "id_type", "id_number_cipher", "id_number_index",
    "mobile", "email", "address", "created_at",
)
POLICY_COLUMNS = (
    "id", "policy_number", "product_id", "owner_id", "insured_id", "status", "issue_date", "expiry_date",
    "sum_assured", "modal_premium", "premium_mode", "premium_end_date", "paid_to_date", "currency", "status_date",
    "created_at", "version",
)
BENEFICIARY_COLUMNS = ("policy_id", "name", "relationship_to_insured", "id_number_cipher", "rank", "share")
PREMIUM_COLUMNS = ("policy_id", "due_date", "amount", "paid_on", "channel")
LOADED_TABLES = ("customers", "policies", "beneficiaries", "premium_payments")


class _Progress:
    def __init__(self, progress: Callable[[str], None], what: str, total: int, every: int) -> None:
        self.progress, self.what, self.total, self.every = progress, what, total, every
        self.started = time.perf_counter()
        self.done = 0
        self.next_report = every

    def add(self, count: int) -> None:
        self.done += count
        if self.done >= self.next_report or self.done == self.total:
            elapsed = time.perf_counter() - self.started
            rate = self.done / elapsed if elapsed else 0.0
            self.progress(f"  {self.what}: {self.done:,}/{self.total:,} ({rate:,.0f}/s)")
            while self.next_report <= self.done:
                self.next_report += self.every


def _spans(total: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def _ordered(pool, function, tasks: list, window: int) -> Iterator:
    """Results of ``function`` over ``tasks`` in order, at most ``window`` in flight."""
    if pool is None:
        for task in tasks:
            yield function(task)
        return
    pending: deque = deque()
    for task in tasks:
        pending.append(pool.apply_async(function, (task,)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def bulk_seed(
    platform: Platform,
    engine: Engine,
    *,
    policies: int,
    customers: int | None = None,
    progress: Callable[[str], None] = print,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    workers: int | None = None,
    rebuild_indexes: bool | None = None,
) -> BulkReport:
    """Generate and load ``policies`` policies and ``customers`` customers (default 40% of
    the policies). ``workers``: generator processes on PostgreSQL (default: one per core, at
    most eight; 0 generates in this process). ``rebuild_indexes``: drop the
    secondary indexes and foreign keys of the loaded tables during the load (default: when
    the load is large compared with what the tables hold)."""
    if policies < 1:
        raise ValueError("policies must be positive")
    customers = customers if customers is not None else max(1, round(policies * CUSTOMERS_PER_POLICY))
    if customers < 1:
        raise ValueError("customers must be positive")
    started = time.perf_counter()
    postgres = engine.dialect.name == "postgresql"
    today = today or platform.clock.today()
    now = platform.clock.now().astimezone(timezone.utc)
    report = BulkReport(
        customers=customers, policies=policies, database=engine.url.render_as_string(hide_password=True)
    )
    phases = report.phases

    with Session(engine) as session:
        products = sync_catalogue(session)
        product_ids = {code: product.id for code, product in products.items()}
        first_customer_seq = allocate(session, "customer", customers)
        first_policy_seq = allocate(session, "policy", policies)
        report.first_customer_number = CUSTOMER_NUMBER.format(first_customer_seq)
        # A second load into the same database gets other people, not the same ones again.
        stream = f"{seed}/{first_customer_seq}/{first_policy_seq}"
        rng = random.Random(f"{stream}:setup")
        report.first_policy_number = POLICY_NUMBER.format(first_policy_seq)
        connection = session.connection()
        if postgres:
            connection.exec_driver_sql(
                "LOCK TABLE customers, policies, beneficiaries, premium_payments IN SHARE ROW EXCLUSIVE MODE"
            )
            connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
            connection.exec_driver_sql("SET LOCAL synchronous_commit = off")
        customer_base = _reserve_ids(connection, "customers", customers, postgres)
        policy_base = _reserve_ids(connection, "policies", policies, postgres)
        # ID numbers and mobiles already taken, and those of the demo cast (loaded later, perhaps).
        from portal.demo.people import PEOPLE

        keyring = platform.keyring
        t = time.perf_counter()
        id_numbers = {p.id_number for p in PEOPLE}
        reserved_mobiles = {p.mobile for p in PEOPLE if p.mobile}
        for cipher, mobile in connection.execute(select(Customer.id_number_cipher, Customer.mobile)):
            try:
                id_numbers.add(keyring.decrypt(cipher, context=ID_NUMBER_CONTEXT))
            except ValueError:  # a key no longer in the ring: that number cannot be checked
                pass
            if mobile:
                reserved_mobiles.add(mobile)
        reserved = set()
        for number in id_numbers:
            try:
                born_on = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
                reserved.add((number[:6], born_on.toordinal(), int(number[14:17])))
            except ValueError:  # not a resident ID number of the usual shape
                pass
        phases["reserved"] = time.perf_counter() - t

        t = time.perf_counter()
        people = _people(customers, stream, today, reserved)
        phases["people"] = time.perf_counter() - t
        mobile_a = rng.randrange(10**8, MOBILE_SPACE)
        while math.gcd(mobile_a, MOBILE_SPACE) != 1:
            mobile_a += 1
        plan = Plan(
            seed=stream,
            today=today,
            now_text=now.isoformat(sep=" "),
            people=people,
            keyring=keyring,
            customer_base_id=customer_base,
            first_customer_seq=first_customer_seq,
            policy_base_id=policy_base,
            first_policy_seq=first_policy_seq,
            product_ids=product_ids,
            reserved_mobiles=frozenset(reserved_mobiles),
            mobile_a=mobile_a,
            mobile_b=rng.randrange(MOBILE_SPACE),
        )
        if postgres:
            _load_postgresql(session, plan, report, progress, workers, rebuild_indexes)
        else:
            _load_generic(session, plan, report, progress)
        t = time.perf_counter()
        session.commit()
        phases["commit"] = time.perf_counter() - t
    if postgres:
        t = time.perf_counter()
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE " + ", ".join(LOADED_TABLES))
            connection.commit()
        phases["analyze"] = time.perf_counter() - t
    report.seconds = time.perf_counter() - started
    return report


def _reserve_ids(connection, table: str, count: int, postgres: bool) -> int:
    """The id just before a block of ``count`` free ids; on PostgreSQL the table's sequence
    is moved past the block at once, so other inserts never take one of its ids."""
    highest = connection.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {table}").scalar_one()
    if not postgres:
        return highest
    sequence = connection.exec_driver_sql(f"SELECT pg_get_serial_sequence('{table}', 'id')").scalar_one()
    last, called = connection.exec_driver_sql(f"SELECT last_value, is_called FROM {sequence}").one()
    base = max(highest, last if called else last - 1)
    connection.exec_driver_sql(f"SELECT setval('{sequence}', {base + count})")
    return base


# -- PostgreSQL ------------------------------------------------------------------------------


def _load_postgresql(session: Session, plan: Plan, report: BulkReport, progress, workers, rebuild_indexes) -> None:
    phases = report.phases
    connection = session.connection()
    raw = connection.connection.dbapi_connection
    if rebuild_indexes is None:
        existing = connection.exec_driver_sql(
            "SELECT COALESCE(SUM(reltuples), 0) FROM pg_class WHERE relname IN ('policies', 'premium_payments')"
        ).scalar_one()
        rebuild_indexes = report.policies >= 50_000 and report.policies * 4 >= max(existing, 0) * 0.5
    t = time.perf_counter()
    dropped = _drop_secondary_indexes(connection) if rebuild_indexes else None
    phases["drop indexes"] = time.perf_counter() - t

    if workers is None:
        # Generating is the slow side: the server's COPY needs well under one core's worth.
        workers = min(8, os.cpu_count() or 1)
    context = _fork_context()
    pool = None
    _init_worker(plan)
    if workers > 0 and context is not None:
        pool = context.Pool(workers, initializer=_init_worker)
    report.workers = workers if pool is not None else 0
    window = max(2, 2 * workers)
    try:
        t = time.perf_counter()
        meter = _Progress(progress, "customers", report.customers, 100_000)
        with raw.cursor() as cursor, cursor.copy(f"COPY customers ({', '.join(CUSTOMER_COLUMNS)}) FROM STDIN") as copy:
            spans = _spans(report.customers, CUSTOMER_BATCH)
            for span, chunk in zip(spans, _ordered(pool, _customer_rows, spans, window)):
                copy.write(chunk)
                meter.add(span[1] - span[0])
        phases["customers"] = time.perf_counter() - t

        t = time.perf_counter()
        meter = _Progress(progress, "policies", report.policies, 100_000)
        spans = _spans(report.policies, POLICY_BATCH)
        with raw.cursor() as cursor:
            for span, (policy_text, beneficiary_text, premium_text, n_ben, n_prem) in zip(
                spans, _ordered(pool, _policy_rows, spans, window)
            ):
                with cursor.copy(f"COPY policies ({', '.join(POLICY_COLUMNS)}) FROM STDIN") as copy:
                    copy.write(policy_text)
                with cursor.copy(f"COPY beneficiaries ({', '.join(BENEFICIARY_COLUMNS)}) FROM STDIN") as copy:
                    copy.write(beneficiary_text)
                with cursor.copy(f"COPY premium_payments ({', '.join(PREMIUM_COLUMNS)}) FROM STDIN") as copy:
                    copy.write(premium_text)
                report.beneficiaries += n_ben
                report.premiums += n_prem
                meter.add(span[1] - span[0])
        phases["policies"] = time.perf_counter() - t
    except BaseException:
        if pool is not None:
            pool.terminate()
        raise
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    if dropped is not None:
        t = time.perf_counter()
        progress("  recreating indexes and foreign keys")
        _recreate_secondary_indexes(connection, dropped)
        phases["indexes"] = time.perf_counter() - t


def _fork_context():
    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: generate in this process
        return None


@dataclass
class _Dropped:
    foreign_keys: list[tuple[str, str, str]]  # table, name, definition
    unique: list[tuple[str, str, str]]
    indexes: list[tuple[str, str]]  # name, CREATE INDEX statement


def _drop_secondary_indexes(connection) -> _Dropped:
    """Drop the foreign keys, unique constraints and plain indexes of the loaded tables
    (primary keys stay), remembering their exact definitions."""
    tables = "ARRAY[" + ", ".join(f"'{t}'::regclass" for t in LOADED_TABLES) + "]"
    constraints = connection.exec_driver_sql(
        f"""SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
              FROM pg_constraint WHERE conrelid = ANY({tables}) AND contype IN ('f', 'u') ORDER BY conname"""
    ).all()
    indexes = connection.exec_driver_sql(
        f"""SELECT c.relname, pg_get_indexdef(i.indexrelid)
              FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE i.indrelid = ANY({tables})
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
             ORDER BY c.relname"""
    ).all()
    dropped = _Dropped(
        foreign_keys=[(t, n, d) for t, n, kind, d in constraints if kind == "f"],
        unique=[(t, n, d) for t, n, kind, d in constraints if kind == "u"],
        indexes=[(n, d) for n, d in indexes],
    )
    for table, name, _definition in dropped.foreign_keys + dropped.unique:
        connection.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in dropped.indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    return dropped


def _recreate_secondary_indexes(connection, dropped: _Dropped) -> None:
    for _name, definition in dropped.indexes:
        connection.exec_driver_sql(definition)
    for table, name, definition in dropped.unique + dropped.foreign_keys:
        connection.exec_driver_sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


# -- SQLite and anything else: the same rows through executemany ------------------------------


def _converters(table, columns: tuple[str, ...]) -> list[Callable[[str], object]]:
    result = []
    for name in columns:
        kind = table.c[name].type
        if isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime):
            result.append(datetime.fromisoformat)
        elif isinstance(kind, Date):
            result.append(date.fromisoformat)
        elif isinstance(kind, Numeric):
            result.append(Decimal)
        elif isinstance(kind, Integer):
            result.append(int)
        else:
            result.append(str)
    return result


def _insert_text(connection, model, columns: tuple[str, ...], payload: bytes) -> None:
    table = model.__table__
    convert = list(zip(columns, _converters(table, columns)))
    rows = []
    for line in payload.decode("utf-8").splitlines():
        values = line.split("\t")
        rows.append({name: (None if value == NULL else fn(value)) for (name, fn), value in zip(convert, values)})
    if rows:
        connection.execute(insert(table), rows)


def _load_generic(session: Session, plan: Plan, report: BulkReport, progress) -> None:
    phases = report.phases
    connection = session.connection()
    _init_worker(plan)
    t = time.perf_counter()
    meter = _Progress(progress, "customers", report.customers, 100_000)
    for span in _spans(report.customers, CUSTOMER_BATCH):
        _insert_text(connection, Customer, CUSTOMER_COLUMNS, _customer_rows(span))
        meter.add(span[1] - span[0])
    phases["customers"] = time.perf_counter() - t
    t = time.perf_counter()
    meter = _Progress(progress, "policies", report.policies, 100_000)
    for span in _spans(report.policies, POLICY_BATCH):
        policy_text, beneficiary_text, premium_text, n_ben, n_prem = _policy_rows(span)
        _insert_text(connection, Policy, POLICY_COLUMNS, policy_text)
        _insert_text(connection, Beneficiary, BENEFICIARY_COLUMNS, beneficiary_text)
        _insert_text(connection, PremiumPayment, PREMIUM_COLUMNS, premium_text)
        report.beneficiaries += n_ben
        report.premiums += n_prem
        meter.add(span[1] - span[0])
    phases["policies"] = time.perf_counter() - t
