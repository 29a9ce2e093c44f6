"""Policies (保单): parties, beneficiaries, coverage and premium history."""
