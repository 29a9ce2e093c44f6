"""Reading what a sender typed. Phones in China type full-width letters and digits and
ideographic spaces; NFKC folds them to the ASCII ones, so ＰＯＬ, pol and " Pol " are one
command. Control and format characters count as spaces. Whatever the text, the parser
returns a ``ParsedSms``: it never raises."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_TYPED = 640  # a long SMS is at most ten segments: the rest is never a command
CODE = "CODE"  # a bare six-digit reply: the code confirming a request
UNKNOWN = "UNKNOWN"
_SEPARATORS = {"Cc", "Cf", "Zs", "Zl", "Zp", "Cs", "Co", "Cn"}
_PUNCTUATION = str.maketrans({",": " ", ";": " ", ":": " ", "、": " ", "，": " ", "。": " ", "#": " "})
_SIX_DIGITS = re.compile(r"[0-9]{6}")


@dataclass(frozen=True)
class ParsedSms:
    command: str  # a registered command's name, CODE or UNKNOWN
    args: tuple[str, ...] = ()


def normalise(text: object) -> str:
    """Folded, upper-cased, single-spaced text."""
    raw = text[:MAX_TYPED] if isinstance(text, str) else ""
    folded = unicodedata.normalize("NFKC", raw)
    spaced = "".join(" " if unicodedata.category(c) in _SEPARATORS else c for c in folded)
    return " ".join(spaced.translate(_PUNCTUATION).split()).upper()


def parse(text: object, keywords: dict[str, str]) -> ParsedSms:
    """``keywords``: each keyword (upper-case) to its command's name."""
    words = normalise(text)
    if not words:
        return ParsedSms(UNKNOWN)
    if _SIX_DIGITS.fullmatch(words.replace(" ", "")):
        return ParsedSms(CODE, (words.replace(" ", ""),))
    first, _, rest = words.partition(" ")
    if first in keywords:
        return ParsedSms(keywords[first], tuple(rest.split()))
    # Chinese keywords are often typed against what follows: 领取1234 500
    for keyword in sorted((k for k in keywords if not k.isascii()), key=len, reverse=True):
        if words.startswith(keyword):
            return ParsedSms(keywords[keyword], tuple(words[len(keyword):].split()))
    return ParsedSms(UNKNOWN)
