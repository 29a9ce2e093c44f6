"""The nightly cycle: the day's steps of every policy's life, run as set-based SQL in
resumable, idempotent batches."""
