"""Every lexicon loads, documents its columns, and is consistent with the others."""

from __future__ import annotations

from importlib import resources

import pytest

from kg.resources import load_table, split_multi

FILES = sorted(p.name[:-4] for p in resources.files("kg.resources").iterdir() if p.name.endswith(".tsv"))
UNIT_CODES = {
    "person", "percent", "MW", "kW", "GW", "MWh", "kWh", "ton", "kg", "gram", "hectare", "km", "meter",
    "millimeter", "centimeter", "square_meter", "cubic_meter", "liter", "barrel", "rial", "toman", "dollar", "euro", "country",
    "household", "village", "count", "decade", "year", "month", "week", "day", "hour", "minute", "degree", "richter",
}


def raw(name: str) -> str:
    return resources.files("kg.resources").joinpath(f"{name}.tsv").read_text(encoding="utf-8")


def test_there_are_lexicons():
    assert len(FILES) >= 30


@pytest.mark.parametrize("name", FILES)
def test_lexicon_loads_and_documents_its_columns(name):
    text = raw(name)
    assert text.startswith("#"), f"{name}.tsv must start with comment lines documenting its columns"
    rows = load_table(name)
    assert rows, f"{name}.tsv has no rows"
    header = list(rows[0])
    comments = " ".join(line for line in text.splitlines() if line.startswith("#"))
    for column in header:
        assert column in comments, f"{name}.tsv does not document column {column!r}"
    first = header[0]
    assert all(r[first] for r in rows), f"{name}.tsv has a row with an empty {first!r}"


@pytest.mark.parametrize("name", FILES)
def test_lexicon_uses_persian_letters(name):
    text = raw(name)
    assert "\u064a" not in text and "\u0643" not in text, f"{name}.tsv has Arabic yeh/kaf"


def test_units_use_documented_codes():
    for table in ("units", "counted_nouns"):
        for r in load_table(table):
            assert r.get("code", r.get("unit")) in UNIT_CODES, r


def test_cities_point_to_provinces():
    provinces = {r["id"] for r in load_table("provinces")}
    assert len(provinces) == 31
    for r in load_table("cities"):
        assert r["province_id"] in provinces, r
    capitals = {r["capital_fa"] for r in load_table("provinces")}
    assert capitals <= {r["fa"] for r in load_table("cities")}


def test_titles_imply_known_org_heads():
    heads = {r["fa"] for r in load_table("org_heads")}
    for r in load_table("titles"):
        assert not r["org_head"] or r["org_head"] in heads, r


def test_organisation_parents_exist():
    ids = {r["id"] for r in load_table("organizations")}
    for r in load_table("organizations"):
        assert not r["parent_id"] or r["parent_id"] in ids, r


def test_news_agencies_have_short_names():
    for r in load_table("news_agencies"):
        assert r["fa"] and r["en"], r
        for alias in split_multi(r.get("aliases", "")):
            assert alias.strip()


def test_no_lexicon_names_a_seed_official():
    # generalisation, not memorisation: surnames of the seed's officials are in no lexicon
    for name in FILES:
        words = set(raw(name).replace("\t", " ").replace("|", " ").split())
        assert not words & {"حیدری", "زارعی"}, name
