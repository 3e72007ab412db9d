"""The interactive graph page (`graph.html`), drawn with pyvis' vis-network.

pyvis 0.3.2 cannot write a page that works offline: ``cdn_resources="in_line"``
still links Bootstrap from a CDN and ``"local"`` loads vis-network from one
(pyvis issues #228/#229). So pyvis holds the nodes, edges and options, and this
module writes its own page around them, with the vis-network JS/CSS that pyvis
ships inlined and a few lines of our own CSS instead of Bootstrap. A Content
Security Policy in the page forbids every request, and scripts run only if
their hash matches, so even a label that slipped through escaping could
neither load nor execute anything.

Article text is untrusted. The page embeds its data as JSON inside
``<script type="application/json">`` with ``<``, ``>``, ``&`` and U+2028/2029
escaped, and the page script puts text on screen only with ``textContent`` or
as canvas text (tooltips are DOM elements, not HTML strings).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import tempfile
import textwrap
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import networkx as nx

from kg.errors import KgError

RLM = "\u200f"
VIS_VERSION = "9.1.2"  # the vis-network build pyvis 0.3.2 ships
DEFAULT_MAX_NODES = 3000  # beyond this the page keeps the best-connected nodes
WRAP = 28  # characters per label line
EDGE_LABELS_UP_TO = 1500  # edges; larger graphs show edge labels on hover only

_TYPE_FA = {"person": "شخص", "post": "سمت", "organization": "سازمان", "place": "مکان", "claim": "آمار", "article": "خبر"}


@dataclass(frozen=True, slots=True)
class NodeStyle:
    type: str
    color: str
    shape: str
    fa: str
    en: str


def _asset(name: str) -> str:
    return resources.files("kg.sinks").joinpath("assets", name).read_text(encoding="utf-8")


def _table(name: str) -> list[dict[str, str]]:
    """Rows of a TSV in kg/sinks/assets (``#`` comments, then a header)."""
    lines = [ln for ln in _asset(name).splitlines() if ln.strip() and not ln.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, (c.strip() for c in ln.split("\t")))) for ln in lines[1:]]


@lru_cache(maxsize=1)
def node_styles() -> dict[str, NodeStyle]:
    return {r["type"]: NodeStyle(r["type"], r["color"], r["shape"], r["fa"], r["en"]) for r in _table("node-types.tsv")}


@lru_cache(maxsize=1)
def _edge_fa() -> dict[str, str]:
    return {r["en"]: r["fa"] for r in _table("edge-labels.tsv")}


@lru_cache(maxsize=1)
def _unit_fa() -> dict[str, str]:
    """Unit code -> the Persian word drawn after the number (first row per code)."""
    from kg.resources import load_table

    words: dict[str, str] = {}
    for row in load_table("units"):
        words.setdefault(row["code"], row["fa"])
    return words


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as shipped inside the pyvis package."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    try:
        js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
        css = (lib / "vis-network.css").read_text(encoding="utf-8")
    except OSError as exc:
        raise KgError(f"vis-network {VIS_VERSION} not found in the pyvis package ({lib}); reinstall pyvis==0.3.2") from exc
    # Inlined verbatim, so they must not be able to close their own element.
    if "</script" in js.lower() or "</style" in css.lower():
        raise KgError(f"the vis-network files in {lib} cannot be inlined safely")
    return js, css


# --- text helpers -----------------------------------------------------------


def json_for_html(obj: Any) -> str:
    """JSON that is safe inside a <script> element (and in HTML generally)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def rtl_line(line: str) -> str:
    """Mark a line that does not start with a strong letter as right-to-left.

    Canvas text takes its direction from the first strong character, so
    ``۲۳۰ هزار نفر`` (digits first) would be drawn as ``هزار نفر ۲۳۰``.
    """
    if line and unicodedata.bidirectional(line[0]) not in ("L", "R", "AL"):
        return RLM + line
    return line


def _lines(text: str, width: int = WRAP) -> list[str]:
    out: list[str] = []
    for para in str(text).splitlines():
        out.extend(textwrap.wrap(para, width=width, break_long_words=False, break_on_hyphens=False) or [""])
    return out


def canvas_label(text: str, width: int = WRAP) -> str:
    return "\n".join(rtl_line(line) for line in _lines(text, width) if line)


_FA_DIGITS = str.maketrans("0123456789.,", "۰۱۲۳۴۵۶۷۸۹٫٬")


def format_value(value: Any) -> str:
    """A number in Persian digits with Persian separators: 230000 -> ۲۳۰٬۰۰۰."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number != number or number in (float("inf"), float("-inf")):
        return str(value)
    text = f"{number:,.0f}" if number == int(number) else f"{number:,.3f}".rstrip("0").rstrip(".")
    return text.translate(_FA_DIGITS)


def claim_headline(attrs: dict[str, Any]) -> str:
    value = attrs.get("value")
    if value is None:
        return str(attrs.get("label") or "")
    unit = attrs.get("unit")
    number = format_value(value)
    if unit:
        text = f"{number} {_unit_fa().get(unit, unit)}"
    else:
        text = number
    if attrs.get("approximate"):
        text = "حدود " + text
    return text


# --- graph -> page data ---------------------------------------------------


def _select_nodes(graph: nx.MultiDiGraph, max_nodes: int) -> list[Any]:
    nodes = list(graph.nodes)
    if len(nodes) <= max_nodes:
        return nodes
    # Keep the best-connected nodes; stable order for equal degree.
    order = sorted(range(len(nodes)), key=lambda i: (-graph.degree(nodes[i]), i))
    keep = sorted(order[:max_nodes])
    return [nodes[i] for i in keep]


def _node_tip(node: Any, attrs: dict[str, Any]) -> list[list[str]]:
    kind = attrs.get("type") or "?"
    tip = [["type", "نوع", f"{_TYPE_FA.get(kind, kind)} ({kind})"]]
    label = attrs.get("label")
    if label and not (kind == "claim" and attrs.get("value") is not None):  # a claim's label is its value
        tip.append(["label", "", str(label)])
    if attrs.get("label_en"):
        tip.append(["en", "English", str(attrs["label_en"])])
    if kind == "claim":
        if attrs.get("value") is not None:
            tip.append(["value", "مقدار", format_value(attrs["value"])])
        if attrs.get("unit"):
            unit = str(attrs["unit"])
            word = _unit_fa().get(unit)
            tip.append(["unit", "واحد", f"{word} ({unit})" if word else unit])
        if attrs.get("measure"):
            tip.append(["measure", "سنجه", str(attrs["measure"])])
    if attrs.get("title"):
        tip.append(["sentence", "", str(attrs["title"])])
    tip.append(["iri", "IRI", str(node)])
    return tip


def _node_label(node: Any, attrs: dict[str, Any]) -> str:
    if attrs.get("type") == "claim":
        head = claim_headline(attrs)
        measure = attrs.get("measure")
        text = canvas_label(head + ("\n" + str(measure) if measure else ""))
    else:
        text = canvas_label(str(attrs.get("label") or ""))
    # pyvis would draw the numeric id for an empty label; show the IRI's tail instead.
    return text or canvas_label(unquote(str(node).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1])) or "?"


def _options(n_nodes: int, n_edges: int) -> dict[str, Any]:
    big = n_nodes > 500
    return {
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 150},
        "nodes": {
            "font": {"face": "Vazirmatn, Tahoma, DejaVu Sans, sans-serif", "size": 14, "multi": False},
            "borderWidth": 1,
            "size": 14,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9a9a9a", "highlight": "#333", "hover": "#333"},
            "font": {"face": "Vazirmatn, Tahoma, DejaVu Sans, sans-serif", "size": 10, "align": "middle", "strokeWidth": 3},
            "smooth": False if n_edges > 1000 else {"enabled": True, "type": "continuous"},
            "width": 1,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "navigationButtons": False},
        "physics": {
            "enabled": True,
            # forceAtlas2Based settles 2,000 nodes in about half the time barnesHut takes
            # (headless chromium, software canvas: 5.6 s against 9.1 s for 200 iterations)
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -120,
                "centralGravity": 0.01,
                "springLength": 110,
                "springConstant": 0.08,
                "avoidOverlap": 0.6,
            },
            "minVelocity": 1.0,
            # bounded: the page switches physics off once this is done
            "stabilization": {"enabled": True, "iterations": 200 if big else 600, "updateInterval": 25, "fit": True},
        },
    }


def page_data(graph: nx.MultiDiGraph, *, title: str, max_nodes: int = DEFAULT_MAX_NODES) -> dict[str, Any]:
    """The JSON the page embeds: vis-network nodes, edges and options, legend, filter."""
    from pyvis.network import Network

    styles = node_styles()
    kept = _select_nodes(graph, max_nodes)
    ids = {node: i for i, node in enumerate(kept)}

    net = Network(directed=True, cdn_resources="in_line")
    for node in kept:
        attrs = graph.nodes[node]
        style = styles.get(attrs.get("type") or "")
        extra: dict[str, Any] = {}
        if attrs.get("type") == "claim":
            extra["font"] = {"color": "#111"}
        elif attrs.get("type") == "post":
            extra["size"] = 8
        net.add_node(
            ids[node],
            label=_node_label(node, attrs),
            shape=style.shape if style else "dot",
            color=style.color if style else "#bbbbbb",
            kgType=attrs.get("type") or "other",  # not `group`: pyvis drops `color` when a group is set
            tip=_node_tip(node, attrs),
            **extra,
        )

    # Thousands of edge labels are unreadable and slow to draw; hover still shows them.
    draw_edge_labels = graph.number_of_edges() <= EDGE_LABELS_UP_TO
    n_edges = 0
    pair_count: dict[tuple[int, int], int] = {}
    edge_fa = _edge_fa()
    for u, v, attrs in graph.edges(data=True):
        if u not in ids or v not in ids:
            continue
        a, b = ids[u], ids[v]
        label = str(attrs.get("label") or "")
        # Parallel edges between the same two nodes are curved apart.
        k = pair_count.get((min(a, b), max(a, b)), 0)
        pair_count[(min(a, b), max(a, b))] = k + 1
        extra = {"smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.15 * k}} if k else {}
        if draw_edge_labels:
            extra["label"] = rtl_line(edge_fa.get(label, label))
        net.add_edge(
            a,
            b,
            tip=[["label", "", edge_fa.get(label, label)], ["en", "English", label]] if label else [],
            **extra,
        )
        n_edges += 1

    net.options = _options(len(kept), n_edges)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()

    present: dict[str, int] = {}
    for node in kept:
        t = graph.nodes[node].get("type") or "other"
        present[t] = present.get(t, 0) + 1
    types = [
        {"type": s.type, "color": s.color, "shape": s.shape, "fa": s.fa, "en": s.en, "count": present[s.type]}
        for s in styles.values()
        if s.type in present
    ]

    choices = []
    for node in kept:
        attrs = graph.nodes[node]
        if attrs.get("type") in ("person", "organization"):
            text = str(attrs.get("label") or node)
            if attrs.get("label_en"):
                text += f" — {attrs['label_en']}"
            choices.append((0 if attrs["type"] == "person" else 1, text, ids[node]))
    choices.sort()

    return {
        "title": title,
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "types": types,
        "filter": [[i, text] for _kind, text, i in choices],
        "counts": {"nodes": len(kept), "edges": n_edges, "total_nodes": graph.number_of_nodes()},
    }


# --- page -----------------------------------------------------------------


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(graph: nx.MultiDiGraph, *, title: str = "گراف دانش", max_nodes: int = DEFAULT_MAX_NODES) -> str:
    vis_js, vis_css = _vis_assets()
    page_js = _asset("graph.js")
    page_css = _asset("graph.css")
    data = json_for_html(page_data(graph, title=title, max_nodes=max_nodes))
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(vis_js)} {_csp_hash(page_js)}",
            "style-src 'unsafe-inline'",
            "img-src data:",
            "font-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    t = html.escape(" ".join(title.split()))  # one line: no newlines or U+2028 in <title>
    return (
        "<!DOCTYPE html>\n"
        '<html lang="fa" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{t}</title>\n"
        f"<style>{vis_css}</style>\n<style>{page_css}</style>\n</head>\n<body>\n"
        '<div id="kg-header">\n'
        f"<h1>{t}</h1>\n"
        '<span id="kg-status">در حال چیدمان…</span>\n'
        '<label id="kg-filter-label" for="kg-filter">نمایش پیرامون</label>\n'
        '<select id="kg-filter"><option value="">همه</option></select>\n'
        '<div id="kg-legend"></div>\n'
        "</div>\n"
        '<div id="kg-network"></div>\n'
        f'<script type="application/json" id="kg-data">{data}</script>\n'
        f"<script>{vis_js}</script>\n"
        f"<script>{page_js}</script>\n"
        "</body>\n</html>\n"
    )


def write_html(
    graph: nx.MultiDiGraph, path: str | os.PathLike[str], *, title: str = "گراف دانش", max_nodes: int = DEFAULT_MAX_NODES
) -> Path:
    """Write the self-contained interactive page for `graph` to `path`, atomically."""
    target = Path(path)
    page = render_html(graph, title=title, max_nodes=max_nodes)
    atomic_write_text(target, page)
    return target


def atomic_write_text(target: Path, text: str) -> None:
    """Write to a temp file in the same folder, then rename over `target`."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise KgError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the page is meant to be shared
        os.replace(tmp, target)
    except OSError as exc:
        _unlink_quietly(tmp)
        raise KgError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        _unlink_quietly(tmp)
        raise


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
