"""The bench's community-map figures: the bytes the map sends, rendered in the report,
and measured for real on the small demo database (country view and city view)."""
from __future__ import annotations

from bench import render


def test_report_shows_the_map_bytes():
    page = {"cold_median": 0.9, "warm_median": 0.1, "map_bytes": 14_321,
            "city_view": {"cold_median": 0.5, "map_bytes": 20_480}}
    lines = render._map_lines({"views": {"90d": {"pages": {"pages/5_Communities.py": page}}}},
                              ["90d"])
    assert "### Community map: data sent to the browser" in lines
    assert "| 90d | 14,321 | 20,480 | 0.500 | ✅ |" in lines


def test_map_bytes_measured_on_the_demo(console_env):
    from bench import pages
    from lib.ui.community_map import CITY_KEY  # noqa: F401  (the picker the bench sets)
    pages._clear_caches()
    app = pages._open(pages.MAP_PAGE, "90d")
    pages._render(app)
    country = pages._map_bytes(app)
    city = pages._city_view("90d", 1)
    assert 1_000 < country < 40_000, country
    assert 1_000 < city["map_bytes"] < 60_000 and city["cold_median"] > 0, city
