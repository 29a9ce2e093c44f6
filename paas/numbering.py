"""Human-friendly reference numbers: a letter, a zero-padded sequence and a Luhn check digit,
so a digit mistyped by a customer or a clerk is caught before any look-up."""
from __future__ import annotations

import re

from sqlalchemy import BigInteger, String, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from paas.persistence import Base


def luhn_check_digit(digits: str) -> str:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


class ReferenceFormat:
    def __init__(self, letter: str, width: int) -> None:
        self.letter = letter
        self.width = width
        self._shape = re.compile(rf"^{letter}\d{{{width + 1}}}$")

    def format(self, sequence: int) -> str:
        if not 0 < sequence < 10**self.width:
            raise ValueError(f"sequence {sequence} does not fit {self.width} digits")
        body = f"{sequence:0{self.width}d}"
        return f"{self.letter}{body}{luhn_check_digit(body)}"

    def normalise(self, text: str) -> str | None:
        """The canonical form of a typed reference, or None if it is not one of ours
        (wrong shape or a failed check digit)."""
        value = re.sub(r"[\s-]", "", text or "").upper()
        if not self._shape.match(value):
            return None
        body, check = value[1:-1], value[-1]
        return value if luhn_check_digit(body) == check else None


POLICY_NUMBER = ReferenceFormat("P", 9)
CUSTOMER_NUMBER = ReferenceFormat("C", 8)


class ReferenceSequence(Base):
    """Counters for reference numbers, shared by SQLite and PostgreSQL. Allocating takes the
    row's lock, so concurrent allocations get distinct blocks."""

    __tablename__ = "reference_sequences"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_value: Mapped[int] = mapped_column(BigInteger)


def allocate(session: Session, name: str, count: int = 1) -> int:
    """Reserve ``count`` consecutive numbers; returns the first."""
    if count < 1:
        raise ValueError("count must be positive")
    last = session.execute(
        update(ReferenceSequence)
        .where(ReferenceSequence.name == name)
        .values(last_value=ReferenceSequence.last_value + count)
        .returning(ReferenceSequence.last_value)
    ).scalar_one_or_none()
    if last is None:
        session.add(ReferenceSequence(name=name, last_value=count))
        session.flush()
        last = count
    return last - count + 1
