"""One engineer: level, completed orders, SLA of their installs, first-time fix, pay
(roles that see pay), star level month by month, links to their orders."""
from lib.navigation import page_for
from lib.ui.drill import engineer_page
from lib.ui.filters import kpi_filters
from lib.ui.frame import page_frame, shown_errors

ctx = page_frame(page_for("pages/18_Engineer.py"))
filters = kpi_filters(ctx)
with shown_errors():
    engineer_page(ctx, filters)
