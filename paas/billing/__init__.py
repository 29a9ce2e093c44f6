"""Renewal billing (续期缴费): premiums due, grace and lapse, and paying online."""
