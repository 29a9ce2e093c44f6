"""The asset-allocation donut, drawn on the server as SVG paths (no script, no inline style:
each segment carries a class that portal.css colours). Pure geometry, no Flask."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

SIZE = 200  # viewBox units; the page scales the drawing to its box
OUTER = 96
INNER = 60
_FULL = 0.99999  # a segment this big is drawn as a whole ring: one arc cannot close a circle


@dataclass(frozen=True)
class Segment:
    category: str
    path: str  # the SVG ``d`` attribute
    start: float  # fraction of the ring, 0 = twelve o'clock, clockwise
    end: float


def _point(radius: float, fraction: float) -> str:
    angle = 2 * math.pi * fraction - math.pi / 2
    centre = SIZE / 2
    return f"{centre + radius * math.cos(angle):.2f},{centre + radius * math.sin(angle):.2f}"


def _ring() -> str:
    # Outer circle clockwise, inner anticlockwise: the non-zero fill rule leaves the hole empty.
    top_o, bottom_o, top_i, bottom_i = _point(OUTER, 0), _point(OUTER, 0.5), _point(INNER, 0), _point(INNER, 0.5)
    return (f"M{top_o} A{OUTER},{OUTER} 0 1 1 {bottom_o} A{OUTER},{OUTER} 0 1 1 {top_o} Z "
            f"M{top_i} A{INNER},{INNER} 0 1 0 {bottom_i} A{INNER},{INNER} 0 1 0 {top_i} Z")


def _arc(start: float, end: float) -> str:
    large = 1 if end - start > 0.5 else 0
    return (f"M{_point(OUTER, start)} A{OUTER},{OUTER} 0 {large} 1 {_point(OUTER, end)} "
            f"L{_point(INNER, end)} A{INNER},{INNER} 0 {large} 0 {_point(INNER, start)} Z")


def donut(amounts: Sequence[tuple[str, Decimal]]) -> tuple[Segment, ...]:
    """One segment per category with a positive amount, in the order given, sized by amount."""
    held = [(category, amount) for category, amount in amounts if amount > 0]
    total = sum((amount for _, amount in held), Decimal(0))
    segments = []
    running = Decimal(0)
    for category, amount in held:
        start, running = float(running / total), running + amount
        end = float(running / total)
        path = _ring() if end - start >= _FULL else _arc(start, end)
        segments.append(Segment(category, path, start, end))
    return tuple(segments)
