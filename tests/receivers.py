"""Real receivers on 127.0.0.1 for the digest and alert tests: an HTTP server that
records every POST (the robots' webhooks)."""
from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Receiver:
    """Records every POST; `fail[path] = n` answers HTTP 500 to the first n requests,
    `answers[path]` is the JSON answered otherwise."""

    def __init__(self):
        self.requests, self.fail, self.answers = [], {}, {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                parsed = urllib.parse.urlsplit(self.path)
                receiver.requests.append({"path": parsed.path, "query": urllib.parse.parse_qs(parsed.query),
                                          "raw_query": parsed.query, "headers": dict(self.headers),
                                          "json": json.loads(body)})
                if receiver.fail.get(parsed.path, 0) > 0:
                    receiver.fail[parsed.path] -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                answer = json.dumps(receiver.answers.get(parsed.path, {"errcode": 0, "errmsg": "ok"})).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def on(self, path):
        return [r for r in self.requests if r["path"] == path]


@pytest.fixture
def receiver():
    """A running Receiver (import this fixture into the test module)."""
    r = Receiver()
    r.thread.start()
    yield r
    r.server.shutdown()
    r.server.server_close()


def screenshot_received_markdown(browser, content: str, name: str):
    """`content` (a robot's markdown, as the receiver got it) rendered in chromium the way a
    chat client shows it, saved as artifacts/screenshots/<name>.png to be looked at.
    Returns the open page (the caller checks it, then closes it)."""
    from markdown_it import MarkdownIt
    from tests.browser_support import SCREENSHOTS
    html = MarkdownIt("commonmark", {"breaks": True}).render(content)
    page = browser.new_page(viewport={"width": 520, "height": 900})
    page.set_content(f"<html><body style='font-family: sans-serif; font-size: 14px; max-width: 480px;"
                     f"background:#f5f5f5; padding:12px'><div style='background:white;padding:12px;"
                     f"border-radius:8px'>{html}</div></body></html>")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    return page
