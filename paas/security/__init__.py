"""Accounts, sign-in, sessions, second factors, roles and masking of personal data."""
