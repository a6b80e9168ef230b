"""Administer console users from a shell, e.g. the first admin of a production database.

    python -m lib.auth create-user --db URL --username li.na --name 李娜 --roles admin
    python -m lib.auth end-sessions --db URL --username li.na

The password is read from the terminal (or one line of standard input with
--password-stdin), never from the command line, where `ps` would show it.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from lib import config
from lib.auth.users import create_user, end_sessions, find_user
from lib.db import make_engine
from lib.db.setup import migrate
from lib.errors import UserFacingError
from lib.i18n import translate
from lib.roles import ADMIN, Actor


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lib.auth", description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=None, help="SQLAlchemy URL (default: the configured one)")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-user", help="add a console user")
    create.add_argument("--username", required=True)
    create.add_argument("--name", required=True, help="display name")
    create.add_argument("--roles", required=True, help="comma-separated: admin,manager,hr,marketing")
    create.add_argument("--password-stdin", action="store_true")
    create.add_argument("--no-change-required", action="store_true",
                        help="do not ask the user to change the password at first login")
    end = commands.add_parser("end-sessions", help="log a user out everywhere")
    end.add_argument("--username", required=True)
    return parser


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        raise SystemExit("The two passwords differ; nothing was changed.")
    return first


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    engine = make_engine(args.db or config.database_url())
    migrate(engine)
    operator = Actor(f"cli:{getpass.getuser() or os.getuid()}", (ADMIN,))
    try:
        if args.command == "create-user":
            user = create_user(engine, actor=operator, username=args.username,
                               display_name=args.name, roles=args.roles.split(","),
                               password=_password(args.password_stdin),
                               must_change_password=not args.no_change_required)
            print(f"created {user.username} ({', '.join(user.roles)})")
        elif find_user(engine, args.username) is None:
            print(f"no user {args.username}", file=sys.stderr)
            return 1
        else:
            end_sessions(engine, username=args.username)
            print(f"ended all sessions of {args.username}")
    except UserFacingError as error:
        print(translate(error.key, "en", **error.params), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
