"""One standalone HTML page per view: a pyvis network, drawn by vis-network, offline and safe.

pyvis holds the nodes, edges and options (:class:`pyvis.network.Network`); the page comes from this
package's own template, not pyvis's, because pyvis's pages are not offline as shipped (Bootstrap
and, but for ``in_line``, vis-network itself come from CDNs) and its link-tooltip branch assigns
``innerHTML``. Here:

- vis-network's script and style sheet are read from the installed pyvis package and inlined, so a
  page saved to disk opens on an intranet with no internet;
- the graph travels as JSON inside ``<script type="application/json">`` with ``<``, ``>``, ``&``
  and the two JavaScript line separators escaped, and is read with ``JSON.parse``; every
  user-supplied string then reaches the page only through canvas text (labels), ``textContent``
  (tooltips, legend, search results, the filter menu) or Jinja's autoescaping (title): never as
  HTML;
- the page is deterministic for the same input (nodes and edges in the order given, a fixed layout
  seed or fixed positions).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from pyvis.network import Network

VIS_PREFERRED = "9.1.2"
"""The vis-network build inside pyvis 0.3.x that pages inline (the newest found otherwise)."""

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class LegendItem:
    label: str
    color: str
    shape: str = "dot"
    dashed: bool = False

    def __post_init__(self) -> None:
        if not _COLOUR.match(self.color):
            raise ValueError(f"legend colours are #rrggbb, not {self.color!r}")


@dataclass
class View:
    """What a page shows: the pyvis network, a title, a legend and optional filters.

    ``filters`` maps a filter's label (e.g. ``区``) to the node field holding each node's value;
    the page offers one menu of ``label: value`` choices built from the nodes.
    """

    network: Network
    title: str
    subtitle: str = ""
    legend: list[LegendItem] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@cache
def vis_version() -> str:
    """The version of the vis-network build the installed pyvis carries."""
    lib = files("pyvis") / "templates" / "lib"
    found = sorted(
        (p.name[4:] for p in lib.iterdir() if p.name.startswith("vis-")),
        key=lambda v: tuple(int(x) for x in v.split(".") if x.isdigit()),
    )
    if not found:
        raise RuntimeError("the installed pyvis carries no vis-network build")
    return VIS_PREFERRED if VIS_PREFERRED in found else found[-1]


@cache
def vis_assets() -> tuple[str, str]:
    """(script, style sheet) of vis-network from the installed pyvis package."""
    base = files("pyvis") / "templates" / "lib" / f"vis-{vis_version()}"
    script = (base / "vis-network.min.js").read_text(encoding="utf-8")
    style = (base / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in script.lower() or "</style" in style.lower():
        raise RuntimeError("the vis-network build cannot be inlined safely")
    if re.search(r"url\(\s*[\"']?(?:https?:)?//", style):
        raise RuntimeError("the vis-network style sheet loads something from the network")
    return script, style


def script_json(data: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element (no ``</script>``, no comment openers,
    no characters JavaScript treats as line ends)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("visualizations", "templates"), autoescape=select_autoescape(["html"]))


def render(view: View) -> str:
    """The page's HTML."""
    nodes, edges, _, height, width, options = view.network.get_network_data()
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options) if isinstance(options, str) else options,
        "legend": [vars(item) for item in view.legend],
        "filters": view.filters,
    }
    script, style = vis_assets()
    template = _environment().get_template("view.html")
    return template.render(
        title=view.title,
        subtitle=view.subtitle,
        notes=view.notes,
        height=height,
        width=width,
        vis_js=script,
        vis_css=style,
        data_json=script_json(data),
        vis_version=vis_version(),
    )
