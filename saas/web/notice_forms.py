from __future__ import annotations

from saas.csrf import PageForm


class MarkForm(PageForm):
    pass


class PreferencesForm(PageForm):
    pass
