"""Benchmarks and the baseline of `make bench` (bench/README.md); scripts, not tests."""
