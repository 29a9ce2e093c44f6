"""The platform core: domain model and services. Plain Python and SQLAlchemy; no Flask.

Services take plain values and a unit of work; whoever owns the transaction commits."""
