"""What each role sees inside the pages it may open, not only which pages open.

SPEC's roles: HR sees engineers' star levels, but pay is for managers and
admins. Every text a page draws (headings, metric labels, table headers,
captions, download labels) is searched for the words of each guarded section.
"""
import pytest

from lib.i18n import translate
from lib.navigation import PAGES
from lib.roles import ROLES, Actor

# section -> (the permission that shows it, the catalogue keys whose text only it draws)
GUARDED_SECTIONS = {
    "engineer pay": ("kpi.engineer_pay", ("kp.eng.payout", "kp.eng.monthly")),
}


def _drawn_texts(app) -> str:
    parts = [e.value for e in (*app.title, *app.header, *app.subheader, *app.markdown,
                               *app.caption, *app.info)]
    parts += [m.label for m in app.metric]
    parts += [b.label for b in app.get("download_button")]
    for frame in app.dataframe:
        parts += [str(column) for column in frame.value.columns]
    return "\n".join(str(p) for p in parts)


def _may(role: str, permission: str | None) -> bool:
    return permission is None or Actor("x", (role,)).may(permission)


# every page a role may open, for every guarded section that role may not see
CASES = [(section, page, role) for section, (permission, _) in GUARDED_SECTIONS.items()
         for page in PAGES for role in ROLES
         if _may(role, page.permission) and not _may(role, permission)]


@pytest.mark.parametrize("section,page,role", CASES, ids=[f"{s}-{p.path}-{r}" for s, p, r in CASES])
def test_a_guarded_section_shows_only_for_the_roles_that_hold_it(open_page, section, page, role):
    _, keys = GUARDED_SECTIONS[section]
    app = open_page(page.path, role)
    assert not app.exception, f"{page.path}: {app.exception}"
    texts = _drawn_texts(app)
    leaked = [translate(key, "en") for key in keys if translate(key, "en") in texts]
    assert not leaked, f"{page.path} shows {role} the {section} section: {leaked}"


def test_the_engineer_page_still_shows_pay_to_a_manager(open_page):
    texts = _drawn_texts(open_page("pages/3_Engineers.py", "manager"))
    assert translate("kp.eng.payout", "en") in texts


def test_the_engineer_page_shows_hr_the_star_figures(open_page):
    app = open_page("pages/3_Engineers.py", "hr")
    texts = _drawn_texts(app)
    assert translate("kp.eng.level", "en") in texts and translate("sec.eng.monthly_no_pay", "en") in texts
