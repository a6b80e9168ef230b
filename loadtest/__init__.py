"""Load test of the console: real console processes (behind nginx for --processes K > 1),
users simulated by a protocol-level Streamlit client, one real browser render per page
as a check.

    python -m loadtest [--levels 10,25,50,100] [--scenarios burst,think] [--processes K]
    python -m loadtest.gc_soak --db URL [--minutes 30]

Not part of the test suite (it takes minutes and most of the machine). The figures it
prints are the ones docs/operations.md quotes.
"""
