"""`make bench`: every bench/bench_*.py module's `run()` figures, printed as a table."""
