"""Mixed language on a page: English words on a Chinese page, Chinese on an English one.

``foreign_words(text, locale)`` takes what a person sees (a browser's inner text, or a page's
HTML, whose visible text is read first) and returns the offending words. Not offending:
codes and numbers (policy numbers, references, fund codes, acronyms such as SMS or PDF),
units, e-mail addresses and web addresses, the language switch ("English" / "中文"), and the
proper names of the people, places and banks in the demo and test data (Chinese names stay
Chinese on an English page). Tests that bring their own names register them with
``allow_names``. Given HTML (a browser's ``page.content()``), parts marked with another ``lang``
are left out: an SMS shown in the outbox in its recipient's language, the language switch."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from paas.customers.masking import mask_address
from portal.demo.people import BANK_ACCOUNTS, EXTERNAL_ACCOUNTS, PEOPLE, POLICIES, STAFF

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL = re.compile(rf"https?://[^\s{_CJK}]*")
_DOMAIN = re.compile(r"\b[A-Za-z0-9-]+(?:\.[A-Za-z]{2,})+\b", re.ASCII)
_FILE_EXTENSION = re.compile(r"(?<=\S)\.(?:pdf|jpe?g|png|csv|txt|json)\b", re.ASCII | re.IGNORECASE)
_MEDIA_TYPE = re.compile(r"\b(?:application|image|text|multipart)/[A-Za-z0-9.+-]+", re.ASCII)
_ASCII_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’_-]*")

# Words that are the same in both languages: units, brands and the language switch.
UNITS = frozenset({"KB", "MB", "GB", "kg", "cm", "mm", "km", "ml"})
LATIN_NAMES = {"English", "Stripe", "Visa", "Mastercard", "UnionPay", "Alipay", "WeChat"}
_LATIN_NAMES = set(LATIN_NAMES)
_CJK_NAMES: set[str] = {"中文", "简体中文"}


def _demo_names() -> set[str]:
    names = {p.name for p in PEOPLE} | {p.address for p in PEOPLE if p.address}
    names |= {staff_name for _, staff_name, _, _ in STAFF}
    names |= {bank for accounts in BANK_ACCOUNTS.values() for bank, _ in accounts}
    names |= {part for accounts in EXTERNAL_ACCOUNTS.values() for name, _, institution, *_ in accounts
              for part in (name, institution)}
    names |= {b[0] for policies in POLICIES.values() for spec in policies for b in spec.beneficiaries}
    # tests/factories.py's defaults
    names |= {"测试客户", "广州市天河区体育西路1号", "受益人", "工资卡", "招商银行", "中国银行"}
    return names | {mask_address(name) for name in names}


_CJK_NAMES |= _demo_names()


def allow_names(*names: str) -> None:
    """Proper names a test's data brings (a customer's name, a bank), allowed from now on."""
    for name in names:
        if _CJK_RUN.search(name):
            _CJK_NAMES.update({name, mask_address(name)})  # the console shows an address masked
        else:
            _LATIN_NAMES.add(name)


def foreign_words(text: str, locale: str) -> list[str]:
    """The words in ``text`` that are not in ``locale`` ("zh" or "en"), in order of appearance."""
    if re.search(r"<[A-Za-z!/]", text):
        text = visible_text(text, locale)
    if locale != "zh":
        # Staff display names in tests are "员工7": the name with its number is one name.
        text = re.sub(r"员工\d+", " ", text)
        for name in sorted(_CJK_NAMES, key=len, reverse=True):
            text = text.replace(name, " ")
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    text = _FILE_EXTENSION.sub(" ", _MEDIA_TYPE.sub(" ", _DOMAIN.sub(" ", text)))
    if locale == "zh":
        return [word for word in _ASCII_RUN.findall(text) if _is_english_word(word)]
    return _CJK_RUN.findall(text)


def _is_english_word(word: str) -> bool:
    word = word.strip("'’_-")
    if len(word) < 2 or any(c.isdigit() for c in word):
        return False  # a number, a code with digits (P0000000017, SR0A1B..., Ed25519)
    if word in UNITS or word in _LATIN_NAMES:
        return False
    parts = re.split(r"[-’']", word)
    if all(p.isupper() and len(p) <= 6 for p in parts):
        return False  # an acronym or a code: SMS, PDF, ID, CNY, BOND, TOTP, YYYY-MM-DD
    if "_" not in word and len(parts) > 1 and all(p[:1].isupper() for p in parts):
        return False  # a protocol header (Content-Type); a raw code (servicing_code) is flagged
    return True


class _Visible(HTMLParser):
    """The text a person sees: text nodes and the attributes read out or shown (placeholder,
    title, alt, aria-label, a button's value); not scripts, styles, typed values or parts
    marked as being in another language (the language switch)."""

    _SKIP = {"script", "style", "textarea", "code", "kbd", "samp", "svg"}
    _VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, locale: str) -> None:
        super().__init__(convert_charrefs=True)
        self.locale = locale
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # open elements: (tag, is its content left out)

    def _hidden(self) -> bool:
        return any(hidden for _, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = (attributes.get("lang") or "").split("-")[0].lower()
        hidden = tag in self._SKIP or (bool(lang) and lang != self.locale)
        if not hidden and not self._hidden():
            for name in ("placeholder", "title", "alt", "aria-label"):
                if attributes.get(name):
                    self.parts.append(attributes[name])
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.parts.append(attributes["value"])
        if tag not in self._VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self._VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        # Elements HTML lets one leave open (<p>, <li>) close with their parent.
        if any(open_tag == tag for open_tag, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def visible_text(html: str, locale: str) -> str:
    parser = _Visible(locale)
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)
