"""Load and soak test of the console: a real server, N concurrent browser sessions.

    python -m loadtest --sessions 10,25,50 [--soak-minutes N] [--db sqlite:///...]

Not part of the test suite (it takes minutes and most of the machine). The
figures it prints are the ones docs/operations.md quotes.
"""
