"""Evaluating rules and sending to a real HTTP receiver on 127.0.0.1, every backend: one
alert when a rule becomes true, not again within its repeat interval, again after it, one
recovery, quiet hours, scope, and two runs at once sending once."""
import threading
from datetime import datetime, timedelta

from sqlalchemy import select

from lib.alerts import evaluate
from lib.alerts.evaluate import run_alerts
from lib.briefing.settings import BriefingSettings
from lib.db.schema import console_alert_state, console_digest_log
from lib.i18n import formatting as fmt
from tests.alerts.conftest import QUIET_NIGHT, T0, make_rule, wecom
import pytest

from tests.receivers import receiver, screenshot_received_markdown  # noqa: F401  (receiver: the fixture)

BS = BriefingSettings(console_url="https://console.example.test")
D = datetime


def run(engine, receiver, at, language="en", **kw):
    destinations = kw.pop("destinations", None) or [wecom(receiver)]
    return run_alerts(engine, as_of=at, language=language, destinations=destinations, settings=BS,
                      backoff_s=0.01, **kw)


def contents(receiver, path="/wecom"):
    return [r["json"]["markdown"]["content"] for r in receiver.on(path)]


def log_rows(engine):
    t = console_digest_log
    with engine.connect() as connection:
        return connection.execute(select(t.c.kind, t.c.destination, t.c.status, t.c.role, t.c.detail)
                                  .order_by(t.c.id)).all()


def test_a_true_rule_sends_one_alert_with_a_link_back(db, receiver):
    engine, ids = db
    rule = make_rule(engine, city_id=ids["A"])
    result = run(engine, receiver, T0).results
    assert [(r.rule_id, r.sent, r.decision.why) for r in result] == [(rule.id, "alert", "new")]
    [content] = contents(receiver)
    assert content.startswith("## 🔴 Alert: 宁波及时率\n")
    assert "Ningbo 宁波: 24-hour install compliance is 33.3%, under 90.0% (last 24 h, 3 orders)" in content
    assert "(https://console.example.test/Install_Promise?preset=last_7_days&city=" f"{ids['A']})" in content
    kinds = [(k, d, s, role) for k, d, s, role, _ in log_rows(engine)]
    assert kinds == [("alert", "ops", "ok", ""), ("alert_run", "", "ok", "")]
    assert f"rule #{rule.id}" in log_rows(engine)[0].detail


def test_the_message_in_chinese(db, receiver):
    engine, ids = db
    make_rule(engine, city_id=ids["A"])
    run(engine, receiver, T0, language="zh_CN")
    [content] = contents(receiver)
    assert content.startswith("## 🔴 告警：宁波及时率\n")
    assert "宁波：24 小时安装及时率为 33.3%，低于 90.0%（最近 24 小时，3 单）" in content


def test_staying_true_is_not_re_sent_within_the_interval_but_after_it_and_recovers_once(db, receiver):
    engine, ids = db
    make_rule(engine, city_id=ids["A"], repeat_minutes=60)
    assert run(engine, receiver, T0).results[0].sent == "alert"
    later = run(engine, receiver, T0 + timedelta(minutes=30)).results[0]      # A is 1/2: still under
    assert (later.sent, later.decision.why, later.figure.value) == (None, "within_repeat", 0.5)
    assert run(engine, receiver, T0 + timedelta(minutes=59, seconds=59)).results[0].sent is None
    assert run(engine, receiver, T0 + timedelta(minutes=60)).results[0].sent == "alert"
    assert len(receiver.on("/wecom")) == 2
    recovered = run(engine, receiver, D(2026, 3, 11, 12)).results[0]           # a5 only: 1/1
    assert (recovered.sent, recovered.figure.value) == ("recovery", 1.0)
    assert run(engine, receiver, D(2026, 3, 11, 13)).results[0].sent is None
    sent = contents(receiver)
    assert len(sent) == 3 and sent[2].startswith("## ✅ Recovered: 宁波及时率\n")
    assert "is back at 100.0%" in sent[2]
    assert [k for k, *_ in log_rows(engine) if k != "alert_run"] == ["alert", "alert", "recovery"]


def test_quiet_hours_that_wrap_midnight_hold_the_alert_until_they_end(db, receiver):
    engine, ids = db
    make_rule(engine, city_id=ids["A"], window_hours=48, **QUIET_NIGHT)
    night = run(engine, receiver, D(2026, 3, 10, 23)).results[0]      # a0, a1, a3 breached, a2 met
    assert (night.figure.value, night.decision.why, night.sent) == (0.25, "held", None)
    assert run(engine, receiver, D(2026, 3, 11, 6, 59, 59)).results[0].sent is None
    assert receiver.requests == []
    morning = run(engine, receiver, D(2026, 3, 11, 7)).results[0]     # a1, a2, a3, a5: 2/4, still true
    assert (morning.sent, morning.figure.value) == ("alert", 0.5)
    assert f"Since {fmt.moment(D(2026, 3, 10, 23), 'en')}." in contents(receiver)[0]   # when it first held


def test_scope_by_city_and_brand(db, receiver):
    engine, ids = db
    rules = {
        "A·X under 60%": make_rule(engine, name="A·X under 60%", city_id=ids["A"], brand_id=ids["X"],
                                   threshold=0.6),   # 1/2: true
        "A·Y under 10%": make_rule(engine, name="A·Y under 10%", city_id=ids["A"], brand_id=ids["Y"],
                                   threshold=0.1),   # 0/1: true
        "B under 90%": make_rule(engine, name="B under 90%", city_id=ids["B"]),          # 2/2: false
        "all under 50%": make_rule(engine, name="all under 50%", threshold=0.5),        # 3/5: false
        "A breached over 1": make_rule(engine, name="A breached over 1", kpi="sla_breached", comparison="over",
                                       threshold=1, city_id=ids["A"]),                  # 2: true
    }
    results = {r.name: r for r in run(engine, receiver, T0).results}
    assert {name: r.sent for name, r in results.items()} == {
        "A·X under 60%": "alert", "A·Y under 10%": "alert", "B under 90%": None, "all under 50%": None,
        "A breached over 1": "alert"}
    assert results["A·Y under 10%"].figure.value == 0.0 and results["all under 50%"].figure.value == 0.6
    sent = "\n".join(contents(receiver))
    assert f"city={ids['A']}&brand={ids['X']}" in sent and "Ningbo 宁波 · brand 品牌X" in sent
    assert "Breached installs is 2, over 1" in sent
    assert rules["B under 90%"].id not in [r.rule_id for r in results.values() if r.sent]


def test_the_window_boundary_an_install_due_exactly_at_its_start_counts(db, receiver):
    engine, ids = db
    make_rule(engine, name="A breached over 1", kpi="sla_breached", comparison="over", threshold=1,
              city_id=ids["A"])
    assert run(engine, receiver, T0 + timedelta(seconds=1)).results[0].figure.value == 1.0   # a1 out
    assert receiver.requests == []
    assert run(engine, receiver, T0).results[0].sent == "alert"                                # a1 in


def test_disabled_rules_are_not_evaluated(db, receiver):
    engine, ids = db
    make_rule(engine, city_id=ids["A"], enabled=False)
    assert run(engine, receiver, T0).results == [] and receiver.requests == []


def test_two_evaluations_at_once_send_once(db, receiver, monkeypatch):
    engine, ids = db
    make_rule(engine, city_id=ids["A"])
    both_read = threading.Barrier(2, timeout=30)
    real_figure = evaluate.figure

    def figure_after_both_read(*args, **kwargs):
        value = real_figure(*args, **kwargs)
        both_read.wait()           # both runs have read the same state before either claims it
        return value
    monkeypatch.setattr(evaluate, "figure", figure_after_both_read)
    runs, errors = [], []

    def one():
        try:
            runs.append(run(engine, receiver, T0))
        except Exception as error:     # pragma: no cover - reported below
            errors.append(error)
    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    outcomes = sorted((str(r.results[0].sent), r.results[0].lost) for r in runs)
    assert outcomes == [("None", True), ("alert", False)]
    assert len(receiver.on("/wecom")) == 1
    with engine.connect() as connection:
        assert connection.execute(select(console_alert_state.c.seq)).scalar() == 1


def test_a_message_no_destination_took_is_tried_again_by_the_next_run(db, receiver):
    engine, ids = db
    make_rule(engine, city_id=ids["A"], destinations=("ops", "gone"), known=("ops", "gone"))
    receiver.fail["/wecom"] = 3
    first = run(engine, receiver, T0).results[0]
    assert first.sent is None and [(o.destination, o.ok) for o in first.outcomes] == [("ops", False), ("gone", False)]
    assert first.outcomes[1].detail == "destination not configured"
    second = run(engine, receiver, T0 + timedelta(minutes=5)).results[0]
    assert second.sent == "alert" and second.decision.why == "new"
    assert [(k, d, s) for k, d, s, *_ in log_rows(engine)] == [
        ("alert", "ops", "failed"), ("alert", "gone", "failed"), ("alert_run", "", "failed"),
        ("alert", "ops", "ok"), ("alert", "gone", "failed"), ("alert_run", "", "failed")]


@pytest.mark.browser
def test_alert_and_recovery_as_received_screenshot(sqlite_engine, receiver, browser):
    """The alert and its recovery as the WeCom group shows them (rendered markdown, in
    Chinese), to be looked at; each keeps its link back into the console."""
    from lib.demo.factory import Factory
    from tests.alerts.conftest import build
    with sqlite_engine.begin() as connection:
        ids = build(Factory(connection))
    make_rule(sqlite_engine, city_id=ids["A"])
    run(sqlite_engine, receiver, T0, language="zh_CN")
    run(sqlite_engine, receiver, D(2026, 3, 11, 12), language="zh_CN")
    alert, recovery = contents(receiver)
    for content, name in ((alert, "alert-wecom-received-zh"), (recovery, "alert-recovery-wecom-received-zh")):
        page = screenshot_received_markdown(browser, content, name)
        assert page.locator("a").count() >= 1, f"{name}: the link back is lost"
        assert page.locator("h2").count() == 1
        page.close()
