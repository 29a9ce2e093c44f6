"""``paas.lazy.lazy`` computes once per instance, keeps the value on it, and holds no lock: two
threads computing the attributes of two instances at once do not wait for each other (Python
3.11's cached_property made them, one lock per attribute shared by every instance)."""
from __future__ import annotations

import threading
import time

from paas.lazy import lazy


class Slow:
    computed = 0

    @lazy
    def value(self) -> int:
        """A database read, say."""
        type(self).computed += 1
        time.sleep(0.3)
        return 42


def test_computed_once_and_kept_on_the_instance():
    thing = Slow()
    before = Slow.computed
    assert thing.value == 42 and thing.value == 42
    assert Slow.computed == before + 1 and thing.__dict__["value"] == 42
    assert Slow.value.__doc__ == "A database read, say."


def test_two_instances_compute_side_by_side():
    things = [Slow(), Slow()]
    threads = [threading.Thread(target=lambda t=t: t.value) for t in things]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert time.monotonic() - began < 0.55  # 0.3 s each at once, not 0.6 s one after the other
