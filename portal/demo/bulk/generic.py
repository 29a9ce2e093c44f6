"""Loading into SQLite (the embedded default) and any other database without COPY: the same
rows as on PostgreSQL, generated in this process and inserted batch by batch with
``executemany``."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, insert
from sqlalchemy.orm import Session

from paas.customers.models import Customer
from paas.policies.models import Beneficiary, Policy, PremiumPayment
from portal.demo.bulk.beneficiaries import BENEFICIARY_COLUMNS
from portal.demo.bulk.copy_text import read_rows
from portal.demo.bulk.customers import CUSTOMER_COLUMNS, customer_rows
from portal.demo.bulk.payments import PREMIUM_COLUMNS
from portal.demo.bulk.plan import CUSTOMER_BATCH, POLICY_BATCH, Plan, batches, share_plan
from portal.demo.bulk.policies import POLICY_COLUMNS, policy_rows
from portal.demo.bulk.report import BulkReport, ProgressMeter


def load_generic(session: Session, plan: Plan, report: BulkReport, progress: Callable[[str], None]) -> None:
    connection = session.connection()
    share_plan(plan)
    with report.phase("customers"):
        meter = ProgressMeter(progress, "customers", report.customers)
        for span in batches(report.customers, CUSTOMER_BATCH):
            _insert(connection, Customer, CUSTOMER_COLUMNS, customer_rows(span))
            meter.add(span[1] - span[0])
    with report.phase("policies"):
        meter = ProgressMeter(progress, "policies", report.policies)
        for span in batches(report.policies, POLICY_BATCH):
            policy_text, beneficiary_text, premium_text, beneficiaries, premiums = policy_rows(span)
            _insert(connection, Policy, POLICY_COLUMNS, policy_text)
            _insert(connection, Beneficiary, BENEFICIARY_COLUMNS, beneficiary_text)
            _insert(connection, PremiumPayment, PREMIUM_COLUMNS, premium_text)
            report.beneficiaries += beneficiaries
            report.premiums += premiums
            meter.add(span[1] - span[0])


def _insert(connection: Connection, model, columns: tuple[str, ...], payload: bytes) -> None:
    rows = read_rows(model.__table__, columns, payload)
    if rows:
        connection.execute(insert(model.__table__), rows)
