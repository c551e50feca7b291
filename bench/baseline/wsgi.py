"""Entry point for gunicorn: the baseline on BENCH_BASELINE_DATABASE_URL."""

import os

from bench.baseline.app import create_baseline

app = create_baseline(os.environ["BENCH_BASELINE_DATABASE_URL"])
