"""Admins: alert rules evaluated by python -m lib.digest --alerts (console_alert_rules):
the rules with their state, a new rule, and edit, enable/disable or delete one."""
from lib.navigation import page_for
from lib.ui.alert_rules import alert_rules_page
from lib.ui.frame import page_frame, shown_errors

ctx = page_frame(page_for("pages/20_Alert_Rules.py"))
with shown_errors():
    alert_rules_page(ctx)
