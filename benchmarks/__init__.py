"""Benchmarks for analyser: synthetic corpora made from the seeds, timed end to end (not run by pytest)."""
