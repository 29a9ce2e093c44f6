"""Reading a regulator's or reinsurer's table of q_x from CSV, refusing anything malformed.

Accepted layouts (header names are case-insensitive, columns in any order):

    age,qx                      one rate per age
    age,qx_male,qx_female       one rate per age and sex; pick one with ``sex=``

Lines starting with ``#`` are notes (the source of the table) and blank lines are skipped.
Ages must be whole numbers running on without gaps, every rate must lie in [0, 1], and the
last age must have q = 1 (everybody dies by the end of the table)."""
from __future__ import annotations

import csv
import math
from pathlib import Path

from paas.errors import N_, InvalidInput

SEXES = ("male", "female")
MIN_AGES = 2
_LAYOUTS = ({"age", "qx"}, {"age", "qx_male", "qx_female"})


def read_qx_csv(path: str | Path, sex: str | None) -> tuple[int, list[float]]:
    """The first age and the q_x column for ``sex`` (None for a one-rate table)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            rows = [(reader.line_num, row) for row in reader]
    except UnicodeDecodeError as exc:
        raise InvalidInput(N_("The mortality table file is not UTF-8 text.")) from exc
    rows = [(line, [cell.strip() for cell in row]) for line, row in rows if _is_data(row)]
    if not rows:
        raise InvalidInput(N_("The mortality table file is empty."))
    header = [name.lower() for name in rows[0][1]]
    if set(header) not in _LAYOUTS or len(header) != len(set(header)):
        raise InvalidInput(
            N_("The mortality table must start with a header line age,qx or age,qx_male,qx_female; "
               "line %(line)s reads %(header)s."),
            line=rows[0][0], header=",".join(rows[0][1]),
        )
    columns = _columns(header, rows[1:])
    wanted = _column_for(sex, header)
    return columns["age"][0], columns[wanted]


def _is_data(row: list[str]) -> bool:
    return bool(row) and any(cell.strip() for cell in row) and not row[0].lstrip().startswith("#")


def _column_for(sex: str | None, header: list[str]) -> str:
    if "qx" in header:
        if sex is not None:
            raise InvalidInput(N_("This mortality table has one rate per age, not one per sex."), field="sex")
        return "qx"
    if sex not in SEXES:
        raise InvalidInput(N_("Choose male or female: this mortality table has a rate for each."),
                           field="sex")
    return f"qx_{sex}"


def _columns(header: list[str], rows: list[tuple[int, list[str]]]) -> dict[str, list]:
    columns: dict[str, list] = {name: [] for name in header}
    for line, cells in rows:
        if len(cells) != len(header):
            raise InvalidInput(
                N_("Mortality table line %(line)s has %(found)s values; the header names %(expected)s."),
                line=line, found=len(cells), expected=len(header),
            )
        age = _age(line, cells[header.index("age")], columns["age"])
        columns["age"].append(age)
        for name, text in zip(header, cells):
            if name != "age":
                columns[name].append(_rate(line, text))
    _check_ending(columns, rows)
    return columns


def _age(line: int, text: str, ages: list[int]) -> int:
    try:
        age = int(text)
    except ValueError:
        age = -1
    if age < 0:
        raise InvalidInput(
            N_("Mortality table line %(line)s: the age %(value)s is not a whole number of years."),
            line=line, value=text,
        )
    if ages and age in ages:
        raise InvalidInput(N_("Mortality table line %(line)s: age %(age)s appears twice."),
                           line=line, age=age)
    if ages and age != ages[-1] + 1:
        raise InvalidInput(
            N_("Mortality table line %(line)s: age %(age)s follows age %(previous)s; ages must run on "
               "one year at a time."),
            line=line, age=age, previous=ages[-1],
        )
    return age


def _rate(line: int, text: str) -> float:
    try:
        rate = float(text)
    except ValueError:
        rate = math.nan
    if not 0.0 <= rate <= 1.0:  # also false for NaN
        raise InvalidInput(N_("Mortality table line %(line)s: the rate %(value)s is not a probability "
                              "between 0 and 1."), line=line, value=text)
    return rate


def _check_ending(columns: dict[str, list], rows: list[tuple[int, list[str]]]) -> None:
    ages = columns["age"]
    if len(ages) < MIN_AGES:
        raise InvalidInput(N_("The mortality table has %(count)s ages; it needs at least %(minimum)s."),
                           count=len(ages), minimum=MIN_AGES)
    for name, rates in columns.items():
        if name == "age":
            continue
        if rates[-1] != 1.0:
            raise InvalidInput(
                N_("The mortality table ends at age %(age)s with q = %(value)s; the last age must have "
                   "q = 1."),
                age=ages[-1], value=rates[-1],
            )
        early = next((index for index, rate in enumerate(rates[:-1]) if rate == 1.0), None)
        if early is not None:
            raise InvalidInput(
                N_("Mortality table line %(line)s: q = 1 at age %(age)s, before the last age %(last)s."),
                line=rows[early][0], age=ages[early], last=ages[-1],
            )
