"""Requests by type and channel as stacked horizontal bars, drawn on the server as SVG
rectangles (no script, no inline style: each bar's class gives its colour). Pure geometry."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WIDTH = 640  # viewBox units; the page scales the drawing to its box
LABEL_WIDTH = 220
ROW_HEIGHT = 26
BAR_HEIGHT = 18
PLOT_WIDTH = WIDTH - LABEL_WIDTH - 50  # room on the right for the total


@dataclass(frozen=True)
class Bar:
    channel: str
    x: float
    width: float
    count: int


@dataclass(frozen=True)
class Row:
    label: str
    total: int
    y: float  # top of the bar
    bars: tuple[Bar, ...]
    total_x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bar_height: int
    rows: tuple[Row, ...]


def stacked_bars(rows: Sequence[tuple[str, Mapping[str, int]]], channels: Sequence[str]) -> Chart:
    """One row per (label, counts by channel), all on the scale of the largest total."""
    largest = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    drawn = []
    for index, (label, counts) in enumerate(rows):
        x, bars = float(LABEL_WIDTH), []
        for channel in channels:
            count = counts.get(channel, 0)
            if count:
                width = PLOT_WIDTH * count / largest
                bars.append(Bar(channel, round(x, 2), round(width, 2), count))
                x += width
        drawn.append(Row(label, sum(counts.values()), index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                         tuple(bars), round(x + 6, 2)))
    return Chart(WIDTH, max(1, len(rows)) * ROW_HEIGHT, LABEL_WIDTH, BAR_HEIGHT, tuple(drawn))
