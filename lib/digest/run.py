"""Building and sending a digest; retry with back-off; the log table.

Destinations are configured in the secrets file (never in the repository):

    [[digest.destinations]]
    name = "ops-wecom"            # shown in the log; the URL and secret never are
    channel = "wecom"             # wecom, dingtalk, feishu, email
    roles = ["manager"]           # the briefings it receives
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=..."
    # secret = "SEC..."           # dingtalk and feishu signing secrets
    # e-mail: host, port, starttls, username, password, sender, recipients = [...]

Any value may instead name an environment variable, which wins: `url_env =
"DIGEST_OPS_WECOM_URL"`, `secret_env = ...`, `password_env = ...`.

A destination that fails is retried (ATTEMPTS times, waiting BACKOFF_S, then twice
that, ...); its failure is logged and the others are still sent.
"""
from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlalchemy import insert, select

from lib import config
from lib.briefing import briefing
from lib.briefing.settings import BriefingSettings, load_settings as briefing_settings
from lib.db.schema import console_digest_log
from lib.digest import channels
from lib.digest.message import Message, build
from lib.kpi.settings import load_settings as kpi_settings
from lib.roles import ROLES, Actor
from lib.timeutil import now_local

CHANNELS = ("wecom", "dingtalk", "feishu", "email")
ATTEMPTS = 3
BACKOFF_S = 2.0


@dataclass(frozen=True)
class Destination:
    name: str
    channel: str
    roles: tuple[str, ...] = ()
    url: str | None = None
    secret: str | None = None
    host: str | None = None
    port: int = 25
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    sender: str | None = None
    recipients: tuple[str, ...] = ()


def destinations_from(entries: list[dict], environ=os.environ) -> list[Destination]:
    out = []
    for entry in entries:
        values = {}
        for key, value in entry.items():
            if key.endswith("_env"):
                continue
            values[key] = value
        for key in ("url", "secret", "password", "username", "host"):
            if entry.get(f"{key}_env") and environ.get(entry[f"{key}_env"]):
                values[key] = environ[entry[f"{key}_env"]]
        if values.get("channel") not in CHANNELS or not values.get("name"):
            raise ValueError(f"digest destination needs a name and a channel in {CHANNELS}")
        values["roles"] = tuple(r for r in values.get("roles", ()) if r in ROLES)
        values["recipients"] = tuple(values.get("recipients", ()))
        out.append(Destination(**values))
    return out


def configured_destinations() -> list[Destination]:
    return destinations_from(config.secrets().get("digest", {}).get("destinations", []))


def deliver(destination: Destination, message: Message, *, clock=time.time) -> None:
    """One attempt to send `message` to `destination` (raises channels.SendFailed)."""
    d = destination
    if d.channel == "wecom":
        channels.post_json(d.url, channels.wecom_payload(message.title, message.markdown), channels.errcode_ok)
    elif d.channel == "dingtalk":
        url = channels.dingtalk_url(d.url, d.secret, int(clock() * 1000))
        channels.post_json(url, channels.dingtalk_payload(message.title, message.markdown), channels.errcode_ok)
    elif d.channel == "feishu":
        payload = channels.feishu_payload(message.title, message.markdown, d.secret, int(clock()))
        channels.post_json(d.url, payload, channels.feishu_ok)
    else:
        email = channels.email_message(sender=d.sender or "console@localhost", recipients=list(d.recipients),
                                       title=message.title, text=message.text, html=message.html)
        channels.send_email(email, host=d.host or "localhost", port=int(d.port), starttls=bool(d.starttls),
                            username=d.username, password=d.password)


@dataclass
class Outcome:
    destination: str
    channel: str
    ok: bool
    attempts: int
    detail: str = ""


def send_with_retry(destination: Destination, message: Message, *, attempts: int = ATTEMPTS,
                    backoff_s: float = BACKOFF_S, sleep: Callable[[float], None] = time.sleep,
                    clock=time.time) -> Outcome:
    detail = ""
    for attempt in range(1, attempts + 1):
        try:
            deliver(destination, message, clock=clock)
            return Outcome(destination.name, destination.channel, True, attempt)
        except channels.SendFailed as error:
            detail = str(error)
        except Exception as error:  # a bad configuration must not stop the other destinations
            detail = f"{type(error).__name__}: {error}"[:300]
        if attempt < attempts:
            sleep(backoff_s * 2 ** (attempt - 1))
    return Outcome(destination.name, destination.channel, False, attempts, detail)


def log(engine, *, run_id: str, kind: str, role: str, outcome: Outcome | None = None,
        status: str = "ok", detail: str = "", at: datetime | None = None) -> None:
    with engine.begin() as connection:
        connection.execute(insert(console_digest_log).values(
            at=at or now_local(), run_id=run_id, kind=kind, role=role,
            destination=outcome.destination if outcome else "", channel=outcome.channel if outcome else "",
            status=("ok" if outcome.ok else "failed") if outcome else status,
            attempts=outcome.attempts if outcome else 0, detail=(outcome.detail if outcome else detail)[:1000]))


def run_digest(engine, *, role: str, send: bool, language: str = "zh_CN", as_of: datetime | None = None,
               destinations: list[Destination] | None = None, settings: BriefingSettings | None = None,
               attempts: int = ATTEMPTS, backoff_s: float = BACKOFF_S,
               sleep: Callable[[float], None] = time.sleep) -> tuple[Message, list[Outcome]]:
    """Build `role`'s briefing as a message; with `send`, post it to every destination
    configured for the role. The run and every send are logged."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    bs = settings or briefing_settings()
    as_of = as_of or now_local()
    run_id = uuid.uuid4().hex
    result = briefing(engine, actor=Actor(f"digest:{role}", (role,)), as_of=as_of,
                      settings=kpi_settings(), briefing_settings=bs)
    message = build(result, language=language, console_url=bs.console_url, role=role)
    outcomes = []
    if send:
        targets = [d for d in (destinations if destinations is not None else configured_destinations())
                   if role in d.roles]
        for destination in targets:
            outcome = send_with_retry(destination, message, attempts=attempts, backoff_s=backoff_s, sleep=sleep)
            outcomes.append(outcome)
            log(engine, run_id=run_id, kind="send", role=role, outcome=outcome)
    failed = sum(not o.ok for o in outcomes)
    log(engine, run_id=run_id, kind="run", role=role, status="failed" if failed else "ok",
        detail=f"items={len(result.items)} sent={len(outcomes) - failed} failed={failed}")
    return message, outcomes


def recent_log(engine, limit: int = 200) -> list[dict]:
    t = console_digest_log
    with engine.connect() as connection:
        rows = connection.execute(select(t).order_by(t.c.at.desc(), t.c.id.desc()).limit(limit)).mappings()
        return [dict(r) for r in rows]
