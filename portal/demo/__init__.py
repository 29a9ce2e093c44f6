"""Demo data for ``make run`` and the browser tests; bulk data for benchmarks."""
