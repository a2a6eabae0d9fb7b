"""Benchmarks: `python -m bench` (bench/suite.py) runs them all and prints one table of ratios with targets."""
