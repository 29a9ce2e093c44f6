"""What the policyholder web and the console share for servicing: reading the form built from a
transaction's fields (uploads included), showing previews, the labels the templates use."""
from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    """Template globals for the servicing pages (called by each blueprint that shows them)."""
    from paas.policies.terms import RELATIONSHIP_LABELS
    from paas.servicing.desk import QUEUES
    from paas.servicing.history import CHANNEL_LABELS, STATUS_LABELS
    from saas.servicing.display import duration, preview_value, reason_text, submit_label
    from saas.servicing.outcomes import outcome_lines
    from saas.servicing.form_input import BENEFICIARY_ROWS, DECIMAL_KINDS, INPUT_TYPES

    app.jinja_env.globals.update(
        duration=duration, preview_value=preview_value, reason_text=reason_text, outcome_lines=outcome_lines, submit_label=submit_label, request_status_labels=STATUS_LABELS,
        request_channel_labels=CHANNEL_LABELS, review_queue_labels=QUEUES, beneficiary_rows=BENEFICIARY_ROWS,
        field_input_types=INPUT_TYPES, decimal_kinds=DECIMAL_KINDS, beneficiary_relationships={k: v for k, v in RELATIONSHIP_LABELS.items() if k != "self"},
    )
