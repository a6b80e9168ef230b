"""The demo database's users, one per role. DEMO ONLY: their passwords are in
the README; a production database never gets them (see `lib.bootstrap`)."""
from __future__ import annotations

from sqlalchemy import Engine

from lib.auth.users import create_user, find_user
from lib.roles import ADMIN, ROLES, Actor

SYSTEM = Actor("system", (ADMIN,))

DEMO_USERS = {
    role: {"username": f"{role}_demo", "password": f"{role}-demo-2026"} for role in ROLES
}
DEMO_DISPLAY_NAMES = {"admin": "管理员（演示）", "manager": "王经理（演示）",
                      "hr": "李人事（演示）", "marketing": "陈市场（演示）"}


def ensure_demo_users(engine: Engine) -> None:
    for role, login in DEMO_USERS.items():
        if find_user(engine, login["username"]) is None:
            create_user(engine, actor=SYSTEM, username=login["username"],
                        display_name=DEMO_DISPLAY_NAMES[role], roles=[role],
                        password=login["password"], must_change_password=False)
