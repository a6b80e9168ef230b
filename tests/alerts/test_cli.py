"""python -m lib.digest --alerts: exit codes and output, on every backend."""
import pytest

from lib import config
from lib.digest.__main__ import main
from tests.alerts.conftest import make_rule
from tests.receivers import receiver  # noqa: F401  (the fixture)


@pytest.fixture
def secrets_file(tmp_path, monkeypatch, receiver):
    path = tmp_path / "secrets.toml"
    path.write_text(f'''[briefing]
console_url = "https://console.example.test"

[[digest.destinations]]
name = "ops"
channel = "wecom"
url = "{receiver.url}/wecom?key=k"
''', encoding="utf-8")
    monkeypatch.setenv(config.ENV_SECRETS_FILE, str(path))
    return path


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_alerts_send_what_is_due_and_exit_0(db, secrets_file, receiver, capsys):
    engine, ids = db
    rule = make_rule(engine, city_id=ids["A"])
    assert main(["--db", url_of(engine), "--alerts", "--as-of", "2026-03-10 12:00:00", "--language", "en"]) == 0
    out, err = capsys.readouterr()
    assert out == f"rule #{rule.id} 宁波及时率: 0.3333 over 3, new, alert\n"
    assert "ops [wecom]: sent after 1 attempt(s)" in err
    assert len(receiver.on("/wecom")) == 1
    assert main(["--db", url_of(engine), "--alerts", "--as-of", "2026-03-10 12:10:00"]) == 0
    assert "within_repeat, nothing sent" in capsys.readouterr().out
    assert len(receiver.on("/wecom")) == 1


def test_a_destination_that_fails_exits_1(db, secrets_file, receiver, capsys):
    engine, ids = db
    make_rule(engine, city_id=ids["A"], destinations=("gone",), known=("gone",))
    assert main(["--db", url_of(engine), "--alerts", "--as-of", "2026-03-10 12:00:00"]) == 1
    assert "gone []: FAILED (destination not configured)" in capsys.readouterr().err


def test_bad_arguments_and_an_unreachable_database_exit_2(capsys):
    with pytest.raises(SystemExit) as both:
        main(["--alerts", "--role", "manager"])
    with pytest.raises(SystemExit) as neither:
        main([])
    assert both.value.code == neither.value.code == 2
    assert main(["--db", "postgresql+psycopg://postgres@127.0.0.1:1/none", "--alerts"]) == 2
    assert main(["--alerts", "--as-of", "yesterday"]) == 2
    assert "the database cannot be reached" in capsys.readouterr().err
