"""Admins: every digest run, message sent and failure (console_digest_log)."""
from lib.navigation import page_for
from lib.ui.drill import digest_log_page
from lib.ui.frame import page_frame, shown_errors

ctx = page_frame(page_for("pages/19_Digest_Log.py"))
with shown_errors():
    digest_log_page(ctx)
