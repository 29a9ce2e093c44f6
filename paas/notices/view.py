"""What a notice says, in the reader's language, as plain strings: the one view both the HTML
and the PDF templates fill in (so they cannot disagree), and the SMS summary.

Money is written ¥1,234.50 in both languages, dates as the platform writes them (2026年3月16日,
16 Mar 2026), choices and labels by their translated message id; text stays as signed."""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from paas.errors import N_
from paas.i18n import DEFAULT_LOCALE, supported, translate
from paas.i18n.dates import format_date
from paas.notices.types import CHOICE, DATE, LABEL, MONEY, NoticeType, notice_type

if TYPE_CHECKING:
    from paas.notices.document import SignedNotice

INSURER = N_("Pinghe Life")
FIXED_TEXT = {
    "notice_number": N_("Notice number"),
    "issued_on": N_("Date of issue"),
    "policy_number": N_("Policy number"),
    "recipient": N_("To"),
    "verify_heading": N_("Is this notice genuine?"),
    "verification_code": N_("Verification code"),
    "signed_by": N_("Signed electronically by Pinghe Life under key %(key)s."),
    "footer": N_("This electronic notice replaces the paper letter. Keep it with your policy documents."),
}
ACCOUNT_FOOTER = N_("We tell you of every change to your account's security, at the contacts you had before it.")
LEGALLY_REQUIRED = N_("We are required to send you this notice, so it goes to every contact we have for you, "
                      "whatever your delivery choices.")
VERIFY_HINT = N_("Scan the code or enter %(code)s at %(url)s to check it.")
GREETING = N_("Dear %(name)s,")
# A label and its value: Chinese writes a full-width colon and no space (punctuation, as dates
# are written by locale in paas/i18n/dates.py, not a message to translate).
COLON = {"zh": "：", "en": ": "}


def money_text(amount: str | Decimal) -> str:
    # CNY is written with ¥ in both Chinese and English; two decimals, thousands separated.
    return f"¥{Decimal(amount):,.2f}"


def field_text(kind: str, value: Any, locale: str, choices: tuple = ()) -> str:
    if kind == MONEY:
        return money_text(value)
    if kind == DATE:
        return format_date(date.fromisoformat(value), locale)
    if kind == CHOICE:
        return translate(locale, dict(choices).get(value, value))
    if kind == LABEL:
        return translate(locale, value)
    return str(value)


def written_fields(kind: NoticeType, fields: dict, locale: str) -> dict[str, str]:
    return {f.name: field_text(f.kind, fields[f.name], locale, f.choices) for f in kind.fields if f.name in fields}


def sms_summary(data: dict, locale: str) -> str:
    """The notice in one or two SMS segments (what the SMS channel sends, with a link)."""
    kind = notice_type(data["type"])
    params = {f.name: "" for f in kind.fields}  # an optional field left out reads as nothing
    params.update(written_fields(kind, data["fields"], locale))
    params["policy"] = data.get("policy_number") or ""
    return translate(locale, kind.sms_summary, **params)


def verify_url(public_url: str, code: str) -> str:
    return f"{public_url.rstrip('/')}/verify?code={code}"


def letter_view(doc: "SignedNotice", locale: str, public_url: str = "") -> dict:
    """Every string a letter shows, in ``locale`` (the recipient's language if none fits)."""
    locale = supported(locale) or supported(doc.data["language"]) or DEFAULT_LOCALE
    data = doc.data
    kind = notice_type(data["type"])
    written = written_fields(kind, data["fields"], locale)
    code = doc.code
    fixed = _fixed_text(kind.code, locale)
    labels = fixed["labels"]
    text = dict(fixed["text"])
    text["signed_by"] = translate(locale, FIXED_TEXT["signed_by"], key=doc.key_id)
    text["verify_hint"] = translate(locale, VERIFY_HINT, code=code, url=f"{public_url.rstrip('/')}/verify")
    issued_on = format_date(date.fromisoformat(data["issued_on"]), locale)
    refs = [(text["notice_number"], data["notice_number"]), (text["issued_on"], issued_on)]
    if data.get("policy_number"):
        refs.append((text["policy_number"], data["policy_number"]))
    return {
        "lang": locale,
        "refs": [f"{label}{COLON[locale]}{value}" for label, value in refs],
        "code_line": f"{text['verification_code']}{COLON[locale]}{code}",
        "type": kind.code,
        "insurer": fixed["insurer"],
        "title": fixed["title"],
        "greeting": translate(locale, GREETING, name=data["recipient_name"]),
        "lead": sms_summary(data, locale),
        "recipient_name": data["recipient_name"],
        "notice_number": data["notice_number"],
        "issued_on": issued_on,
        "policy_number": data.get("policy_number") or "",
        "rows": [[labels[f.name], written[f.name]] for f in kind.fields if f.name in written],
        "values": written,
        "labels": labels,
        "code": code,
        "verify_url": verify_url(public_url, code),
        "text": text,
    }


@lru_cache(maxsize=64)
def _fixed_text(type_code: str, locale: str) -> dict:
    """What a type's letters say whatever their data, translated once per process."""
    kind = notice_type(type_code)
    text = {name: translate(locale, message) for name, message in FIXED_TEXT.items() if name != "signed_by"}
    if not kind.has_letter:
        text["footer"] = translate(locale, ACCOUNT_FOOTER)
    text["legal"] = translate(locale, LEGALLY_REQUIRED) if kind.legally_required else ""
    return {"text": text, "insurer": translate(locale, INSURER), "title": translate(locale, kind.title),
            "labels": {f.name: translate(locale, f.label) for f in kind.fields}}
