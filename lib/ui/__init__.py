"""The thin Streamlit layer: page frame, login, language, caching, drawing helpers.

The only package under lib/ that imports streamlit.
"""
