"""The nightly cycle: the day's steps of every policy's life, run as set-based SQL in
resumable, idempotent batches.

``plan`` (the steps and their order) · ``steps/`` (one module per rule, each documenting it) ·
``runner`` (batches, progress rows, resuming, audit) · ``batch`` (what a step sees of a batch) ·
``sql`` (portable statements) · ``dates`` (which issue dates a day concerns) · ``valued`` (the
few policies valued with the engine) · ``pending`` (their events and entries, written per
batch) · ``progress`` (where a day stands)."""
