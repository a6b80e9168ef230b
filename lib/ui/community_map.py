"""The community map of pages/5_Communities.py: country view (cities) and city view
(its communities), the city and community pickers, a click on the map choosing
the same, the legend, and the link to the free-repair day planner.

A click on the map reruns the script with the clicked object in the map's
selection state; it is copied into the picker's state before the picker is
drawn (Streamlit allows that only before), and only when it is a new click, so
the picker can still be changed afterwards.
"""
from __future__ import annotations

import json
from functools import partial

import pandas as pd
import streamlit as st

from lib import maps
from lib import charts
from lib.charts import map_style_url
from lib.commands.free_repair_days import today_local
from lib.i18n import formatting as fmt
from lib.kpi.filters import KpiFilters
from lib.ui import cache, draw
from lib.ui.text import plain, t

CITY_KEY = "map.city"
COUNTRY_MAP_KEY = "map.country"
PLANNER = "pages/8_Free_Repair_Days.py"
HEIGHT = 640
ALL = 0


def _picked(state_key: str, layer: str, field: str):
    """The object last clicked in a map's layer (its `field`), None if none."""
    state = st.session_state.get(state_key)
    try:
        objects = state["selection"]["objects"].get(layer) or []
    except (KeyError, TypeError, AttributeError):
        return None
    return objects[0].get(field) if objects else None


def _apply_click(state_key: str, layer: str, field: str, picker_key: str, choices) -> None:
    picked = _picked(state_key, layer, field)
    applied_key = f"{state_key}.applied"
    if picked is not None and picked != st.session_state.get(applied_key) and picked in choices:
        st.session_state[picker_key] = picked
    st.session_state[applied_key] = picked


def _stars(value, lang: str) -> str:
    return "–" if value is None or pd.isna(value) else fmt.number(round(float(value), 2), lang)


def _figures(row, lang: str) -> list[tuple[str, str]]:
    return [(t("map.tip.orders"), fmt.number(int(row.orders), lang)),
            (t("map.tip.members"), fmt.number(int(row.members), lang)),
            (t("map.tip.avg_stars"), _stars(row.avg_stars, lang)),
            (t("map.tip.maintenance_due"), fmt.number(int(row.maintenance_due), lang))]


def _legend(scale: maps.HeatScale, title: str, lang: str) -> None:
    # A caption and a chart, not raw HTML: the console renders no HTML of its own.
    st.caption(f"**{t('map.legend')}** · {plain(title)} · {t('map.legend_size')} · "
               f"{t('map.legend_lines')}")
    classes = pd.DataFrame([{"colour": colour, "label": t("map.legend_range", low=fmt.number(int(low), lang),
                                                          high=fmt.number(int(high), lang))}
                            for colour, low, high in scale.classes()])
    draw.chart(partial(charts.colour_swatches, classes), width="content")


def _draw(deck, key: str):
    return st.pydeck_chart(deck, width="stretch", height=HEIGHT, key=key, on_select="rerun",
                           selection_mode="single-object")


def show(ctx, filters: KpiFilters, measure: str, heat: pd.DataFrame) -> None:
    """The map for the chosen measure. `heat`: the page's community heat (all communities
    in the filters' scope); the country view reads the per-city sums of the database."""
    lang = ctx.language
    # the stored names (cache.cities() gives "Ningbo 宁波" in English; a map label is short)
    cities = cache._cities(cache.db_url()).set_index("id")
    per_city = cache.city_heat(ctx, filters)
    per_city = per_city[per_city["city_id"].isin(cities.index)]
    names = {int(i): maps.city_label(str(cities.at[i, "name"]), lang) for i in cities.index}
    counts = dict(zip(per_city["city_id"].astype(int), per_city["communities"].astype(int)))
    choices = [ALL, *sorted(counts, key=lambda i: names[i])]
    if st.session_state.get(CITY_KEY) not in choices:
        st.session_state.pop(CITY_KEY, None)
    _apply_click(COUNTRY_MAP_KEY, "cities", "city_id", CITY_KEY, choices)
    # labels made now, in this run's language (a format_func may also be called later)
    labels = {ALL: t("map.all_china"), **{i: t("map.city_item", city=names[i],
                                                 communities=fmt.number(counts[i], lang))
                                          for i in choices if i != ALL}}
    city_id = st.selectbox(t("map.city"), choices, key=CITY_KEY, format_func=labels.get)
    measure_name = t(f"kp.com.measure.{measure}")
    if city_id == ALL:
        _country(per_city, cities, names, measure, measure_name, lang)
    else:
        _city(ctx, int(city_id), heat, cities, names[int(city_id)], measure, measure_name, lang)


def _country(per_city, cities, names, measure, measure_name, lang) -> None:
    if per_city.empty or per_city[measure].sum() == 0:
        st.info(t("map.empty", measure=measure_name), icon="🔍")
        return
    rows = []
    for r in per_city.itertuples():
        city = cities.loc[r.city_id]
        tip = maps.tooltip_html(names[r.city_id], [
            (t("map.tip.communities"), fmt.number(int(r.communities), lang)), *_figures(r, lang)])
        rows.append((int(r.city_id), names[r.city_id], float(city["lat"]), float(city["lon"]),
                     float(getattr(r, measure)), tip))
    frame = pd.DataFrame(rows, columns=["city_id", *maps.MAP_COLUMNS])
    scale = maps.HeatScale.of(frame["value"])
    _legend(scale, t("map.legend_country", measure=measure_name), lang)
    _draw(maps.country_map(frame, scale, style=map_style_url()), COUNTRY_MAP_KEY)
    st.caption(t("map.country_hint"))


def _city(ctx, city_id, heat, cities, city_name, measure, measure_name, lang) -> None:
    here = heat[heat["city_id"] == city_id]
    if here.empty:
        st.info(t("map.no_communities", city=city_name), icon="🔍")
        return
    planned = cache.planned_free_repair_days(ctx, city_id, today_local())
    days = planned.groupby("community_id")["event_date"].apply(list).to_dict() if len(planned) else {}
    rows = []
    for r in here.itertuples():
        when = "、".join(fmt.day(d, lang) for d in days.get(r.community_id, [])[:3]) \
            if r.community_id in days else t("map.tip.none")
        tip = maps.tooltip_html(r.name, [(t("map.tip.city"), city_name), *_figures(r, lang),
                                         (t("map.tip.free_repair_day"), when)])
        rows.append((int(r.community_id), r.name, r.lat, r.lon, float(getattr(r, measure)), tip))
    frame = pd.DataFrame(rows, columns=["community_id", *maps.MAP_COLUMNS])
    scale = maps.HeatScale.of(frame["value"])
    city = cities.loc[city_id]
    map_key = f"map.city.{city_id}"
    st.caption(t("map.city_hint", city=city_name, communities=fmt.number(len(here), lang)))
    if frame["value"].sum() == 0:
        st.info(t("map.empty_city", city=city_name, measure=measure_name), icon="🔍")
    else:
        _legend(scale, t("map.legend_city", measure=measure_name), lang)
    _draw(maps.city_map(frame, scale, centre=(float(city["lat"]), float(city["lon"])),
                        style=map_style_url(),
                        districts=maps.districts_url(str(city["name"]), city.get("province"))),
          map_key)
    _community(ctx, here, map_key, lang)


def _community(ctx, here: pd.DataFrame, map_key: str, lang: str) -> None:
    ranked = here.sort_values(["maintenance_due", "members", "community_id"],
                              ascending=[False, False, True])
    by_id = {int(r.community_id): r for r in ranked.itertuples()}
    picker_key = f"{map_key}.community"
    _apply_click(map_key, "communities", "community_id", picker_key, list(by_id))
    labels = {i: t("map.community_item", name=r.name, due=fmt.number(int(r.maintenance_due), lang))
              for i, r in by_id.items()}
    community_id = st.selectbox(t("map.community"), list(by_id), key=picker_key,
                                format_func=labels.get)
    if community_id is not None and ctx.user.actor.may("free_repair_days.plan"):
        st.page_link(PLANNER, label=t("map.plan"), icon="🛠️",
                     query_params={"community": str(community_id)})


def spec_bytes(deck) -> int:
    """Bytes of a map's specification as sent to the browser (the bench reports it)."""
    return len(json.dumps(json.loads(deck.to_json())).encode())
