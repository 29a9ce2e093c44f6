"""Bulk data for benchmarks: ``portal seed --policies 1000000`` (400,000 customers by default).

Generated people and policies are varied but coherent: Chinese names, households (a couple,
an adult child or a parent), valid and unique resident ID numbers whose sequence digit
matches the gender, unique mobiles, policies whose dates, premiums, paid-to dates and
statuses agree with each other, beneficiaries whose shares sum to 100 and the most recent
(at most three) premiums paid. Bulk customers get no login.

The data is deterministic for a given ``seed``, ``today`` and starting point (ciphertexts
excepted: every encryption takes a fresh nonce). Customer and policy numbers come from
``paas.numbering.allocate``, so a bulk load never clashes with data already there.

The pieces, in the order they run: ``seeding`` (reserve numbers and ids, then load), ``people``
(the households), ``customers`` and ``policies`` (rows as COPY text, in batches; policies
draw on ``cover``, ``lifecycle``, ``pricing``, ``beneficiaries`` and ``payments``), then
``postgres`` (COPY from worker processes, indexes rebuilt by ``postgres_indexes``) or
``generic`` (SQLite: the same rows through ``executemany``).
"""
from portal.demo.bulk.report import BulkReport
from portal.demo.bulk.seeding import DEFAULT_SEED, bulk_seed

__all__ = ["DEFAULT_SEED", "BulkReport", "bulk_seed"]
