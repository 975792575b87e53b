"""Chart options for Apache ECharts (the console's charting library, installed from npm): built
here as plain data, drawn in the browser by ``static/console.js``. Tooltips are drawn on the canvas
(``renderMode: richText``), so no name ever becomes HTML."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"
LABEL = {"width": 160, "overflow": "truncate"}
"""Category labels: a long name is cut with … instead of pushing the bars off the chart."""
GAP_COLOURS = {"gap": "#d64545", "barrier": "#8e44ad", "weak": "#f0b429", "covered": "#3e8e41"}


def _base(title: str) -> dict[str, Any]:
    return {
        "title": {"text": title, "left": 0, "textStyle": {"fontSize": 15, "fontFamily": FONT}},
        "textStyle": {"fontFamily": FONT},
        "tooltip": {"renderMode": "richText", "trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 24, "top": 48, "bottom": 8, "containLabel": True},
        "aria": {"enabled": True},
        "animation": False,
    }


def bars(title: str, counts: Mapping[str, int], *, series: str = "工作室数", colour: str = "#2f6fb0") -> dict[str, Any]:
    """Horizontal bars, largest first (districts, industries, chains)."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    names = [k for k, _ in items][::-1]
    values = [v for _, v in items][::-1]
    return _base(title) | {
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": names, "axisLabel": LABEL},
        "series": [{"type": "bar", "name": series, "data": values, "itemStyle": {"color": colour}, "barMaxWidth": 22,
                    "label": {"show": True, "position": "right"}}],
    }  # fmt: skip


def stacked(title: str, categories: Sequence[str], stacks: Mapping[str, Sequence[int]],
            names: Mapping[str, str]) -> dict[str, Any]:  # fmt: skip
    """Horizontal stacked bars: for each category, one bar per stack key (gap counts per chain)."""
    return _base(title) | {
        "legend": {"top": 24, "right": 0},
        "grid": {"left": 8, "right": 24, "top": 64, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": list(categories)[::-1], "axisLabel": LABEL},
        "series": [
            {"type": "bar", "name": names[key], "stack": "all", "data": list(values)[::-1], "barMaxWidth": 22,
             "itemStyle": {"color": GAP_COLOURS.get(key)}}
            for key, values in stacks.items()
        ],
    }  # fmt: skip


def lines(
    title: str, years: Sequence[int], series: Mapping[str, Sequence[float]], *, percent: bool = True
) -> dict[str, Any]:
    """One line per series over the years (coverage of each chain by year)."""
    axis: dict[str, Any] = {"type": "value", "min": 0}
    if percent:
        axis |= {"max": 100, "axisLabel": {"formatter": "{value}%"}}
    return _base(title) | {
        "tooltip": {"renderMode": "richText", "trigger": "axis"},
        "legend": {"top": 24, "type": "scroll"},
        "grid": {"left": 8, "right": 24, "top": 64, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": [f"{y}年" for y in years], "boundaryGap": False},
        "yAxis": axis,
        "series": [{"type": "line", "name": name, "data": list(values), "symbolSize": 6}
                   for name, values in series.items()],
    }  # fmt: skip
