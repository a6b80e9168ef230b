"""The Alert rules page (admins): every rule with its state, a form for a new rule, and
for the rule picked: its edit form, enable or disable, delete.

Each form acts on exactly the rule it was drawn for: its widgets are keyed by the rule's
id and version, and its button's callback receives that id and version when the form is
drawn (never a picker's position). A refused form keeps what was typed and lists every
problem at once; the command (lib.commands.alert_rules) checks the permission itself.
"""
from __future__ import annotations

from datetime import time

import pandas as pd
import streamlit as st

from lib.alerts.kpis import RATE, UNITS
from lib.alerts.message import shown_value
from lib.alerts.rules import AlertRule, list_alert_rules
from lib.commands import alert_rules as commands
from lib.db.limits import as_user_facing
from lib.db.schema import ALERT_COMPARISONS, ALERT_KPIS
from lib.i18n.places import city_name
from lib.kpi.options import brand_options, city_options
from lib.roles import PermissionDenied, require
from lib.ui import draw
from lib.ui.admin import error_text, flash, pending, proposal_panel, propose, show_flash, when
from lib.ui.text import language, plain, t

NEW = "ar.new"
FIELDS = ("name", "kpi", "city", "brand", "comparison", "threshold", "window", "destinations", "repeat",
          "quiet", "quiet_start", "quiet_end", "enabled")
QUIET_DEFAULT = (time(22, 0), time(7, 0))


def _keys(prefix: str) -> dict[str, str]:
    return {name: f"{prefix}.{name}" for name in FIELDS}


def _draft(prefix: str) -> commands.RuleDraft:
    """The form's widgets as a draft; a rate typed in percent becomes a fraction."""
    state = st.session_state
    k = _keys(prefix)
    kpi = state.get(k["kpi"])
    threshold = state.get(k["threshold"])
    if threshold is not None and UNITS.get(kpi) == RATE:
        threshold = threshold / 100
    quiet = bool(state.get(k["quiet"]))
    return commands.RuleDraft(
        name=state.get(k["name"]) or "", kpi=kpi, city_id=state.get(k["city"]), brand_id=state.get(k["brand"]),
        comparison=state.get(k["comparison"]), threshold=threshold, window_hours=state.get(k["window"]),
        destinations=tuple(state.get(k["destinations"]) or ()), repeat_minutes=state.get(k["repeat"]),
        quiet_start=state.get(k["quiet_start"]) if quiet else None,
        quiet_end=state.get(k["quiet_end"]) if quiet else None, enabled=bool(state.get(k["enabled"])))


def _refused(section: str, error: Exception) -> None:
    if isinstance(error, PermissionDenied):
        st.session_state[f"{section}.error"] = t("error.permission_denied")
        return
    known = as_user_facing(error)
    if known is None:
        raise error
    st.session_state[f"{section}.error"] = error_text(known)


def _create(engine, actor) -> None:
    try:
        saved = commands.create_alert_rule(engine, actor=actor, draft=_draft(NEW))
    except Exception as error:    # refused: the typed input stays
        _refused(NEW, error)
        return
    for key in _keys(NEW).values():
        st.session_state.pop(key, None)
    flash("success", t("ar.created", id=saved.id, name=plain(saved.name)), where=NEW)


def _update(engine, actor, rule_id: int, version: int) -> None:
    section = f"ar.edit.{rule_id}.{version}"
    try:
        saved = commands.update_alert_rule(engine, actor=actor, rule_id=rule_id, expected_version=version,
                                           draft=_draft(section))
    except Exception as error:
        _refused(section, error)
        return
    flash("success", t("ar.saved", id=saved.id, name=plain(saved.name), version=saved.version), where="ar.edit")


def _toggle(engine, actor, rule_id: int, version: int, enabled: bool) -> None:
    try:
        saved = commands.set_alert_rule_enabled(engine, actor=actor, rule_id=rule_id, expected_version=version,
                                                enabled=enabled)
    except Exception as error:
        _refused("ar.toggle", error)
        return
    flash("success", t("ar.enabled_done" if enabled else "ar.disabled_done", id=saved.id, name=plain(saved.name)),
          where="ar.edit")


def _labels(cities: pd.DataFrame, brands: pd.DataFrame, lang: str):
    city_names = {int(r.id): city_name(r.name, lang) for r in cities.itertuples()}
    brand_names = {int(r.id): str(r.name) for r in brands.itertuples()}
    return city_names, brand_names


def _form(section: str, rule: AlertRule | None, *, city_names, brand_names, destinations, on_submit, args,
          button: str) -> None:
    """The rule's fields (a new rule's defaults when `rule` is None), then its button."""
    k = _keys(section)
    rate = rule is not None and UNITS[rule.kpi] == RATE
    threshold = None if rule is None else (round(rule.threshold * 100, 4) if rate else rule.threshold)
    quiet = rule is not None and rule.quiet_start is not None
    offered = list(dict.fromkeys([*destinations, *(rule.destinations if rule else ())]))
    with st.form(section, enter_to_submit=False):
        st.text_input(t("ar.name"), value=rule.name if rule else "", key=k["name"], max_chars=commands.NAME_MAX)
        left, middle, right = st.columns(3)
        left.selectbox(t("ar.kpi"), ALERT_KPIS, index=ALERT_KPIS.index(rule.kpi) if rule else None,
                       format_func=lambda v: t(f"alert.kpi.{v}"), key=k["kpi"], placeholder=t("i18n.choose"))
        middle.selectbox(t("ar.city"), [None, *city_names], key=k["city"],
                         index=[None, *city_names].index(rule.city_id) if rule and rule.city_id in city_names else 0,
                         format_func=lambda v: t("alert.scope.all_cities") if v is None else city_names[v])
        right.selectbox(t("ar.brand"), [None, *brand_names], key=k["brand"],
                        index=[None, *brand_names].index(rule.brand_id) if rule and rule.brand_id in brand_names else 0,
                        format_func=lambda v: t("ar.all_brands") if v is None else brand_names[v])
        left, middle, right = st.columns(3)
        left.selectbox(t("ar.comparison"), ALERT_COMPARISONS, key=k["comparison"],
                       index=ALERT_COMPARISONS.index(rule.comparison) if rule else 0,
                       format_func=lambda v: t(f"alert.comparison.{v}"))
        middle.number_input(t("ar.threshold"), value=threshold, min_value=0.0, step=1.0, key=k["threshold"],
                            help=t("ar.threshold_help"))
        right.number_input(t("ar.window"), value=rule.window_hours if rule else 24, step=1,
                           min_value=commands.WINDOW_HOURS[0], max_value=commands.WINDOW_HOURS[1], key=k["window"])
        st.multiselect(t("ar.destinations"), offered, default=list(rule.destinations) if rule else [],
                       key=k["destinations"], placeholder=t("i18n.choose"),
                       help=t("ar.destinations_help") if destinations else t("ar.no_destinations"))
        left, middle, right = st.columns(3)
        left.number_input(t("ar.repeat"), value=rule.repeat_minutes if rule else 60, step=5,
                          min_value=commands.REPEAT_MINUTES[0], max_value=commands.REPEAT_MINUTES[1],
                          key=k["repeat"])
        middle.time_input(t("ar.quiet_start"), value=rule.quiet_start if quiet else QUIET_DEFAULT[0],
                          key=k["quiet_start"], step=900)
        right.time_input(t("ar.quiet_end"), value=rule.quiet_end if quiet else QUIET_DEFAULT[1],
                         key=k["quiet_end"], step=900)
        left, right = st.columns(2)
        left.checkbox(t("ar.quiet"), value=quiet, key=k["quiet"], help=t("ar.quiet_help"))
        right.checkbox(t("ar.enabled"), value=rule.enabled if rule else True, key=k["enabled"])
        st.form_submit_button(button, on_click=on_submit, args=args, type="primary")
    if f"{section}.error" in st.session_state:
        st.error(st.session_state.pop(f"{section}.error"))


def _describe(rule: AlertRule, city_names, brand_names) -> dict:
    lang = language()
    city = t("alert.scope.all_cities") if rule.city_id is None else city_names.get(rule.city_id, f"#{rule.city_id}")
    brand = t("ar.all_brands") if rule.brand_id is None else brand_names.get(rule.brand_id, f"#{rule.brand_id}")
    quiet = "–" if rule.quiet_start is None else \
        f"{rule.quiet_start.strftime('%H:%M')}–{rule.quiet_end.strftime('%H:%M')}"
    if not rule.enabled:
        state = t("ar.state.disabled")
    elif rule.state.firing:
        state = t("ar.state.firing", since=when(rule.state.firing_since))
    else:
        state = t("ar.state.ok")
    return {
        "id": rule.id, "name": rule.name, "kpi": t(f"alert.kpi.{rule.kpi}"), "scope": f"{city} · {brand}",
        "condition": f"{t(f'alert.comparison.{rule.comparison}')} {shown_value(rule.kpi, rule.threshold, lang)}",
        "window": t("ar.hours", hours=rule.window_hours), "destinations": ", ".join(rule.destinations),
        "repeat": t("ar.minutes", minutes=rule.repeat_minutes), "quiet": quiet, "state": state,
        "value": shown_value(rule.kpi, rule.last_value, lang) if rule.evaluated_at else "–",
        "last_sent": when(rule.state.last_sent_at) if rule.state.last_sent_at else "–",
        "version": rule.version, "updated": f"{rule.updated_by}, {when(rule.updated_at)}"}


def _delete_proposal(engine, actor, rule: AlertRule) -> None:
    rule_id, version = rule.id, rule.version     # captured now, with the summary

    def act(_proposal) -> None:
        done = commands.delete_alert_rule(engine, actor=actor, rule_id=rule_id, expected_version=version)
        flash("success", t("ar.deleted" if done else "ar.already_deleted", id=rule_id), where="ar.edit")
    propose("ar.delete", t("ar.delete_title", id=rule_id),
            [t("ar.delete_line", id=rule_id, name=plain(rule.name), version=version)], act)


def alert_rules_page(ctx) -> None:
    actor = require(ctx.user.actor, "alerts.edit")
    engine = ctx.engine
    st.caption(t("ar.note"))
    rules = list_alert_rules(engine, actor=actor)
    city_names, brand_names = _labels(city_options(engine), brand_options(engine), ctx.language)
    try:
        destinations = list(commands.known_destination_names())
    except ValueError as error:
        st.warning(t("ar.bad_destinations", detail=str(error)))
        destinations = []
    if rules:
        labels = {name: t(f"ar.col.{name}") for name in _describe(rules[0], city_names, brand_names)}
        draw.dataframe(pd.DataFrame([_describe(r, city_names, brand_names) for r in rules]).rename(columns=labels),
                     hide_index=True, width="stretch", key="ar.table")
    else:
        st.info(t("ar.empty"), icon="🔕")

    st.subheader(t("ar.new"))
    show_flash(NEW)
    _form(NEW, None, city_names=city_names, brand_names=brand_names, destinations=destinations,
          on_submit=_create, args=(engine, actor), button=t("ar.create"))

    if not rules:
        return
    st.subheader(t("ar.edit"))
    show_flash("ar.edit")
    by_id = {r.id: r for r in rules}
    picked = st.selectbox(t("ar.pick"), list(by_id), key="ar.pick", filter_mode=None,
                          format_func=lambda i: t("ar.item", id=i, name=by_id[i].name, version=by_id[i].version))
    rule = by_id.get(picked)
    if rule is None:
        return
    section = f"ar.edit.{rule.id}.{rule.version}"
    _form(section, rule, city_names=city_names, brand_names=brand_names, destinations=destinations,
          on_submit=_update, args=(engine, actor, rule.id, rule.version), button=t("ar.save"))
    left, right = st.columns(2)
    left.button(t("ar.disable") if rule.enabled else t("ar.enable"), key=f"ar.toggle.{rule.id}.{rule.version}",
                on_click=_toggle, args=(engine, actor, rule.id, rule.version, not rule.enabled))
    if pending("ar.delete") is None:
        right.button(t("ar.delete"), key=f"ar.delete.{rule.id}.{rule.version}", on_click=_delete_proposal,
                     args=(engine, actor, rule))
    if "ar.toggle.error" in st.session_state:
        st.error(st.session_state.pop("ar.toggle.error"))
    proposal_panel("ar.delete")
