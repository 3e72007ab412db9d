"""Synthetic Persian news articles for throughput runs, from the project's lexicons.

Each article: a lead naming a news agency (kg/resources/news_agencies.tsv), a
city and its province (provinces.tsv, cities.tsv), one or two officials
(given_names.tsv + surnames.tsv) with posts built from titles.tsv,
org_heads.tsv and organizations.tsv, speech verbs (speech_verbs.tsv), and
statistics with counted nouns, units and periods (counted_nouns.tsv,
units.tsv, periods.tsv, directions.tsv) in varied number styles: Persian or
Latin digits, thousands separators, words ("دو هزار"), mixed ("۱۸ هزار و
۷۰۰"), percentages. Like real feeds, some articles lose their ZWNJs or use
Arabic ي/ك. Sentence frames are in benchmarks/templates.tsv.

The same seed gives the same corpus, byte for byte:

    python benchmarks/generate.py -n 10000 --seed 1 -o corpus-10k.jsonl.gz
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.resources import load_table  # noqa: E402

ZWNJ = "\u200c"
FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})


def _templates() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    lines = (ROOT / "benchmarks" / "templates.tsv").read_text(encoding="utf-8").splitlines()
    rows = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    for row in rows[1:]:
        kind, _, template = row.partition("\t")
        out.setdefault(kind, []).append(template)
    return out


class Lexicons:
    def __init__(self):
        self.provinces = [r for r in load_table("provinces")]
        self.cities: dict[str, list[str]] = {}
        for r in load_table("cities"):
            self.cities.setdefault(r["province_id"], []).append(r["fa"])
        self.given = [r["fa"] for r in load_table("given_names")]
        self.surnames = [r["fa"] for r in load_table("surnames")]
        self.agencies = [r for r in load_table("news_agencies")]
        self.ministries = [r["fa"] for r in load_table("organizations") if r["type"] in ("ministry", "government_agency")]
        self.verbs = [r["fa"] for r in load_table("speech_verbs") if r["kind"] in ("say", "announce", "explain", "emphasize")]
        self.nouns = [r["fa"] for r in load_table("counted_nouns") if r["unit"] == "person"]
        self.units = [r["fa"] for r in load_table("units") if r["kind"] in ("currency", "mass", "area", "volume", "length")]
        self.periods = [r["fa"] for r in load_table("periods")]
        self.directions = sorted({r["fa"].split()[0] for r in load_table("directions") if r["direction"] in ("up", "down")})
        words = {int(r["value"]): r["fa"] for r in load_table("numbers") if r["kind"] in ("unit", "teen", "ten", "hundred")}
        self.number_words = words
        self.templates = _templates()


def number_text(rng: random.Random, lex: Lexicons, value: int) -> str:
    """``value`` written the way Persian news writes numbers, in one of several styles."""
    style = rng.random()
    if value >= 1000 and value % 1000 and style < 0.25:  # "۱۸ هزار و ۷۰۰"
        s = f"{value // 1000} هزار و {value % 1000}"
    elif value >= 1000 and value % 1000 == 0 and style < 0.45:  # "۲ هزار" / "دو هزار"
        k = value // 1000
        s = f"{lex.number_words.get(k, str(k)) if k < 10 and rng.random() < 0.5 else k} هزار"
    elif value < 20 and style < 0.6 and value in lex.number_words:
        return lex.number_words[value]
    elif value >= 1000 and style < 0.7:
        s = f"{value:,}"
    else:
        s = str(value)
    return s if rng.random() < 0.3 else s.translate(FA_DIGITS).replace(",", "٬")


def _value(rng: random.Random) -> int:
    magnitude = rng.choice((1, 2, 3, 3, 4, 4, 5, 6))
    v = rng.randint(10 ** (magnitude - 1), 10**magnitude - 1)
    return round(v, -max(0, magnitude - 3)) if rng.random() < 0.5 else v


def _post(rng: random.Random, lex: Lexicons, province: str, city: str) -> str:
    kind = rng.random()
    if kind < 0.45:
        return f"مدیرکل {rng.choice(lex.templates['domain'])} استان {province}"
    if kind < 0.6:
        return f"استاندار {province}"
    if kind < 0.75:
        return f"فرماندار {city}"
    if kind < 0.85:
        return f"معاون سیاسی، امنیتی و اجتماعی استاندار {province}"
    org = rng.choice(lex.ministries)
    return ("وزیر " + org.removeprefix("وزارت ")) if org.startswith("وزارت ") else f"رئیس {org}"


def article(rng: random.Random, lex: Lexicons, index: int) -> dict:
    prov = rng.choice(lex.provinces)
    province, city = prov["fa"], rng.choice(lex.cities.get(prov["id"], [prov["capital_fa"]]))
    agency = rng.choice(lex.agencies)
    agency_name = agency["short"] if agency["short"] and rng.random() < 0.5 else agency["fa"]
    t = lex.templates
    people = [(f"{rng.choice(lex.given)} {rng.choice(lex.surnames)}", _post(rng, lex, province, city))
              for _ in range(rng.choice((1, 1, 2)))]

    def fill(template: str, person: tuple[str, str] | None = None) -> str:
        return template.format(
            agency=agency_name, city=city, province=province, event=rng.choice(t["event"]),
            person=person[0] if person else "", post=person[1] if person else "", verb=rng.choice(lex.verbs),
            n=number_text(rng, lex, _value(rng)), pct=number_text(rng, lex, rng.randint(1, 60)),
            noun=rng.choice(lex.nouns), unit=rng.choice(lex.units), period=rng.choice(lex.periods),
            dir=rng.choice(lex.directions), domain=rng.choice(t["domain"]))

    paragraphs = [fill(rng.choice(t["lead"]))]
    for i, person in enumerate(people):
        frame = t["intro"] if i == 0 else t["second"]
        stats = " ".join(fill(rng.choice(t["stat"])) for _ in range(rng.randint(1, 3)))
        paragraphs.append(f"{fill(rng.choice(frame), person)} {stats}")
        for _ in range(rng.randint(0, 2)):
            paragraphs.append(f"{fill(rng.choice(t['follow']), person)} {fill(rng.choice(t['stat']))}")
    if rng.random() < 0.5:
        paragraphs.append(fill(rng.choice(t["reporter_stat"])))
    closing = rng.choice(t["closing"])
    if closing:
        paragraphs.append(closing)
    text = "\n\n".join(paragraphs)
    noise = rng.random()
    if noise < 0.2:
        text = text.replace(ZWNJ, "")  # the feed lost its half-spaces
    elif noise < 0.3:
        text = text.replace(ZWNJ, " ")
    if rng.random() < 0.1:
        text = text.translate(ARABIC)
    date = dt.date(2024, 3, 20) + dt.timedelta(days=rng.randint(0, 500))
    return {"id": f"gen-{index:07d}", "text": text, "publisher": agency["fa"], "date": date.isoformat(),
            "url": f"https://news.example.org/{agency['id']}/{index}", "title": paragraphs[0][:60]}


def generate(n: int, seed: int = 1):
    lex = Lexicons()
    rng = random.Random(seed)
    for i in range(n):
        yield article(rng, lex, i)


def write(path: Path, n: int, seed: int = 1) -> Path:
    opener = gzip.open if path.name.endswith(".gz") else open
    # mtime=0: the gzip header carries no timestamp, so the bytes are reproducible
    kwargs = {"mtime": 0} if path.name.endswith(".gz") else {}
    tmp = path.with_name(path.name + ".tmp")
    if opener is gzip.open:
        with open(tmp, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", **kwargs) as gz:
            for rec in generate(n, seed):
                gz.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))
    else:
        with open(tmp, "w", encoding="utf-8") as fh:
            for rec in generate(n, seed):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000, help="number of articles (default 1000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", type=Path, required=True, help="a .jsonl or .jsonl.gz file")
    a = ap.parse_args(argv)
    write(a.output, a.n, a.seed)
    print(f"wrote {a.n} articles to {a.output}")


if __name__ == "__main__":
    main()
