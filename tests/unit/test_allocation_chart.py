"""The allocation donut's geometry: one segment per held category, closing the ring."""
from __future__ import annotations

import math
import re
from decimal import Decimal

from saas.web.allocation_chart import INNER, OUTER, SIZE, donut

D = Decimal
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _points(path: str) -> list[tuple[float, float]]:
    """The end points of every command (M, L, and the last two numbers of each A)."""
    points = []
    for command in re.findall(r"[MLA][^MLAZ]*", path):
        numbers = [float(n) for n in _NUMBER.findall(command)]
        points.append((numbers[-2], numbers[-1]))
    return points


def _radius(point) -> float:
    return math.hypot(point[0] - SIZE / 2, point[1] - SIZE / 2)


def test_one_segment_per_positive_amount_in_order():
    segments = donut([("insurance", D("50")), ("bank", D("0")), ("fund", D("25")), ("other", D("25"))])
    assert [s.category for s in segments] == ["insurance", "fund", "other"]
    assert [(s.start, s.end) for s in segments] == [(0.0, 0.5), (0.5, 0.75), (0.75, 1.0)]


def test_nothing_held_draws_nothing():
    assert donut([("bank", D("0"))]) == ()


def test_a_quarter_starts_at_twelve_and_ends_at_three_oclock():
    (quarter, _rest) = donut([("bank", D("1")), ("fund", D("3"))])
    start_outer, end_outer, end_inner, start_inner = _points(quarter.path)
    assert start_outer == (100.0, 100.0 - OUTER)
    assert end_outer == (100.0 + OUTER, 100.0)
    assert end_inner == (100.0 + INNER, 100.0)
    assert start_inner == (100.0, 100.0 - INNER)
    assert " 0 0 1 " in quarter.path  # small arc, clockwise outside
    assert " 0 1 1 " in _rest.path  # the three quarters take the large arc


def test_every_point_lies_on_one_of_the_two_circles():
    segments = donut([(c, D(v)) for c, v in [("insurance", "123.45"), ("bank", "6789"), ("fund", "0.01"), ("other", "42")]])
    for segment in segments:
        for point in _points(segment.path):
            assert min(abs(_radius(point) - OUTER), abs(_radius(point) - INNER)) < 0.01


def test_a_single_category_is_a_whole_ring_with_a_hole():
    (ring,) = donut([("pension", D("1000"))])
    assert ring.path.count("M") == 2 and ring.path.count("Z") == 2
    assert ring.path.count(" 0 1 1 ") == 2 and ring.path.count(" 0 1 0 ") == 2  # outer clockwise, inner back
    assert all(abs(_radius(p) - r) < 0.01 for p, r in zip(_points(ring.path), [OUTER] * 3 + [INNER] * 3))


def test_segments_meet_without_gaps():
    segments = donut([("bank", D("3")), ("fund", D("5")), ("other", D("7"))])
    for before, after in zip(segments, segments[1:]):
        assert before.end == after.start
        assert _points(before.path)[1] == _points(after.path)[0]
    assert segments[-1].end == 1.0
