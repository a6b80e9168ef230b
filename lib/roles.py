"""Who may do what: SPEC's roles table, checked where each action runs.

Pages use `may()` to build the menu; every read of a KPI and every write calls
`require()` itself, so a page that forgot its guard still cannot leak or write.
"""
from __future__ import annotations

from dataclasses import dataclass

ADMIN, MANAGER, HR, MARKETING = "admin", "manager", "hr", "marketing"
ROLES = (ADMIN, MANAGER, HR, MARKETING)

# permission -> roles that hold it (SPEC.md, "Roles")
PERMISSIONS: dict[str, frozenset[str]] = {
    "kpi.orders": frozenset({ADMIN, MANAGER}),
    "kpi.sla": frozenset({ADMIN, MANAGER}),
    "kpi.engineers": frozenset({ADMIN, MANAGER, HR}),
    "kpi.retention": frozenset({ADMIN, MANAGER, MARKETING}),
    "kpi.communities": frozenset({ADMIN, MANAGER, MARKETING}),
    # Beyond SPEC's five KPI pages (issue 6): managers' business analyses.
    "kpi.reviews": frozenset({ADMIN, MANAGER}),
    "reviews.correct": frozenset({ADMIN, MANAGER}),   # issue 15: a review's complaint causes
    "kpi.parts": frozenset({ADMIN, MANAGER}),
    "kpi.brand_mix": frozenset({ADMIN, MANAGER}),
    "kpi.engineer_pay": frozenset({ADMIN, MANAGER}),
    "kpi.warranties": frozenset({ADMIN, MANAGER}),
    "certifications.review": frozenset({ADMIN, HR}),
    "free_repair_days.plan": frozenset({ADMIN, MARKETING}),
    "coupons.manage": frozenset({ADMIN, MARKETING}),
    "users.manage": frozenset({ADMIN}),
    # Issue 16: the orders behind a figure, one order's lookup (phone matched), alert
    # rules and the digest log.
    "orders.list": frozenset({ADMIN, MANAGER}),
    "digest.log": frozenset({ADMIN}),
    "alerts.edit": frozenset({ADMIN}),   # create, edit, enable/disable, delete alert rules
    "audit.read": frozenset({ADMIN}),
}


class PermissionDenied(PermissionError):
    """The acting user's roles do not allow this action. Nothing was done."""

    def __init__(self, actor: "Actor", permission: str):
        super().__init__(f"{actor.username} ({', '.join(actor.roles) or 'no role'}) may not {permission}")
        self.permission = permission


@dataclass(frozen=True)
class Actor:
    """The signed-in user on whose behalf an action runs."""

    username: str
    roles: tuple[str, ...]

    def may(self, permission: str) -> bool:
        return bool(PERMISSIONS[permission].intersection(self.roles))

    def role_for(self, permission: str) -> str:
        """The role under which the action is recorded in the audit log."""
        for role in ROLES:
            if role in self.roles and role in PERMISSIONS[permission]:
                return role
        raise PermissionDenied(self, permission)


def require(actor: Actor | None, permission: str) -> Actor:
    if actor is None or not actor.may(permission):
        raise PermissionDenied(actor or Actor("anonymous", ()), permission)
    return actor


def parse_roles(text: str) -> tuple[str, ...]:
    """Roles as stored in `console_users.roles` (comma-separated)."""
    return tuple(r for r in (part.strip() for part in text.split(",")) if r in ROLES)
