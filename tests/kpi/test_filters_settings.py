"""Filters, presets and settings: pure logic, no database."""
import re
from datetime import date, datetime

import pytest

from lib.errors import ValidationFailed
from lib.i18n.catalog.kpi import MESSAGES
from lib.kpi.engineers import star_level
from lib.kpi.filters import KpiFilters, preset_range, previous_period
from lib.kpi.settings import KpiSettings, settings_from

AS_OF = datetime(2026, 4, 1)


def test_defaults_are_specs():
    st = KpiSettings()
    assert (st.sla_cutoff_hour, st.star_window_days, st.star_min_ratings) == (11, 90, 10)
    assert st.star_thresholds == (4.8, 4.5, 4.0, 3.0)
    assert st.interval_days == {"water_purifier": 180, "air_conditioner": 365, "range_hood": 365}
    assert st.due_offset_seconds(True) == 86400            # 00:00 next day
    assert st.due_offset_seconds(False) == 86400 + 12 * 3600  # 12:00 next day


@pytest.mark.parametrize("values,key", [
    (dict(start=date(2026, 3, 2), end=date(2026, 3, 1)), "kpi.range_reversed"),
    (dict(service_types=("install", "wash")), "kpi.unknown_value"),
    (dict(sources=("own",)), "kpi.unknown_value"),
    (dict(city_ids=("1",)), "kpi.unknown_value"),
    (dict(start="2026-03-01"), "kpi.bad_type"),
    (dict(as_of=date(2026, 4, 1)), "kpi.bad_type"),
])
def test_filters_refuse(values, key):
    base = dict(start=date(2026, 3, 1), end=date(2026, 3, 31), as_of=AS_OF)
    with pytest.raises(ValidationFailed) as caught:
        KpiFilters(**{**base, **values})
    assert caught.value.key == key


def test_single_day_range_and_lists_become_tuples():
    f = KpiFilters(date(2026, 3, 1), date(2026, 3, 1), AS_OF, city_ids=[2, 1])
    assert f.days == 1 and f.city_ids == (2, 1)
    assert f.range_end == datetime(2026, 3, 2) and f.as_of_next == datetime(2026, 4, 1, 0, 0, 1)


@pytest.mark.parametrize("start,end,previous", [
    (date(2026, 3, 1), date(2026, 3, 31), (date(2026, 1, 29), date(2026, 2, 28))),  # 31 days
    (date(2026, 3, 2), date(2026, 3, 8), (date(2026, 2, 23), date(2026, 3, 1))),
    (date(2026, 1, 1), date(2026, 1, 1), (date(2025, 12, 31), date(2025, 12, 31))),
])
def test_previous_period(start, end, previous):
    f = previous_period(KpiFilters(start, end, AS_OF, brand_ids=(3,)))
    assert (f.start, f.end) == previous and f.brand_ids == (3,) and f.as_of == AS_OF


@pytest.mark.parametrize("preset,today,expected", [
    ("last_7_days", date(2026, 3, 7), (date(2026, 3, 1), date(2026, 3, 7))),
    ("last_30_days", date(2026, 3, 30), (date(2026, 3, 1), date(2026, 3, 30))),
    ("last_90_days", date(2026, 3, 31), (date(2026, 1, 1), date(2026, 3, 31))),
    ("this_month", date(2026, 2, 17), (date(2026, 2, 1), date(2026, 2, 17))),
    ("this_quarter", date(2026, 5, 20), (date(2026, 4, 1), date(2026, 5, 20))),
    ("this_quarter", date(2026, 12, 31), (date(2026, 10, 1), date(2026, 12, 31))),
])
def test_presets(preset, today, expected):
    assert preset_range(preset, today) == expected


def test_unknown_preset():
    with pytest.raises(ValidationFailed):
        preset_range("last_8_days", date(2026, 1, 1))


def test_settings_from_config_table():
    st = settings_from({"sla_cutoff_hour": 12, "maintenance_interval_days": {"water_purifier": 90}})
    assert st.sla_cutoff_hour == 12
    assert st.interval_days == {"water_purifier": 90, "air_conditioner": 365, "range_hood": 365}


@pytest.mark.parametrize("values", [
    {"sla_cutoff_hour": 24}, {"star_thresholds": [4.0, 4.5, 4.0, 3.0]}, {"star_min_ratings": 0},
    {"maintenance_interval_days": {"toaster": 10}}, {"no_such_setting": 1},
    {"sla_due_after_cutoff": [1, 25]},
])
def test_settings_refuse(values):
    with pytest.raises(ValidationFailed) as caught:
        settings_from(values)
    assert caught.value.key == "kpi.bad_setting"


@pytest.mark.parametrize("count,total,level", [
    (10, 48, 5),   # 4.8 exactly: five stars
    (10, 47, 4),   # 4.7
    (10, 45, 4),   # 4.5 exactly
    (10, 40, 3),   # 4.0 exactly
    (10, 30, 2),   # 3.0 exactly
    (10, 29, 1),   # 2.9
    (9, 45, None),  # 9 ratings: unrated
    (15, 72, 5),   # 72/15 = 4.8 exactly, not a float rounding away
    (0, 0, None),
])
def test_star_level(count, total, level):
    assert star_level(count, total) == level


def test_catalogue_placeholders_match():
    for key, (zh, en) in MESSAGES.items():
        assert set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", en)), key


def test_every_setting_is_documented():
    import lib.kpi.settings as module
    documented = {"maintenance_interval_days"} | set(re.findall(r"^\s*(\w+) =", module.__doc__, re.M))
    fields = set(KpiSettings.__dataclass_fields__) - {"maintenance_intervals"}
    assert fields <= documented, fields - documented


def test_load_settings_reads_the_kpi_table(tmp_path, monkeypatch):
    from lib.kpi.settings import load_settings
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[kpi]\nstar_min_ratings = 5\n[kpi.maintenance_interval_days]\nrange_hood = 200\n")
    monkeypatch.setenv("CONSOLE_SECRETS_FILE", str(secrets))
    st = load_settings()
    assert st.star_min_ratings == 5 and st.interval_days["range_hood"] == 200
    assert st.interval_days["water_purifier"] == 180


# -- presets and comparisons (issue 16: "Comparisons") ---------------------------------
from datetime import date as _date, datetime as _datetime  # noqa: E402

from lib.kpi.filters import comparison_period  # noqa: E402


@pytest.mark.parametrize("preset, expected", [
    ("yesterday", (_date(2026, 12, 1), _date(2026, 12, 1))),
    ("last_week", (_date(2026, 11, 23), _date(2026, 11, 29))),     # 2026-12-02 is a Wednesday
    ("last_month", (_date(2026, 11, 1), _date(2026, 11, 30))),
    ("last_quarter", (_date(2026, 7, 1), _date(2026, 9, 30))),
    ("year_to_date", (_date(2026, 1, 1), _date(2026, 12, 2))),
    ("this_quarter", (_date(2026, 10, 1), _date(2026, 12, 2))),
])
def test_new_presets(preset, expected):
    assert preset_range(preset, _date(2026, 12, 2)) == expected


def test_last_quarter_in_january_is_the_previous_year_s_last():
    assert preset_range("last_quarter", _date(2027, 1, 5)) == (_date(2026, 10, 1), _date(2026, 12, 31))
    assert preset_range("last_month", _date(2027, 1, 5)) == (_date(2026, 12, 1), _date(2026, 12, 31))


def _view(start, end, as_of):
    return KpiFilters(start=start, end=end, as_of=as_of, city_ids=(3,))


def test_previous_of_a_running_quarter_is_the_same_elapsed_part_of_the_last_quarter():
    now = _datetime(2026, 12, 2, 3, 15)
    compared = comparison_period(_view(_date(2026, 10, 1), _date(2026, 12, 2), now), "previous")
    assert (compared.start, compared.end) == (_date(2026, 7, 1), _date(2026, 9, 2))
    assert compared.as_of == _datetime(2026, 9, 2, 3, 15), "cut at the same elapsed moment"
    assert compared.city_ids == (3,), "same filters"


def test_previous_of_a_whole_month_is_the_whole_month_before():
    now = _datetime(2026, 12, 2, 3, 15)
    compared = comparison_period(_view(_date(2026, 10, 1), _date(2026, 10, 31), now), "previous")
    assert (compared.start, compared.end, compared.as_of) == (_date(2026, 9, 1), _date(2026, 9, 30), now)


def test_previous_of_days_is_the_same_number_of_days_before():
    now = _datetime(2026, 12, 2, 3, 15)
    compared = comparison_period(_view(_date(2026, 11, 26), _date(2026, 12, 2), now), "previous")
    assert (compared.start, compared.end) == (_date(2026, 11, 19), _date(2026, 11, 25))
    assert compared.as_of == _datetime(2026, 11, 25, 3, 15)


def test_same_period_last_year_and_a_leap_day():
    now = _datetime(2028, 3, 1, 12, 0)
    compared = comparison_period(_view(_date(2028, 2, 1), _date(2028, 2, 29), now), "last_year")
    assert (compared.start, compared.end, compared.as_of) == (_date(2027, 2, 1), _date(2027, 2, 28), now)
    running = comparison_period(_view(_date(2026, 1, 1), _date(2026, 12, 2), _datetime(2026, 12, 2, 3, 15)),
                                "last_year")
    assert (running.start, running.end) == (_date(2025, 1, 1), _date(2025, 12, 2))
    assert running.as_of == _datetime(2025, 12, 2, 3, 15)
