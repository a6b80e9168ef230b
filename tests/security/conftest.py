"""Security tests: attacks and hostile input against the library, pages and a real server.

The server and browser fixtures are the browser layer's (a console started on
the small demo database; Debian's chromium), reused here.
"""
from tests.browser.conftest import browser, console_url, context  # noqa: F401  (fixtures)
