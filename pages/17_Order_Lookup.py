"""One order by its number, or a member's orders by the full phone number (matched in
the database, shown masked): timeline, due moment and SLA state, engineer, rating, parts."""
from lib.navigation import page_for
from lib.ui.drill import order_lookup_page
from lib.ui.frame import page_frame, shown_errors

ctx = page_frame(page_for("pages/17_Order_Lookup.py"))
with shown_errors():
    order_lookup_page(ctx)
