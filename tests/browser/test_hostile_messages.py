"""Names from the platform (engineers choose their own) never become markup in the
messages that follow a decision: an image in an engineer's or community's name
would make the reviewer's browser fetch an address of the attacker's choosing.

The names point an image at a beacon on 127.0.0.1 that counts every request;
HR opens and approves an application through the real form, and the beacon
must stay silent, with no image, link or formula rendered from a name anywhere
on the page. (Every page's markdown with hostile names in every name column is
walked in tests/security/test_hostile_data.py.)
"""
from __future__ import annotations

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select, update

from lib.auth.demo_users import DEMO_USERS, SYSTEM
from lib.bootstrap import build_demo_database
from lib.commands import queries
from lib.commands.certifications import approval_blocker
from lib.commands.settings import load_settings
from lib.db import make_engine
from lib.db import schema as s
from tests.browser_support import _free_port, log_in, screenshot, wait_idle

pytestmark = pytest.mark.browser
BEACON_PORT = _free_port()
BEACON = f"http://127.0.0.1:{BEACON_PORT}"


def _payload(i: int) -> str:
    # an image, a link and LaTeX: each would render if the name reached markdown unescaped
    return f"![p]({BEACON}/img{i}.gif) [x]({BEACON}/link{i}) $x^{i}$ 名{i}"


class _Beacon(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        _Beacon.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def beacon():
    server = ThreadingHTTPServer(("127.0.0.1", BEACON_PORT), _Beacon)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield _Beacon.hits
    server.shutdown()


@pytest.fixture(scope="module")
def small_demo_url(tmp_path_factory):
    """This module's console database: the small demo with every engineer, community,
    city and brand named by a hostile payload (overrides the shared demo)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile_messages') / 'service.db'}"
    build_demo_database(url, orders=1500, seed=11)
    engine = make_engine(url)
    with engine.begin() as connection:
        for table in (s.engineers, s.communities, s.brands):
            for i, row_id in enumerate(connection.execute(select(table.c.id)).scalars().all()):
                connection.execute(update(table).where(table.c.id == row_id).values(name=_payload(i)))
    engine.dispose()
    return url


class _Row:
    def __init__(self, row):
        self.__dict__.update(row)


def _new_page(context):
    page = context.new_page()
    page.set_default_timeout(90_000)  # a fresh server's first run on a busy machine
    return page


def _confirm_if_asked(page) -> None:
    """Decisions ask once for confirmation (a summary and one Confirm)."""
    confirm = page.get_by_role("button", name="Confirm", exact=True)
    try:
        confirm.wait_for(timeout=15_000)
    except Exception:
        return
    wait_idle(page)
    confirm.click()


def _nothing_rendered_from_names(page, beacon, where: str) -> None:
    wait_idle(page)
    page.wait_for_timeout(1500)  # give a rendered image time to be fetched
    assert beacon == [], f"{where}: the browser fetched {beacon}"
    html = page.locator('[data-testid="stMain"]').inner_html()
    for marker in (f'src="{BEACON}', f'href="{BEACON}'):
        at = html.find(marker)
        assert at < 0, f"{where}: markup from a name: ...{html[max(0, at - 400):at + 80]}"
    assert page.locator('[data-testid="stMain"] .katex').count() == 0, f"{where}: LaTeX from a name"


def test_hr_approving_a_hostile_named_engineer_sees_the_name_as_text(console_url, context, beacon,
                                                                     small_demo_url):
    pending = queries.certification_queue(make_engine(small_demo_url), actor=SYSTEM)
    pass_mark = load_settings().pass_mark
    good = next(r for r in pending if approval_blocker(_Row(r), pass_mark) is None)
    page = _new_page(context)
    login = DEMO_USERS["hr"]
    log_in(page, console_url, login["username"], login["password"])
    page.goto(f"{console_url}/Certifications?lang=en")
    page.locator('[data-testid="stHeading"]').first.wait_for(timeout=60_000)
    wait_idle(page)
    box = page.get_by_role("spinbutton", name="Or open any application by number")
    box.fill(str(good["id"]))
    box.press("Enter")
    page.get_by_text(f"(engineer #{good['engineer_id']},").first.wait_for(timeout=60_000)
    _nothing_rendered_from_names(page, beacon, "application detail")
    page.get_by_role("button", name="Approve", exact=True).click()
    _confirm_if_asked(page)
    page.get_by_text(f"Application #{good['id']}").filter(has_text="approved").first.wait_for(timeout=60_000)
    screenshot(page, "security-hostile-name-approved-en")
    _nothing_rendered_from_names(page, beacon, "approval message")
    assert "![p](" in page.locator('[data-testid="stMain"]').inner_text(), "the name is not shown as text"
