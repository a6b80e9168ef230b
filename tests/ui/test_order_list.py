"""The order list reads as words in the reader's language: city names with their English
name, states and the promise in the catalogue's words, never a stored code."""
import pytest

from lib.briefing.orders import SLA_STATES, STATES
from lib.i18n import translate
from lib.i18n.places import CITY_NAMES_EN


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_list_shows_words_not_stored_codes(open_page, language):
    app = open_page("pages/16_Order_List.py", "manager", language=language)
    assert not app.exception
    (table,) = app.dataframe
    frame = table.value
    status = frame[translate("ol.status", language)]
    assert set(status) <= {translate(f"ol.state.{s}", language) for s in STATES}
    assert not set(status) & set(STATES), "a stored state shown as it is stored"
    promise = set(frame[translate("ol.sla", language)]) - {"", "–"}
    assert promise <= {translate(f"ol.sla.{s}", language) for s in SLA_STATES}
    cities = set(frame[translate("kp.city", language)])
    if language == "en":
        assert all(any(name.startswith(english + " ") for english in CITY_NAMES_EN.values())
                   for name in cities), cities
    else:
        assert cities <= set(CITY_NAMES_EN), cities


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_csv_says_what_the_table_says(open_page, downloads, language):
    """The export (built on the click) carries the same words as the table, under the
    table's translated headers, in a file named with the range."""
    import csv
    import io

    payloads = downloads
    app = open_page("pages/16_Order_List.py", "manager", language=language)
    assert not app.exception
    [(name, data)] = payloads
    assert name.startswith("orders_20") and name.endswith(".csv"), name
    rows = list(csv.DictReader(io.StringIO(data().decode("utf-8-sig"))))
    (table,) = app.dataframe
    assert rows and len(rows) >= len(table.value)
    status, city = translate("ol.status", language), translate("kp.city", language)
    assert {r[status] for r in rows} <= {translate(f"ol.state.{s}", language) for s in STATES}
    assert set(table.value[city]) <= {r[city] for r in rows}
