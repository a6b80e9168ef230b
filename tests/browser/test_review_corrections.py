"""A manager corrects a review's causes on the complaints page: the page's figures change,
the correction is audited, and undoing it brings the figures back."""
from datetime import date, datetime

import pytest
from sqlalchemy import delete, select

from lib.auth.demo_users import DEMO_USERS
from lib.business import reviews
from lib.db import get_engine, schema as s
from lib.i18n import formatting as fmt
from lib.kpi.filters import KpiFilters
from tests.browser_support import log_in, screenshot, wait_idle, open_picker

pytestmark = pytest.mark.browser

RANGE = "preset=custom&start=2024-01-01&end=2026-12-31"
METRIC = '[data-testid="stMetricValue"]'


def _tagged_share(page) -> str:
    wait_idle(page, timeout=90_000)   # generous: the shared machine is often at load 20-30
    return page.locator(METRIC).nth(1).inner_text(timeout=90_000).strip()


def test_a_correction_changes_the_complaints_figures(console_url, context, small_demo_url):
    engine = get_engine(small_demo_url)
    tagged = reviews.low_star_reviews(engine, KpiFilters(date(2024, 1, 1), date(2026, 12, 31), datetime.now()))
    named, total = int((tagged["causes"].map(len) > 0).sum()), len(tagged)
    assert total and named, "the small demo has low-star reviews with a cause"
    page = context.new_page()
    login = DEMO_USERS["manager"]
    log_in(page, console_url, login["username"], login["password"])
    try:
        page.goto(f"{console_url}/Complaints?lang=en&{RANGE}")
        page.get_by_text("Correct a review's causes").wait_for(timeout=90_000)
        before = _tagged_share(page)
        assert before == fmt.percent(named / total, "en")
        page.get_by_text("What each cause means").click()
        page.get_by_text("the installer's own attitude", exact=False).first.wait_for(state="attached",
                                                                                  timeout=30_000)
        # The first example review (it names a cause): take every cause away.
        open_picker(page.get_by_role("combobox", name="Causes it names (none chosen = no cause)"))
        for _ in range(6):
            page.keyboard.press("Backspace")
        page.keyboard.press("Escape")
        page.get_by_role("button", name="Save correction").click()
        page.get_by_text("Correction saved: review #").wait_for(timeout=90_000)
        after = _tagged_share(page)
        assert after == fmt.percent((named - 1) / total, "en") and after != before
        screenshot(page, "complaints-corrected-en")
        with engine.connect() as connection:
            (fixed,) = connection.execute(select(s.console_review_corrections)).all()
            assert fixed.causes == "" and fixed.corrected_by == login["username"]
            actions = connection.execute(select(s.console_audit_log.c.action)
                                         .where(s.console_audit_log.c.entity_id == fixed.review_id,
                                                s.console_audit_log.c.entity == "review")).scalars().all()
            assert actions == ["review.correct_causes"]
        # The corrected review now names no cause: it is the example of "No cause found". Undo it.
        open_picker(page.get_by_role("combobox", name="Cause", exact=True))
        page.get_by_role("option", name="No cause found").click()
        wait_idle(page, timeout=90_000)
        page.get_by_role("button", name="Undo the correction (back to the model)").click()
        page.get_by_text("Correction of review #").wait_for(timeout=90_000)
        assert _tagged_share(page) == before
    finally:
        with engine.begin() as connection:   # leave the shared demo database as it was
            connection.execute(delete(s.console_review_corrections))
