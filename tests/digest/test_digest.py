"""Digests against real receivers on 127.0.0.1: an HTTP server per robot format (WeCom,
DingTalk, Feishu) and an SMTP server (aiosmtpd). Exact payloads, signatures, retry with
back-off, a failure that does not block the others, and the log table."""
from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import urllib.parse
from datetime import datetime
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from lib.briefing.settings import BriefingSettings
from lib.db.schema import console_digest_log
from lib.digest import channels
from lib.digest.run import Destination, run_digest, send_with_retry
from lib.digest.message import Message
from tests.receivers import receiver, screenshot_received_markdown  # noqa: F401  (receiver: the fixture)

AS_OF = datetime(2026, 3, 10, 9, 0, 0)
BS = BriefingSettings(console_url="https://console.example.test")
SECRET = "SEC-test-only-0123456789"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def db(sqlite_engine):
    from lib.demo.factory import Factory
    from tests.briefing.test_queries import build
    with sqlite_engine.begin() as connection:
        ids = build(Factory(connection))
    return sqlite_engine, ids


def _run(engine, destinations, **kw):
    return run_digest(engine, role="manager", send=True, language="en", as_of=AS_OF, settings=BS,
                      destinations=destinations, backoff_s=0.01, **kw)


def test_wecom_gets_its_markdown_payload_with_links_back(db, receiver):
    engine, _ = db
    message, outcomes = _run(engine, [Destination("ops", "wecom", ("manager",), url=f"{receiver.url}/wecom?key=k1")])
    assert [o.ok for o in outcomes] == [True]
    [request] = receiver.on("/wecom")
    assert request["query"] == {"key": ["k1"]}
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert request["json"] == {"msgtype": "markdown", "markdown": {"content": f"## {message.title}\n{message.markdown}"}}
    content = request["json"]["markdown"]["content"]
    assert "Yesterday's breached installs" in content
    assert "(https://console.example.test/Order_List?from=2026-03-07&to=2026-03-09&sla=breached" in content


def test_dingtalk_is_signed_with_timestamp_and_hmac(db, receiver):
    engine, _ = db
    message, outcomes = _run(engine, [Destination("ding", "dingtalk", ("manager",),
                                                  url=f"{receiver.url}/ding?access_token=t", secret=SECRET)])
    assert outcomes[0].ok
    [request] = receiver.on("/ding")
    timestamp = request["query"]["timestamp"][0]
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert request["query"]["sign"] == [expected]          # parse_qs undoes the url-encoding
    assert f"sign={urllib.parse.quote_plus(expected)}" in request["raw_query"]
    assert request["query"]["access_token"] == ["t"] and len(timestamp) == 13   # milliseconds
    assert request["json"] == {"msgtype": "markdown", "markdown": {
        "title": message.title, "text": f"## {message.title}\n\n{message.markdown}"}}


def test_feishu_card_carries_timestamp_and_signature(db, receiver):
    engine, _ = db
    receiver.answers["/feishu"] = {"code": 0, "msg": "success"}
    message, outcomes = _run(engine, [Destination("fs", "feishu", ("manager",), url=f"{receiver.url}/feishu",
                                                  secret=SECRET)])
    assert outcomes[0].ok
    body = receiver.on("/feishu")[0]["json"]
    key = f"{body['timestamp']}\n{SECRET}".encode()
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert len(body["timestamp"]) == 10 and body["msg_type"] == "interactive"
    assert body["card"]["header"]["title"] == {"tag": "plain_text", "content": message.title}
    assert body["card"]["elements"] == [{"tag": "markdown", "content": message.markdown}]


def test_feishu_refusal_code_is_a_failure(db, receiver):
    engine, _ = db
    receiver.answers["/feishu"] = {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"}
    _, outcomes = _run(engine, [Destination("fs", "feishu", ("manager",), url=f"{receiver.url}/feishu",
                                            secret="wrong")])
    assert not outcomes[0].ok and outcomes[0].attempts == 3 and "19021" in outcomes[0].detail
    assert len(receiver.on("/feishu")) == 3


def test_email_over_smtp_has_text_and_html_with_links(db, smtp_server):
    engine, _ = db
    handler, port = smtp_server
    message, outcomes = _run(engine, [Destination("mail", "email", ("manager",), host="127.0.0.1", port=port,
                                                  sender="console@example.test",
                                                  recipients=("boss@example.test", "ops@example.test"))])
    assert outcomes[0].ok
    [envelope] = handler.messages
    assert envelope.mail_from == "console@example.test"
    assert envelope.rcpt_tos == ["boss@example.test", "ops@example.test"]
    mail = message_from_bytes(envelope.content, policy=policy.default)
    assert mail["Subject"] == message.title
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "https://console.example.test/Order_List?" in text
    assert 'href="https://console.example.test/Order_List?from=2026-03-07&amp;to=2026-03-09' in html


def test_a_failed_send_is_retried_with_back_off(receiver):
    receiver.fail["/wecom"] = 2
    sleeps = []
    outcome = send_with_retry(Destination("ops", "wecom", url=f"{receiver.url}/wecom"),
                              Message("t", "m", "m", "m"), attempts=3, backoff_s=1.5, sleep=sleeps.append)
    assert outcome.ok and outcome.attempts == 3 and sleeps == [1.5, 3.0]
    assert len(receiver.on("/wecom")) == 3


def test_one_failing_destination_does_not_block_the_others_and_all_is_logged(db, receiver):
    engine, _ = db
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]          # nothing listens there once closed
    destinations = [Destination("dead", "wecom", ("manager",), url=f"http://127.0.0.1:{closed}/x"),
                    Destination("ops", "wecom", ("manager",), url=f"{receiver.url}/wecom"),
                    Destination("hr-only", "wecom", ("hr",), url=f"{receiver.url}/hr")]
    _, outcomes = _run(engine, destinations)
    assert [(o.destination, o.ok, o.attempts) for o in outcomes] == [("dead", False, 3), ("ops", True, 1)]
    assert len(receiver.on("/wecom")) == 1 and receiver.on("/hr") == []
    with engine.connect() as connection:
        rows = connection.execute(select(console_digest_log).order_by(console_digest_log.c.id)).mappings().all()
    assert [(r["kind"], r["destination"], r["status"], r["attempts"]) for r in rows] == [
        ("send", "dead", "failed", 3), ("send", "ops", "ok", 1), ("run", "", "failed", 0)]
    assert len({r["run_id"] for r in rows}) == 1
    assert all(str(closed) not in (r["detail"] or "") or "connection" in r["detail"] for r in rows)


def test_secrets_come_from_the_environment(monkeypatch):
    from lib.digest.run import destinations_from
    entries = [{"name": "ding", "channel": "dingtalk", "roles": ["manager", "nobody"],
                "url_env": "T_DING_URL", "secret_env": "T_DING_SECRET", "url": "http://file-value"}]
    [d] = destinations_from(entries, environ={"T_DING_URL": "http://env-value", "T_DING_SECRET": "s"})
    assert (d.url, d.secret, d.roles) == ("http://env-value", "s", ("manager",))


def test_signatures_match_the_documented_examples():
    # DingTalk: base64(HMAC-SHA256(secret, "timestamp\nsecret")), url-encoded
    assert channels.dingtalk_sign("abc", 1) == urllib.parse.quote_plus(base64.b64encode(
        hmac.new(b"abc", b"1\nabc", hashlib.sha256).digest()))
    # Feishu: the string "timestamp\nsecret" is the key, the message is empty
    assert channels.feishu_sign("abc", 1) == base64.b64encode(hmac.new(b"1\nabc", b"", hashlib.sha256).digest()).decode()


@pytest.mark.browser
def test_received_message_rendered_as_markdown_screenshot(db, receiver, browser):
    """The WeCom message as the receiver got it, rendered as markdown in chromium, to be looked at."""
    engine, _ = db
    _run(engine, [Destination("ops", "wecom", ("manager",), url=f"{receiver.url}/wecom")])
    content = receiver.on("/wecom")[0]["json"]["markdown"]["content"]
    page = screenshot_received_markdown(browser, content, "digest-wecom-received")
    assert page.locator("a").count() >= 6, "the message has lost its links"
    page.close()
