"""A refused servicing form's errors as its page shows them: one line above the form, and
each field's own message beside that field (all of them at once)."""
from __future__ import annotations

from paas.errors import N_, InvalidInput
from saas.i18n import error_text, gettext

SEVERAL = N_("%(count)s fields need correcting; each is marked below.")


def field_errors(error: InvalidInput) -> dict[str, str]:
    """Field name -> its messages in the user's language, each once: a field made of rows
    (the beneficiaries) can be wrong in several ways, and all of them are said beside it."""
    shown: dict[str, list[str]] = {}
    for each in error.errors:
        if each.field and (text := error_text(each)) not in shown.setdefault(each.field, []):
            shown[each.field].append(text)
    return {name: " ".join(texts) for name, texts in shown.items()}


def summary(error: InvalidInput) -> str:
    count = len(field_errors(error))
    return gettext(SEVERAL, count=count) if count > 1 else error_text(error)


def as_json(error: InvalidInput) -> list[dict]:
    """Every error, for an API caller: ``[{"field": ..., "message": ...}]``."""
    return [{"field": each.field, "message": error_text(each)} for each in error.errors]
