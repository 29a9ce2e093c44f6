"""Migrations match the models on both databases; the demo seed is idempotent."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text

from paas.schema import metadata
from portal.demo.seed import seed_demo


def test_migrated_schema_matches_the_models(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    assert compare_metadata(context, metadata) == []


def _counts(uow):
    return {table.name: uow.session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in metadata.sorted_tables}


def test_demo_seed_twice_changes_nothing(platform, uow):
    first = seed_demo(platform)
    assert first.created
    after_first = _counts(uow)
    snapshot = uow.session.execute(text("SELECT policy_number, status, sum_assured FROM policies ORDER BY id")).all()
    second = seed_demo(platform)
    assert not second.created
    assert _counts(uow) == after_first
    assert uow.session.execute(text("SELECT policy_number, status, sum_assured FROM policies ORDER BY id")).all() == snapshot
    assert [s.totp_secret for s in first.staff] == [s.totp_secret for s in second.staff]


def test_demo_gives_each_policyholder_three_or_more_policies_of_different_products_and_states(platform, uow):
    seed_demo(platform)
    rows = uow.session.execute(text(
        "SELECT a.email, count(*), count(DISTINCT p.product_id), count(DISTINCT p.status) "
        "FROM accounts a JOIN policies p ON p.owner_id = a.customer_id GROUP BY a.email ORDER BY a.email"
    )).all()
    assert [r[0] for r in rows] == ["demo2@example.com", "demo@example.com"]
    for _email, policies, products, states in rows:
        assert policies >= 3 and products >= 3 and states >= 3
    staff = uow.session.execute(text("SELECT role FROM accounts WHERE role IS NOT NULL ORDER BY role")).scalars().all()
    assert staff == ["adjuster", "clerk", "supervisor", "underwriter"]


def test_each_demo_policyholder_has_the_address_in_its_parts_matching_the_one_shown(platform, uow):
    from paas.customers.models import Customer
    from paas.servicing.kinds.contact import ADDRESS_PARTS, display_address

    seed_demo(platform)
    holders = uow.session.scalars(select(Customer).where(Customer.address.is_not(None)).order_by(Customer.id)).all()
    assert len(holders) == 2  # the two who sign in; their families have no address of their own
    for customer in holders:
        parts = {name: getattr(customer, f"address_{name}") for name in ADDRESS_PARTS}
        assert all(parts.values()), parts  # the structured form starts filled in
        assert display_address(parts) == customer.address and len(parts["postcode"]) == 6
