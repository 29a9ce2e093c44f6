"""``lazy``: an attribute computed on first use and kept on its instance - ``functools.
cached_property`` without the lock it has on Python 3.11. That lock is one per attribute of a
class, shared by every instance in every thread (python/cpython#87634; 3.12 dropped it): a
policy context's facts, read from the database under it, made each thread of a web or bench
process wait for every other thread's read. Instances here belong to one request's thread;
two threads reading the same instance at once would each compute it, and one value is kept."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class lazy(Generic[T]):  # noqa: N801 - used as a decorator, named like cached_property
    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, _owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, _owner: type | None = None) -> T:
        if instance is None:
            return self  # type: ignore[return-value]
        value = instance.__dict__[self.name] = self.compute(instance)  # found there from now on
        return value
