"""Both languages everywhere (issue 12, "Done when"), in a real browser at 1280 px.

For each role: sign in (the server defaults to Chinese), switch to English on Home
with the sidebar switch, visit every page of the menu by clicking it, and find no
Chinese character in the page's own text once data values (names, places, brands,
parts, reviews, notes: read from the database) are taken out; then switch to
Chinese and find no English word outside data and code values. The language
switch itself, charts and tables (drawn on canvas, checked in test_chart_labels)
and icons are left out. A screenshot of every page in both languages lands in
artifacts/screenshots/lang-<language>-<role>-<page>.png.
"""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lib.auth.demo_users import DEMO_USERS
from lib.db import make_engine
from lib.db import schema as s
from lib.masking import mask_name
from lib.roles import ROLES
from tests.browser_support import SCREENSHOTS, screenshot, wait_idle
from tests.conftest import copy_of_database

pytestmark = pytest.mark.browser

CONSOLE_LANGUAGE = "zh_CN"
MENU = '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]'
CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")
WORD = re.compile(r"[A-Za-z]{2,}")
# Code values and names of things that are English in Chinese too.
CODE_WORDS = {"CSV", "ZIP", "App", "Excel", "UTF", "ID", "SMS", "WeChat", "KPI", "TDS", "RO", "PP",
              "CN", "AM", "PM", "No"}

# The page's own text: sidebar and main, without the language switch, charts, tables,
# code blocks and icons (whose ligature names are text).
PAGE_TEXT = """() => {
  const parts = [];
  for (const selector of ['[data-testid="stSidebar"]', '[data-testid="stMain"]']) {
    const root = document.querySelector(selector);
    if (!root) continue;
    const clone = root.cloneNode(true);
    const picker = clone.querySelector('[data-testid="stSelectbox"]');
    if (selector.includes('Sidebar') && picker) picker.remove();
    clone.querySelectorAll('[data-testid*="Icon"], [data-testid="stVegaLiteChart"], '
      + '[data-testid="stDeckGlJsonChart"], [data-testid="stDataFrame"], [data-testid="stCode"], '
      + '[data-testid="stTable"], svg, canvas, style, script, .material-icons, '
      + '[data-testid="stExpanderIcon"], [data-testid="stHeaderActionElements"]')
      .forEach(e => e.remove());
    clone.querySelectorAll('*').forEach(e => e.append(' '));
    parts.push(clone.textContent);
  }
  return parts.join(' \\n ');
}"""


@pytest.fixture(scope="module")
def small_demo_url(small_demo_url, tmp_path_factory):
    return copy_of_database(small_demo_url, tmp_path_factory.mktemp("everywhere-db"))


@pytest.fixture(scope="module")
def data_values(small_demo_url) -> re.Pattern:
    """Every stored text a page may show as a value, longest first, as one pattern."""
    engine = make_engine(small_demo_url)
    columns = [s.cities.c.name, s.cities.c.province, s.communities.c.name, s.brands.c.name,
               s.members.c.name, s.engineers.c.name, s.parts_used.c.part_name, s.reviews.c.platform,
               s.reviews.c.price_band, s.reviews.c.content, s.ratings.c.comment,
               s.trade_in_requests.c.old_brand, s.console_users.c.display_name, s.console_users.c.username,
               s.engineer_certifications.c.review_note]
    values = set()
    with engine.connect() as connection:
        for column in columns:
            for (value,) in connection.execute(select(column).distinct()):
                if value:
                    values.add(str(value))
    engine.dispose()
    people = {mask_name(v) for v in values}
    values |= {v for v in people if v}
    ordered = sorted(values, key=len, reverse=True)
    return re.compile("|".join(re.escape(v) for v in ordered))


def sign_in(page, base_url: str, role: str) -> None:
    login = DEMO_USERS[role]
    page.goto(base_url)
    page.get_by_role("textbox", name="用户名").wait_for(timeout=120_000)   # a fresh server's first run
    page.get_by_role("textbox", name="用户名").fill(login["username"])
    page.get_by_role("textbox", name="密码").fill(login["password"])
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector(MENU, timeout=60_000)
    wait_idle(page, timeout=60_000)


def choose_language(page, name: str, signed_in_words: str) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=name).click()
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(signed_in_words, timeout=60_000)
    wait_idle(page, timeout=60_000)


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "page"


def strangers(text: str, data_values: re.Pattern, language: str) -> list[str]:
    """Pieces of `text` in the wrong language, with some context."""
    rest = data_values.sub(" ", text)
    rest = re.sub(r"[A-Z0-9]{4}(?:-[A-Z0-9]{4})+", " ", rest)     # coupon codes
    rest = re.sub(r"python -m [\w.]+(?: --?[\w-]+)*", " ", rest)   # commands are code
    rest = re.sub(r"\b[0-9a-f]{12}\b", " ", rest)                  # model versions are code
    found = []
    if language == "en":
        for match in CJK.finditer(rest):
            found.append(rest[max(0, match.start() - 30):match.end() + 30].replace("\n", " "))
    else:
        for match in WORD.finditer(rest):
            if match.group() not in CODE_WORDS:
                found.append(rest[max(0, match.start() - 30):match.end() + 30].replace("\n", " "))
    return found


def visit_every_page(page, language: str, role: str, data_values, first_label: str) -> dict:
    labels = [text.strip().splitlines()[-1].strip() for text in page.locator(MENU).all_inner_texts()]
    problems = {}
    for label in labels:
        page.locator(MENU).filter(has_text=label).first.click()
        expect(page.locator("h1").first).to_contain_text(label, timeout=60_000)
        wait_idle(page, timeout=60_000)
        charts = page.locator('[data-testid="stVegaLiteChart"]').locator("visible=true")
        if charts.count():
            charts.first.locator("svg").first.wait_for(timeout=60_000)   # drawn before the screenshot
        wait_idle(page, timeout=60_000)
        screenshot(page, f"lang-{language}-{role}-{slug(label) if language == 'en' else labels.index(label)}")
        text = page.evaluate(PAGE_TEXT)
        found = strangers(text, data_values, language)
        if found:
            problems[label] = found[:8]
            with (SCREENSHOTS.parent / f"language-problems-{language}-{role}.txt").open("a") as out:
                out.write(f"{label}: {found[:8]}\n")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_english_then_in_chinese(console_url, browser, data_values, role):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    sign_in(page, console_url, role)
    choose_language(page, "English", "Signed in as")
    english = visit_every_page(page, "en", role, data_values, "Home")
    page.locator(MENU).first.click()
    wait_idle(page, timeout=60_000)
    choose_language(page, "简体中文", "已登录")
    chinese = visit_every_page(page, "zh_CN", role, data_values, "首页")
    context.close()
    assert not english, f"Chinese in the English pages of {role}: {english}"
    assert not chinese, f"English in the Chinese pages of {role}: {chinese}"
