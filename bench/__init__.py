"""Benchmarks: the KPI library at real volume against the naive way and the SQL floor.

    python -m bench [--orders 100000,1000000] [--backends sqlite,postgresql] [--runs 5]

See docs/benchmarks.md for the figures and how to reproduce them.
"""
