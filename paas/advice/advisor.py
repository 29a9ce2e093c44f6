"""The advisor service: what the visitor typed in, the need worked out, the products that suit."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from paas.advice.circumstances import Circumstances, read_circumstances
from paas.advice.needs import NeedsAnalysis, analyse
from paas.advice.recommend import Recommendation, recommend


@dataclass(frozen=True)
class Advice:
    circumstances: Circumstances
    analysis: NeedsAnalysis
    recommendations: tuple[Recommendation, ...]


def advise(fields: Mapping[str, object]) -> Advice:
    """Raises InvalidInput naming the field and the limit for anything it cannot use."""
    circumstances = read_circumstances(fields)
    analysis = analyse(circumstances)
    return Advice(circumstances, analysis, recommend(circumstances, analysis))
