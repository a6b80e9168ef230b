"""Where a briefing item sends its reader: a console page and its URL filters.

The same link serves the home page (`st.page_link(page, query_params=...)`)
and the digests (an absolute URL into the console). Only ids, dates and enum
words go into a link, never personal data.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

ORDER_LIST = "pages/16_Order_List.py"
ORDER_LOOKUP = "pages/17_Order_Lookup.py"
ENGINEER = "pages/18_Engineer.py"
ALERT_RULES = "pages/20_Alert_Rules.py"
SLA = "pages/2_Install_Promise.py"
ENGINEERS = "pages/3_Engineers.py"
CERTIFICATIONS = "pages/6_Certifications.py"
COUPONS = "pages/7_Trade_in_Coupons.py"
FREE_REPAIR_DAYS = "pages/8_Free_Repair_Days.py"
ORDERS = "pages/1_Orders.py"


@dataclass(frozen=True)
class Link:
    page: str                                  # the page's script path, as in lib.navigation
    params: tuple[tuple[str, str], ...] = ()   # URL query parameters
    seed: tuple[tuple[str, object], ...] = ()  # widget keys set before switching (same session only)

    @property
    def query(self) -> dict[str, str]:
        return dict(self.params)

    def url_path(self) -> str:
        """The page's URL path as Streamlit serves a `pages/` file ("" for the home page)."""
        if self.page == "Home.py":
            return ""
        name = self.page.rsplit("/", 1)[-1].removesuffix(".py")
        return name.split("_", 1)[1] if "_" in name and name.split("_", 1)[0].isdigit() else name

    def url(self, base: str) -> str:
        query = urlencode(self.params)
        return f"{base.rstrip('/')}/{self.url_path()}" + (f"?{query}" if query else "")


def link(page: str, seed: dict | None = None, **params) -> Link:
    return Link(page, tuple((k, str(v)) for k, v in params.items() if v not in (None, "")),
                tuple((seed or {}).items()))
