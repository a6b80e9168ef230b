"""The nginx config the project ships (deploy/nginx/service-console.conf), run as shipped
in front of 2 console processes: a real browser signs in and opens two pages through
it; the security headers are on every answer and stop framing; routing is sticky.

Debian's nginx is installed by .ci/run; without it the tests skip locally and fail
under CI=true.
"""
from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import psutil
import pytest

from lib.auth.demo_users import DEMO_USERS
from loadtest.proxy import NGINX, SHIPPED, Nginx, site_config
from tests.browser_support import ROOT, _free_port, _wait_healthy, log_in, screenshot, wait_idle
from tests.conftest import IN_CI, TEST_COOKIE_KEY

pytestmark = pytest.mark.browser

SECURITY_HEADERS = {
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
CHART = '[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]'


@pytest.fixture(scope="module")
def two_processes(small_demo_url, tmp_path_factory):
    """Two console processes on one database, same cookie key and cookie secret; their ports."""
    if not Path(NGINX).exists():
        if IN_CI:
            pytest.fail("CI must run the nginx tests: nginx is missing (apt-get install nginx)")
        pytest.skip("nginx is not installed (apt-get install -y nginx)")
    logs = tmp_path_factory.mktemp("servers")
    env = {**os.environ, "SERVICE_DB_URL": small_demo_url, "CONSOLE_COOKIE_KEY": TEST_COOKIE_KEY,
           "STREAMLIT_SERVER_COOKIE_SECRET": "test-only-streamlit-cookie-secret",
           "CONSOLE_LANGUAGE": "en"}
    processes, ports = [], []
    try:
        for i in range(2):
            port = _free_port()
            log = (logs / f"console-{i}.log").open("w")
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "Home.py", "--server.port", str(port),
                 "--server.address", "127.0.0.1"], cwd=ROOT, env=env, stdout=log,
                stderr=subprocess.STDOUT))
            ports.append(port)
        for port, process in zip(ports, processes):
            _wait_healthy(f"http://127.0.0.1:{port}", process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def proxy_url(two_processes, tmp_path_factory):
    nginx = Nginx(two_processes, _free_port(), tmp_path_factory.mktemp("nginx"))
    try:
        nginx.wait_healthy()
        yield nginx.url
    finally:
        nginx.stop()


def test_shipped_config_is_used_as_shipped_except_site_lines():
    text = SHIPPED.read_text()
    rendered = site_config([1111, 2222], 3333)
    assert "server 127.0.0.1:1111 max_fails=2 fail_timeout=10s;" in rendered
    assert "server 127.0.0.1:2222 max_fails=2 fail_timeout=10s;" in rendered
    assert "listen 127.0.0.1:3333;" in rendered and "ssl_certificate" not in rendered
    kept = [line for line in text.splitlines() if "# site:" not in line]
    assert kept == [line for line in rendered.splitlines() if line in kept]
    for must in ("proxy_set_header Upgrade $http_upgrade;", "hash $sc_route consistent;",
                 "proxy_set_header Host $http_host;", 'add_header X-Frame-Options "SAMEORIGIN" always;'):
        assert must in text


def test_browser_signs_in_and_opens_two_pages_through_nginx(proxy_url, context):
    page = context.new_page()
    login = DEMO_USERS["manager"]
    log_in(page, proxy_url, login["username"], login["password"])
    for _ in range(150):  # the login cookie is set by a component after the login run
        if any(c["name"] == "service_console_auth" for c in context.cookies()):
            break
        page.wait_for_timeout(200)
    else:
        raise AssertionError("the login cookie was never set through nginx")
    for path in ("Orders", "Engineers"):
        page.goto(f"{proxy_url}/{path}?lang=en")
        try:
            page.locator(CHART).locator("visible=true").first.wait_for(timeout=60_000)
        except Exception:
            screenshot(page, f"nginx-failed-{path}")
            raise AssertionError(f"{path} through nginx: no chart; page said "
                                 f"{page.inner_text('body')[:400]}")
        wait_idle(page, timeout=60_000)
        screenshot(page, f"nginx-{path.lower()}")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0
        assert page.get_by_role("textbox", name="Password").count() == 0, "login form shown"
        if path == "Orders":  # the CSV is built only on the click (deferred), and arrives
            with page.expect_download(timeout=60_000) as download:
                page.locator('[data-testid="stDownloadButton"] button').locator(
                    "visible=true").first.click()
            content = open(download.value.path(), "rb").read().decode("utf-8-sig")
            assert content.splitlines()[0].count(",") >= 2 and len(content.splitlines()) > 5
            # the same download link, copied to a browser without the login cookie: refused
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(download.value.url, timeout=30)
            assert refused.value.code == 403, "a download link opened without the login cookie"
    assert any(c["name"] == "sc_route" for c in context.cookies()), "no sticky route cookie"


def test_security_headers_on_every_answer(proxy_url):
    for path in ("/", "/Orders", "/_stcore/health", "/no-such-file.js"):
        try:
            answer = urllib.request.urlopen(proxy_url + path, timeout=30)
        except urllib.error.HTTPError as error:  # an error answer must carry them too
            answer = error
        for name, value in SECURITY_HEADERS.items():
            assert value in (answer.headers.get(name) or ""), f"{path}: {name} missing"
        assert "nginx/" not in (answer.headers.get("Server") or ""), "server_tokens should be off"


def test_framing_by_another_site_is_refused(proxy_url, two_processes, context):
    """A page of another origin that frames the console: through nginx the frame stays
    empty; straight to a console process (no proxy headers) it draws, so the check can fail."""
    direct = f"http://127.0.0.1:{two_processes[0]}"

    import http.server
    import threading

    framing_page = {"url": ""}

    class OtherSite(http.server.BaseHTTPRequestHandler):  # another origin: localhost:PORT
        def do_GET(self):
            body = f'<iframe src="{framing_page["url"]}/" width=900 height=600></iframe>'.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), OtherSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def framed(url: str, wait_ms: int) -> bool:
        framing_page["url"] = url
        page = context.new_page()
        page.goto(f"http://localhost:{server.server_address[1]}/")
        drawn = False
        for _ in range(wait_ms // 500):
            page.wait_for_timeout(500)
            if any(f.locator('[data-testid="stApp"]').count() for f in page.frames[1:]):
                drawn = True
                break
        page.close()
        return drawn

    try:
        assert framed(direct, 45_000), "control: a bare console process should be frameable"
        assert not framed(proxy_url, 15_000), "the console was framed through nginx"
    finally:
        server.shutdown()


def test_routing_is_sticky_per_browser_and_spreads_browsers(proxy_url, two_processes):
    """Each fresh browser (route cookie) keeps one process for its WebSocket; 16 of them
    use both processes."""
    import time

    from websockets.sync.client import connect

    def route_cookie() -> str:
        with urllib.request.urlopen(proxy_url + "/", timeout=30) as answer:
            cookie = answer.headers.get("Set-Cookie") or ""
        assert cookie.startswith("sc_route="), cookie
        return cookie.split(";", 1)[0]

    def upstream_ports() -> set[int]:
        return {c.raddr.port for c in psutil.net_connections(kind="tcp")
                if c.raddr and c.raddr.port in two_processes and c.status == "ESTABLISHED"}

    def backend(cookie: str) -> int:
        with connect(proxy_url.replace("http", "ws") + "/_stcore/stream",
                     subprotocols=["streamlit"], origin=proxy_url,
                     additional_headers={"Cookie": cookie}):
            time.sleep(0.3)
            ports = upstream_ports()
        assert len(ports) == 1, f"nginx should hold one connection to one process: {ports}"
        time.sleep(0.3)  # let nginx close its side before the next look
        return ports.pop()

    seen = set()
    for _ in range(16):
        cookie = route_cookie()
        first = backend(cookie)
        assert backend(cookie) == first and backend(cookie) == first, "not sticky"
        seen.add(first)
    assert seen == set(two_processes), "16 browsers all went to one process"


def test_streamlit_metrics_are_not_served_through_the_proxy(proxy_url):
    # Streamlit answers /_stcore/metrics to anyone, signed in or not; the proxy does not.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(proxy_url + "/_stcore/metrics", timeout=30)
    assert refused.value.code == 404
