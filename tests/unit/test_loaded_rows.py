"""Objects made from a prebuilt statement's columns (paas.loaded_rows) behave as the ORM's own
loading makes them: in the identity map, changes flushed as UPDATEs of what changed,
relationships loaded on use, an object the session holds returned with what it has."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String, create_engine, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from paas.loaded_rows import LoadedRows


class _Base(DeclarativeBase):
    pass


class _Owner(_Base):
    __tablename__ = "owners"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(20))
    pets: Mapped[list["_Pet"]] = relationship(back_populates="owner", order_by="_Pet.id")


class _Pet(_Base):
    __tablename__ = "pets"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"))
    name: Mapped[str] = mapped_column(String(20))
    owner: Mapped[_Owner] = relationship(back_populates="pets")


_OWNERS = LoadedRows(_Owner)


def _session():
    engine = create_engine("sqlite://")
    _Base.metadata.create_all(engine)
    with Session(engine) as setup:
        setup.add_all([_Owner(id=1, name="王丽", city="上海"), _Pet(id=7, owner_id=1, name="花花")])
        setup.commit()
    sent = []
    event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    return Session(engine), sent


def test_an_object_from_a_row_is_the_sessions_and_its_changes_are_flushed():
    session, sent = _session()
    row = session.execute(select(*_OWNERS.columns).where(_Owner.id == 1)).one()
    owner = _OWNERS.adopt(session, tuple(row))
    assert (owner.id, owner.name, owner.city) == (1, "王丽", "上海")
    assert session.get(_Owner, 1) is owner and not session.dirty
    sent.clear()
    assert [pet.name for pet in owner.pets] == ["花花"]  # loaded on use
    assert len(sent) == 1 and "pets" in sent[0]
    owner.city = "杭州"
    sent.clear()
    session.flush()
    assert len(sent) == 1 and sent[0].startswith("UPDATE owners SET city")
    session.rollback()


def test_the_values_start_where_told_in_a_wider_row():
    session, _sent = _session()
    row = ("x", *session.execute(select(*_OWNERS.columns).where(_Owner.id == 1)).one())
    assert _OWNERS.adopt(session, row, 1).name == "王丽"


def test_an_object_the_session_holds_keeps_what_it_has_and_gets_what_it_lacks():
    session, sent = _session()
    held = session.get(_Owner, 1)
    held.name = "王丽丽"  # a change not yet flushed: kept, as a query keeps it
    session.expire(held, ["city"])
    sent.clear()
    assert _OWNERS.adopt(session, (1, "another name", "北京")) is held
    assert held.name == "王丽丽" and held.city == "北京" and sent == []  # the city from the row, no SELECT
    session.flush()
    assert len(sent) == 1 and sent[0].startswith("UPDATE owners SET name")  # the city is not a change
