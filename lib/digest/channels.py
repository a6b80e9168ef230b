"""Wire formats of the digest's destinations, as each platform documents them.

- WeCom group robot: POST JSON {"msgtype": "markdown", "markdown": {"content": md}}
  to the robot's webhook URL (…/cgi-bin/webhook/send?key=…); answer {"errcode": 0}.
- DingTalk custom robot: POST JSON {"msgtype": "markdown", "markdown": {"title", "text"}}
  to the webhook URL with `&timestamp=<ms>&sign=<sign>` added, where sign is
  urlencode(base64(HMAC-SHA256(key=secret, msg="<timestamp>\\n<secret>"))); answer {"errcode": 0}.
- Feishu custom bot: POST JSON {"timestamp": "<s>", "sign": <sign>, "msg_type":
  "interactive", "card": {header, elements: [{"tag": "markdown", …}]}}, where sign is
  base64(HMAC-SHA256(key="<timestamp>\\n<secret>", msg=b"")); answer {"code": 0}.
- E-mail: a multipart/alternative message (plain text and HTML) over SMTP, with
  STARTTLS and login when configured.

Each `send_*` raises `SendFailed` on any refusal (HTTP status, platform error code,
connection error); the caller retries.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from email.message import EmailMessage
from html import escape

TIMEOUT_S = 10


class SendFailed(Exception):
    """The destination did not take the message (the text says why, without secrets)."""


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode("utf-8"),
                      hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def feishu_sign(secret: str, timestamp_s: int) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode("utf-8"), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def wecom_payload(title: str, markdown: str) -> dict:
    return {"msgtype": "markdown", "markdown": {"content": f"## {title}\n{markdown}"}}


def dingtalk_payload(title: str, markdown: str) -> dict:
    return {"msgtype": "markdown", "markdown": {"title": title, "text": f"## {title}\n\n{markdown}"}}


def feishu_payload(title: str, markdown: str, secret: str | None, timestamp_s: int) -> dict:
    card = {"config": {"wide_screen_mode": True},
            "header": {"title": {"tag": "plain_text", "content": title}, "template": "blue"},
            "elements": [{"tag": "markdown", "content": markdown}]}
    payload = {"msg_type": "interactive", "card": card}
    if secret:
        payload = {"timestamp": str(timestamp_s), "sign": feishu_sign(secret, timestamp_s), **payload}
    return payload


def dingtalk_url(url: str, secret: str | None, timestamp_ms: int) -> str:
    if not secret:
        return url
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def post_json(url: str, payload: dict, ok=lambda answer: True) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            text = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        raise SendFailed(f"HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise SendFailed(f"connection: {getattr(error, 'reason', error)}") from None
    try:
        answer = json.loads(text) if text.strip() else {}
    except ValueError:
        raise SendFailed("answer is not JSON") from None
    if not ok(answer):
        raise SendFailed(f"refused: {json.dumps(answer, ensure_ascii=False)[:200]}")


def errcode_ok(answer: dict) -> bool:
    return answer.get("errcode", 0) == 0


def feishu_ok(answer: dict) -> bool:
    return answer.get("code", answer.get("StatusCode", 0)) == 0


def email_message(*, sender: str, recipients: list[str], title: str, text: str, html: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = title, sender, ", ".join(recipients)
    message.set_content(text)
    message.add_alternative(f"<html><body><h2>{escape(title)}</h2>{html}</body></html>", subtype="html")
    return message


def send_email(message: EmailMessage, *, host: str, port: int, starttls: bool = False,
               username: str | None = None, password: str | None = None) -> None:
    try:
        with smtplib.SMTP(host, port, timeout=TIMEOUT_S) as smtp:
            if starttls:
                smtp.starttls()
            if username:
                smtp.login(username, password or "")
            refused = smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise SendFailed(f"smtp: {type(error).__name__}") from None
    if refused:
        raise SendFailed(f"smtp refused {len(refused)} recipients")
