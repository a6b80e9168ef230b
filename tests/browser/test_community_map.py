"""The community map in a real browser, on a freshly started server (this module's own),
with every request that does not go to 127.0.0.1 blocked and recorded.

What a person sees is drawn on a WebGL canvas, so the test reads it three ways:
the pixels of the canvas (the provinces' land colour), the map specification
the server sends over the WebSocket (labels in the user's language, the view
of the chosen city), and the browser's console (no deck.gl error, such as the
TextLayer's `function is not iterable`). Screenshots of the country view and
the Ningbo view in both languages land in artifacts/screenshots/.
"""
from __future__ import annotations

import io
import json
import re
from urllib.parse import urlparse

import pytest

from lib.auth.demo_users import DEMO_USERS
from tests.browser_support import log_in, screenshot, wait_idle, open_picker

pytestmark = pytest.mark.browser

DECK = '[data-testid="stDeckGlJsonChart"]'
LAND = (247, 244, 236)        # lib.maps.LAND_FILL: the provinces' fill
TEXT = {"en": {"picker": "City on the map", "all": "All of China", "ningbo": "Ningbo",
               "legend": "Legend", "plan": "Plan a free-repair day here", "orders": "Orders",
               "tip": ("Orders", "Members", "Average stars", "Maintenance due",
                       "Free-repair day planned")},
        "zh_CN": {"picker": "地图城市", "all": "全国", "ningbo": "宁波",
                  "legend": "图例", "plan": "在此社区安排义诊日", "orders": "工单量",
                  "tip": ("工单量", "会员数", "平均星数", "待保养电器", "已安排义诊日")}}


# On a deep link (/Communities) Streamlit's frontend first looks for its server under the
# page's path (/Communities/_stcore/health, .../host-config), gets 404, then uses the root:
# Streamlit's own base-path discovery, not an error of the page.
PROBE = re.compile(r"/[^/?]+/_stcore/(health|host-config)$")


class Watched:
    """A page with its outside requests blocked, its console errors, the static files it
    loaded and the text frames of the map specifications the server sent."""

    def __init__(self, context, console_url):
        self.outside, self.errors, self.static, self.frames = [], [], {}, []

        def route(route):
            if urlparse(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                self.outside.append(route.request.url)
                route.abort()
        context.route("**/*", route)
        self.page = page = context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("response", self._response)
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _console(self, message):
        if message.type == "error" and not PROBE.search(message.location.get("url", "")):
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    def _response(self, response):
        if "/app/static/" in response.url:
            self.static[urlparse(response.url).path] = response.status
        if response.status >= 400 and not PROBE.search(response.url):
            self.errors.append(f"{response.status} {response.url}")

    def _frame(self, payload):
        data = payload if isinstance(payload, bytes) else payload.encode()
        if b"initialViewState" in data:
            self.frames.append(data.decode("utf-8", errors="ignore"))

    def last_spec(self) -> str:
        """The last map specification sent (JSON text inside a protobuf frame)."""
        assert self.frames, "the server sent no map"
        return self.frames[-1]

    def last_deck(self) -> dict:
        text = self.last_spec()
        return json.JSONDecoder().raw_decode(text[text.index('{\n  "initialViewState"'):])[0]


def _layer(deck: dict, layer_id: str) -> dict:
    return next((layer for layer in deck["layers"] if layer["id"] == layer_id), {})


def _land_share(page) -> float:
    """Share of the map's pixels painted in the provinces' land colour."""
    from PIL import Image
    import numpy as np
    image = np.asarray(Image.open(io.BytesIO(page.locator(DECK).first.screenshot())).convert("RGB"))
    near = np.all(np.abs(image.astype(int) - np.array(LAND)) <= 6, axis=2)
    return float(near.mean())


def _wait_map(watched: Watched) -> None:
    page = watched.page
    try:
        page.locator(f"{DECK} canvas").first.wait_for(timeout=120_000)
    except Exception:
        screenshot(page, "failed-community-map")
        raise AssertionError(f"no map drew; the page said: {page.inner_text('body')[:600]}")
    wait_idle(page, timeout=120_000)
    page.wait_for_timeout(2500)  # the basemap files load and the canvas paints


@pytest.fixture
def watched(console_url, context):
    return Watched(context, console_url)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_community_map_country_and_ningbo(console_url, watched, lang):
    page, words = watched.page, TEXT[lang]
    login = DEMO_USERS["marketing"]
    page.goto(console_url)  # a fresh server's first run can be slow on a busy machine
    page.get_by_role("textbox", name="Username").wait_for(timeout=120_000)
    log_in(page, console_url, login["username"], login["password"])
    page.goto(f"{console_url}/Communities?lang={lang}")
    _wait_map(watched)

    # Country view: provinces drawn from the shipped file, city names in the user's language.
    assert watched.static.get("/app/static/geo/china-provinces.json") == 200, watched.static
    assert _land_share(page) > 0.05, "no provinces painted on the map"
    deck = watched.last_deck()
    labels = {row["label"] for row in _layer(deck, "city-names").get("data", [])}
    # Where the east is crowded, smaller cities give way (which ones depends on the data);
    # the busiest city always keeps its name, and every name is in the user's language.
    busiest = max(_layer(deck, "cities").get("data", []), key=lambda row: row["value"])
    assert busiest["label"] in labels, f"the busiest city {busiest['label']} is not named: {sorted(labels)}"
    in_chinese = {label: bool(re.search(r"[\u4e00-\u9fff]", label)) for label in labels}
    assert len(labels) >= 5 and all(chinese == (lang == "zh_CN") for chinese in in_chinese.values()), \
        f"city labels are not all in {lang}: {sorted(labels)}"
    assert page.get_by_text(words["legend"]).first.is_visible(), "no legend"
    screenshot(page, f"map-country-{lang}")

    # Choosing Ningbo zooms to its communities, Beilun's cluster among them.
    open_picker(page.get_by_role("combobox", name=words["picker"]))
    page.keyboard.type(words["ningbo"])  # the option list is virtual: filter it first
    page.get_by_role("option", name=re.compile("^" + words["ningbo"])).first.click()
    page.wait_for_timeout(1000)
    _wait_map(watched)
    deck = watched.last_deck()
    assert _layer(deck, "community-names").get("data"), "no community labels in the city view"
    latitude, longitude = deck["initialViewState"]["latitude"], deck["initialViewState"]["longitude"]
    assert 29.6 < latitude < 30.2 and 121.3 < longitude < 122.0, (latitude, longitude)
    assert watched.static.get("/app/static/geo/districts/330200.json") == 200, watched.static
    assert _land_share(page) > 0.05, "no land painted in the Ningbo view"
    screenshot(page, f"map-ningbo-{lang}")

    # One click from a community opens the planner with that community chosen.
    page.get_by_role("link", name=words["plan"]).first.click()
    page.wait_for_url(re.compile(r".*/Free_Repair_Days\?.*community=\d+"), timeout=60_000)
    wait_idle(page, timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0

    assert not watched.errors, f"console errors: {watched.errors[:5]}"
    assert not watched.outside, f"outside requests: {watched.outside[:5]}"
