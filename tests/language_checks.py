"""Which words of a text are in the other language: English words on a Chinese page, Chinese
on an English one. (A minimal version for the browser checks; the full one with its own
tests over the catalogue comes with the wording work.)

Codes, amounts, e-mail addresses and acronyms are language-free; the caller removes the proper
names it knows (a customer's name, an address) before asking."""
from __future__ import annotations

import re

# A token: letters and digits joined by the punctuation codes and addresses use.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@/:+'’-]*")
_ENGLISH_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
# Acronyms such as PDF, SMS, CNY read the same in a Chinese sentence.
_ACRONYM = re.compile(r"[A-Z]{2,5}s?")
# Han characters and the full-width punctuation that comes with them.
_CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]+")


def _english_words(text: str) -> list[str]:
    words = []
    for token in _TOKEN.findall(text):
        token = token.rstrip(".:/'’-")
        if "@" in token or "://" in token or any(ch.isdigit() for ch in token):
            continue  # an e-mail address, a link, a code or an amount
        if _ENGLISH_WORD.fullmatch(token) and len(token) > 1 and not _ACRONYM.fullmatch(token):
            words.append(token)
    return words


def foreign_words(text: str, locale: str) -> list[str]:
    """The words of ``text`` that are not in ``locale`` ("zh" or "en"), in order."""
    if locale.startswith("zh"):
        return _english_words(text)
    return _CHINESE.findall(text)
