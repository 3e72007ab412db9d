"""graph.html without a browser: self-contained, escaped, Persian-readable, atomic."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import KgError
from kg.sinks import html as H
from servers import HOSTILE, big_nxgraph, sample_nxgraph


def embedded_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def scripts(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, re.S)


@pytest.fixture(scope="module")
def seed_page() -> str:
    return H.render_html(sample_nxgraph(), title="گراف آزمون")


def markup_only(page: str) -> str:
    """The page without the bodies of its scripts and the JSON block."""
    return re.sub(r"(<script[^>]*>).*?(</script>)", r"\1\2", page, flags=re.S)


def test_no_request_can_leave_the_page(seed_page):
    # nothing that a browser would fetch: no src/href, no CSS url() or @import pointing out
    assert not re.search(r"""\b(src|href)\s*=""", markup_only(seed_page), re.I)
    styles = "".join(re.findall(r"<style>(.*?)</style>", seed_page, re.S))
    assert styles and not re.search(r"""url\(\s*(?!['"]?data:)""", styles, re.I)
    assert "@import" not in styles
    assert "<link" not in markup_only(seed_page).lower()  # pyvis' template links Bootstrap from a CDN
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', seed_page).group(1))
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_script_hashes_in_the_policy_match_the_scripts(seed_page):
    csp = html.unescape(re.search(r'content="(default-src[^"]+)"', seed_page).group(1))
    for body in scripts(seed_page):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"sha256-{digest}" in csp
    assert len(scripts(seed_page)) == 2  # vis-network and the page script


def test_data_holds_every_node_and_edge(seed_page):
    graph = sample_nxgraph()
    data = embedded_data(seed_page)
    assert len(data["nodes"]) == graph.number_of_nodes() == data["counts"]["nodes"]
    assert len(data["edges"]) == graph.number_of_edges() == data["counts"]["edges"]
    kinds = {t["type"]: t["count"] for t in data["types"]}
    assert kinds == {"person": 2, "post": 2, "organization": 4, "place": 1, "claim": 16, "article": 1}
    by_type = {n["kgType"] for n in data["nodes"]}
    assert by_type == set(kinds)
    # people first, then agencies, in the filter
    names = [text for _id, text in data["filter"]]
    assert names[0].startswith("علی اکبر زارعی") and names[1] == "مرتضی حیدری — Morteza Heydari"
    assert len(names) == 6


def test_claim_nodes_show_value_unit_and_measure(seed_page):
    data = embedded_data(seed_page)
    claims = [n for n in data["nodes"] if n["kgType"] == "claim"]
    first = next(n for n in claims if "۲۳۰٬۰۰۰" in n["label"])
    assert first["label"].split("\n")[0] == H.RLM + "۲۳۰٬۰۰۰ نفر"
    assert "اتباع خارجی ساکن استان" in first["label"]
    tip = {k: v for k, _key, v in first["tip"]}
    assert tip["value"] == "۲۳۰٬۰۰۰" and tip["unit"] == "نفر (person)"
    assert tip["sentence"].startswith("به گفته این مقام")
    percent = next(n for n in claims if n["label"].startswith(H.RLM + "۶۸"))
    assert percent["label"].split("\n")[0] == H.RLM + "۶۸ درصد"
    # vis-network scales nodes by a `value` property: the claim's value must not be passed as one
    assert all("value" not in n for n in data["nodes"])


def test_english_labels_are_on_hover_and_edges_are_labelled(seed_page):
    data = embedded_data(seed_page)
    person = next(n for n in data["nodes"] if n["label"] == "مرتضی حیدری")
    assert ["en", "English", "Morteza Heydari"] in person["tip"]
    stated = [e for e in data["edges"] if ["en", "English", "stated"] in e["tip"]]
    assert len(stated) == 16 and all(e["label"] == "بیان کرد" for e in stated)
    assert {e["tip"][1][2] for e in data["edges"]} == {
        "stated", "on behalf of", "derived from", "about", "holds post", "post in", "part of",
        "published by", "located in",
    }


def test_physics_is_bounded(seed_page):
    physics = embedded_data(seed_page)["options"]["physics"]
    assert physics["stabilization"]["enabled"] and physics["stabilization"]["iterations"] <= 1000


@pytest.mark.parametrize(
    ("line", "marked"),
    [("۲۳۰ هزار نفر", True), ("230 هزار", True), ("«برای قم»", True), ("استانداری قم", False), ("ABNA", False), ("", False)],
)
def test_rtl_mark_before_lines_without_a_leading_letter(line, marked):
    assert H.rtl_line(line).startswith(H.RLM) is marked
    assert H.rtl_line(line).lstrip(H.RLM) == line


def test_every_wrapped_line_is_marked():
    label = H.canvas_label("نام یک سازمان بسیار طولانی که باید شکسته شود ۲۰۰ مگاوات برق در سال ۱۴۰۴", width=12)
    lines = label.split("\n")
    assert len(lines) > 2
    assert all(H.rtl_line(line.lstrip(H.RLM)) == line for line in lines)


@pytest.mark.parametrize(
    ("value", "text"),
    [(230000, "۲۳۰٬۰۰۰"), (0, "۰"), (12.5, "۱۲٫۵"), (1.25e6, "۱٬۲۵۰٬۰۰۰"), ("n/a", "n/a"), (float("nan"), "nan")],
)
def test_format_value(value, text):
    assert H.format_value(value) == text


def test_hostile_text_cannot_break_out():
    page = H.render_html(sample_nxgraph(hostile=True), title=HOSTILE)
    # the only script/comment openers and closers are ours
    markup = markup_only(page).lower()
    assert markup.count("</script") == 3 and markup.count("<script") == 3
    data_block = re.search(r'id="kg-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data_block and ">" not in data_block
    assert "<img" not in markup and "<!--" not in page
    assert "\u2028" not in page and "\u2029" not in page
    assert "&lt;/script&gt;&lt;img" in page  # the <title> and <h1>
    data = embedded_data(page)
    assert any(HOSTILE in v for n in data["nodes"] for _k, _key, v in n["tip"])  # intact after decoding


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=40))
def test_json_for_html_roundtrips_and_never_closes_a_script(text):
    encoded = H.json_for_html({"t": text, "x": [text]})
    assert json.loads(encoded) == {"t": text, "x": [text]}
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in encoded


def test_empty_graph_and_missing_labels():
    assert embedded_data(H.render_html(nx.MultiDiGraph()))["nodes"] == []
    g = nx.MultiDiGraph()
    g.add_node("https://kg.example.org/person/%D8%A8%DB%8C", type="person", label=None)
    g.add_node("x", type="unknown-kind")
    data = embedded_data(H.render_html(g))
    assert [n["label"] for n in data["nodes"]] == ["بی", "x"]
    assert data["nodes"][1]["color"] == "#bbbbbb"


def test_parallel_edges_are_curved_apart():
    g = nx.MultiDiGraph()
    g.add_node("p", type="person", label="الف")
    g.add_node("o", type="organization", label="ب")
    g.add_edge("p", "o", label="holds post")
    g.add_edge("p", "o", label="on behalf of")
    edges = embedded_data(H.render_html(g))["edges"]
    assert "smooth" not in edges[0] and edges[1]["smooth"]["type"] == "curvedCW"


def test_large_graphs_keep_the_best_connected_nodes():
    g = big_nxgraph(600)
    data = embedded_data(H.render_html(g, max_nodes=200))
    assert data["counts"] == {"nodes": 200, "edges": len(data["edges"]), "total_nodes": 600}
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    kept_people = sum(1 for n in data["nodes"] if n["kgType"] == "person")
    assert kept_people == 30  # hubs (people: a post and many claims each) are kept first


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "graph.html"
    target.write_text("old")
    H.write_html(sample_nxgraph(), target, title="t")
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "graph.html"
    target.write_text("old")

    def boom(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KgError, match="cannot write .*No space left"):
        H.write_html(sample_nxgraph(), target)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html"]


def test_missing_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(KgError, match="cannot write"):
        H.write_html(sample_nxgraph(), tmp_path / "nope" / "graph.html")
