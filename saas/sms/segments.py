"""How many SMS segments a reply costs, and keeping it within two: 160 characters each in
the GSM 7-bit alphabet, 70 each as soon as one character is outside it (Chinese). A reply
longer than that is cut at a word and marked, never sent as three or more."""
from __future__ import annotations

import math

# GSM 03.38 basic set (one septet each) and the extension set (two septets: escape + char).
_GSM_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
_GSM_EXTENDED = set("^{}\\[~]|€\f")
MAX_SEGMENTS = 2
GSM_SEGMENT = 160
UCS2_SEGMENT = 70


def is_gsm(text: str) -> bool:
    return all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text)


def length(text: str) -> int:
    """Characters as the network counts them (an extension character is two)."""
    if is_gsm(text):
        return sum(2 if c in _GSM_EXTENDED else 1 for c in text)
    return len(text)


def segments(text: str) -> int:
    size = GSM_SEGMENT if is_gsm(text) else UCS2_SEGMENT
    return max(1, math.ceil(length(text) / size))


def fit(text: str, limit: int = MAX_SEGMENTS) -> str:
    """``text`` cut (at a space where there is one) so it takes at most ``limit`` segments."""
    if segments(text) <= limit:
        return text
    size = GSM_SEGMENT if is_gsm(text) else UCS2_SEGMENT
    room = size * limit - 1  # one for the ellipsis
    cut = text
    while length(cut) > room:
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space > room // 2:
        cut = cut[:space]
    ellipsis = "..." if is_gsm(text) else "…"
    while segments(cut + ellipsis) > limit:
        cut = cut[:-1]
    return cut + ellipsis
