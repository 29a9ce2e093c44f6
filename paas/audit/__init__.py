"""The audit log: append-only, each entry chained to the previous one by its hash."""
