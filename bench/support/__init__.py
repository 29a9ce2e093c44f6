"""Helpers of bench/web_pages.py: the data (``data``), the gunicorn servers (``servers``),
signing in and checking pages over HTTP (``session``), wrk (``wrk``) and the figures
(``report``)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "bench"
