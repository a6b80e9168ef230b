"""The console's pages: file, title, icon and the permission that opens it.

The sidebar menu shows a user the pages their roles allow; each page checks
the same permission itself before it reads anything (lib.ui.frame).
Icons are emoji on purpose: `:material/...:` icons fetch a font from outside.
"""
from __future__ import annotations

from dataclasses import dataclass

from lib.roles import Actor


@dataclass(frozen=True)
class Page:
    path: str
    title_key: str
    icon: str
    permission: str | None  # None: every signed-in user


HOME = Page("Home.py", "page.home", "🏠", None)

PAGES: tuple[Page, ...] = (
    HOME,
)


def pages_for(actor: Actor) -> list[Page]:
    return [page for page in PAGES if page.permission is None or actor.may(page.permission)]


def page_for(path: str) -> Page:
    return next(page for page in PAGES if page.path == path)
