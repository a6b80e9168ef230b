"""The business pages' chart builders: no label or legend entry is ever cut."""
import pandas as pd

from lib.business import charts


def _axes(spec: dict) -> list[dict]:
    layers = spec.get("layer", [spec])
    return [layer["encoding"][channel]["axis"] for layer in layers for channel in ("x", "y")
            if "axis" in layer.get("encoding", {}).get(channel, {})]


def test_the_share_heat_map_keeps_long_cause_and_column_labels_whole():
    frame = pd.DataFrame({"name": ["Water quality or taste", "Price too high for what was done"],
                          "value": ["Haier 海尔 (partner brand)", "Midea 美的"], "share": [0.4, 0.6]})
    spec = charts.share_heatmap(frame, row="name", column="value", value="share", row_title="Cause",
                                column_title="Brand", value_title="Share").to_dict()
    axes = _axes(spec)
    assert axes and all(axis.get("labelLimit") == 0 for axis in axes), axes


def test_the_bars_keep_long_labels_whole():
    frame = pd.DataFrame({"name": ["Water quality or taste"], "share": [0.5]})
    spec = charts.bars(frame, category="name", value="share", category_title="Cause", value_title="Share",
                       percent=True).to_dict()
    assert spec["encoding"]["y"]["axis"]["labelLimit"] == 0
