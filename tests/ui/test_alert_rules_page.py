"""The Alert rules page (admins): a refused new rule keeps what was typed and lists every
problem at once; a second try saves it; an edit acts on the rule and version on screen."""
import pytest

from lib import config
from lib.alerts.rules import list_alert_rules
from lib.db import get_engine
from lib.i18n import translate
from lib.roles import Actor

ADMIN = Actor("admin_demo", ("admin",))


@pytest.fixture
def destinations(tmp_path, monkeypatch):
    path = tmp_path / "secrets.toml"
    path.write_text('[[digest.destinations]]\nname = "ops-wecom"\nchannel = "wecom"\n'
                    'url = "http://127.0.0.1:9/never-called"\n', encoding="utf-8")
    monkeypatch.setenv(config.ENV_SECRETS_FILE, str(path))


def _click(app, key):
    return next(b for b in app.button if b.label == translate(key, "en")).click().run()


def test_a_refused_rule_keeps_the_input_and_a_second_try_saves_it(open_page, console_env, destinations):
    engine = get_engine(console_env)
    before = {r.id for r in list_alert_rules(engine, actor=ADMIN)}
    app = open_page("pages/20_Alert_Rules.py", "admin")
    assert not app.exception
    app.text_input(key="ar.new.name").input("宁波及时率")
    app.number_input(key="ar.new.threshold").set_value(90.0)
    app = _click(app, "ar.create")            # no KPI, no destination
    assert not app.exception
    [error] = [e.value for e in app.error]
    listed = [line for line in error.splitlines() if line.startswith("- ")]
    assert listed == ["- Choose the KPI to watch.", "- Choose at least one destination."], error
    assert app.text_input(key="ar.new.name").value == "宁波及时率", "the typed name was wiped"
    assert app.number_input(key="ar.new.threshold").value == 90.0
    assert {r.id for r in list_alert_rules(engine, actor=ADMIN)} == before

    app.selectbox(key="ar.new.kpi").set_value("sla_compliance")
    app.multiselect(key="ar.new.destinations").select("ops-wecom")
    app = _click(app, "ar.create")
    assert not app.exception and not app.error, [e.value for e in app.error]
    [rule] = [r for r in list_alert_rules(engine, actor=ADMIN) if r.id not in before]
    assert (rule.name, rule.kpi, rule.threshold, rule.destinations, rule.version) == \
        ("宁波及时率", "sla_compliance", 0.9, ("ops-wecom",), 1)
    assert any(f"Rule #{rule.id}" in s.value for s in app.success)
    assert app.text_input(key="ar.new.name").value == "", "the form is emptied after saving"

    # the edit form of that rule, drawn for its version 1, saves version 2
    app.selectbox(key="ar.pick").set_value(rule.id).run()
    app.number_input(key=f"ar.edit.{rule.id}.1.threshold").set_value(80.0)
    app = _click(app, "ar.save")
    assert not app.error, [e.value for e in app.error]
    [saved] = [r for r in list_alert_rules(engine, actor=ADMIN) if r.id == rule.id]
    assert (saved.threshold, saved.version) == (0.8, 2)


def test_the_page_in_chinese(open_page, destinations):
    app = open_page("pages/20_Alert_Rules.py", "admin", language="zh_CN")
    assert not app.exception and not app.error
    assert any("告警规则" in title.value for title in app.title)
