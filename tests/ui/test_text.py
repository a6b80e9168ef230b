"""`t()` shows message parameters as a reader wants them."""
from datetime import datetime

import streamlit as st

from lib.ui.text import plain, t


def test_status_money_and_moments_are_put_into_words():
    st.session_state["language"] = "zh_CN"
    assert t("commands.certification.not_approved", status="rejected") == \
        "只能撤销已批准的认证，该认证当前状态为“已驳回”。"
    text = t("commands.coupon.value_out_of_range", value_fen=50000, rule_fen=20000,
             min_fen=10000, max_fen=30000)
    assert "¥500.00" in text and "¥100.00" in text and "分" not in text
    st.session_state["language"] = "en"
    text = t("commands.certification.already_decided", by="hua",
             at=datetime(2026, 3, 1, 8, 0, 5), decision="approved")
    assert "Mar 1, 2026" in text and "hua" in text and "(Approved)" in text


def test_plain_escapes_markdown():
    assert plain("[link](http://x) **b**") == "\\[link\\]\\(http\\:\u2060//x\\) \\*\\*b\\*\\*"


def test_plain_breaks_the_addresses_markdown_would_link_by_itself():
    # GFM autolinks bare http://, www. and e-mail addresses even when escaped
    for address in ("http://evil.example/p.gif", "HTTPS://x.y", "www.evil.example", "a@evil.example"):
        shown = plain(address)
        assert "://" not in shown and "www\\." not in shown.lower() and "@e" not in shown
        assert shown.replace("\u2060", "").replace("\\", "") == address, "the text a reader sees changed"


def test_the_relabelling_finds_the_keyed_widgets_of_the_installed_streamlit():
    """The language switch relabels chosen options through Streamlit's key -> widget id
    map; when Streamlit moved it (1.67: `_key_id_mapper`), nothing was relabelled and
    "不拆分" stayed on an English page (tests/browser/test_language)."""
    from streamlit.runtime.state.session_state import SessionState

    from lib.ui.text import keyed_widget_ids
    inner = SessionState()
    inner._key_id_mapper["orders.split"] = "$$ID-abc-orders.split"
    assert keyed_widget_ids(inner) == {"orders.split": "$$ID-abc-orders.split"}
    assert hasattr(inner._new_widget_state, "widget_metadata")
