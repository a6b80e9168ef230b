"""Adding a console user: a refused form keeps what was typed and lists every problem at once."""
from lib.auth.users import find_user
from lib.db import get_engine
from lib.i18n import translate


def _submit(app):
    button = next(b for b in app.button if b.label == translate("users.create_button", "en"))
    return button.click().run()


def test_every_problem_is_listed_at_once_and_the_input_is_kept(open_page):
    app = open_page("pages/9_Users.py", "admin")
    app.text_input(key="new_username").input("Not A Valid Name!")
    app.text_input(key="new_display_name").input("   ")
    app.text_input(key="new_password").input("short")
    app = _submit(app)
    assert not app.exception
    errors = [e.value for e in app.error]
    assert len(errors) == 1, errors
    listed = [line for line in errors[0].splitlines() if line.startswith("- ")]
    assert len(listed) >= 3, f"every problem at once (name, display name, roles, password): {errors[0]}"
    assert app.text_input(key="new_username").value == "Not A Valid Name!", "the typed name was wiped"
    assert app.text_input(key="new_display_name").value == "   "


def test_a_second_try_after_the_fix_creates_the_user_and_empties_the_form(open_page, console_env):
    app = open_page("pages/9_Users.py", "admin")
    app.text_input(key="new_username").input("Bad Name")
    app = _submit(app)
    assert app.error, "the first try should be refused"
    app.text_input(key="new_username").input("second.try")
    app.text_input(key="new_display_name").input("第二次")
    app.multiselect(key="new_roles").select("hr")
    app.text_input(key="new_password").input("Second-try-pass-2026")
    app = _submit(app)
    assert not app.error, [e.value for e in app.error]
    assert any(translate("users.created", "en", username="second.try") in s.value for s in app.success)
    assert app.text_input(key="new_username").value == ""
    assert find_user(get_engine(console_env), "second.try") is not None
