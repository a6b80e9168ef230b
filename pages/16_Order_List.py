"""The orders behind a figure: filters from the URL (shareable), paged, sortable,
CSV export with personal data masked."""
from lib.navigation import page_for
from lib.ui.drill import order_list_page
from lib.ui.frame import page_frame, shown_errors

ctx = page_frame(page_for("pages/16_Order_List.py"))
with shown_errors():
    order_list_page(ctx)
