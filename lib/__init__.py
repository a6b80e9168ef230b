"""The Service Console's library: everything but the pages. Only `lib.ui` imports streamlit."""
