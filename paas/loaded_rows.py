"""Mapped objects made from the columns of a prebuilt statement's row (``iaas.database.DirectStatement``),
as the ORM's own loading makes them: in the session's identity map, every column loaded and
committed (a change to one is flushed as an UPDATE of it), relationships loaded when first used.
An object the session already holds is returned with what it has, not refreshed, as a query
returns it (what it lacks is filled in from the row).
For the servicing engine's few wide reads of every request (the policy and its owner, the
request): the ORM's execution of such a read costs several times the statement's own."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state, set_committed_value

Model = TypeVar("Model")


class LoadedRows(Generic[Model]):
    """``columns``: the model's mapped columns, to select in this order; ``adopt`` makes the object
    of the ``len(columns)`` values that start at ``start`` in a row."""

    def __init__(self, model: type[Model]) -> None:
        mapper = inspect(model)
        self.model = model
        self._mapper = mapper
        properties = mapper.column_attrs
        self._keys = tuple(prop.key for prop in properties)
        self.columns = tuple(prop.columns[0] for prop in properties)
        primary = {column.key for column in mapper.primary_key}
        self._primary_positions = tuple(n for n, prop in enumerate(properties) if prop.columns[0].key in primary)
        if len(self._primary_positions) != len(mapper.primary_key):  # pragma: no cover - a mapping we do not have
            raise ValueError(f"{model.__name__}: its primary key is not among its column attributes")

    def adopt(self, session: Session, row: Sequence[Any], start: int = 0) -> Model:
        values = row[start:start + len(self._keys)]
        key = self._mapper.identity_key_from_primary_key([values[n] for n in self._primary_positions])
        held = session.identity_map.get(key)
        if held is not None:
            # As the ORM's loading: what the object has is kept; what it lacks (expired, or never
            # loaded since it was inserted) is taken from the row.
            unloaded = instance_state(held).unloaded
            for name, value in zip(self._keys, values):
                if name in unloaded:
                    set_committed_value(held, name, value)
            return held
        made = self._mapper.class_manager.new_instance()
        instance_state(made).dict.update(zip(self._keys, values))
        make_transient_to_detached(made)  # the values count as loaded; the rest (relationships) load on use
        session.add(made)
        return made
