from __future__ import annotations

from flask_wtf import FlaskForm


class MarkForm(FlaskForm):
    pass


class PreferencesForm(FlaskForm):
    pass
