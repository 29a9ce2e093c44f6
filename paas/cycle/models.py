from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from paas.persistence import Base


class CycleRun(Base):
    """Progress of one step of one day's cycle for one partition. ``last_key`` is the last
    policy id whose batch was committed, so a run killed halfway resumes after it."""

    __tablename__ = "cycle_runs"

    run_date: Mapped[date] = mapped_column(primary_key=True)
    step: Mapped[str] = mapped_column(String(32), primary_key=True)
    partition: Mapped[str] = mapped_column(String(12), primary_key=True)  # "K/N", e.g. "1/1"
    status: Mapped[str] = mapped_column(String(8), default="running")  # running / done
    last_key: Mapped[int] = mapped_column(BigInteger, default=0)
    processed: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    # A worker sharing the night (paas.cycle.shared) holds the partition until lease_until
    # (epoch seconds), renewed after each batch; a dead worker's partition is taken over after it.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[float | None] = mapped_column(Float)
