"""Gazetteers and word lists for entity finding, compiled once per process.

Everything here is read from `kg/resources/*.tsv`; this module only builds
matchers and lookup sets from those tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from kg.resources import load_table, split_multi
from kg.text.lexmatch import PhraseMatcher
from kg.text.normalize import fold


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One named thing from a gazetteer."""

    id: str  # "province:qom", "org:moi", "agency:irna", "country:AF", ...
    label: str  # PER | ORG | LOC
    kind: str  # province | city | country | foreign_government | news_agency | ministry | ...
    fa: str  # canonical Persian name
    en: str | None = None
    short: str | None = None  # short name (news agencies)
    parent: str | None = None  # gazetteer id of a parent (city -> province, org -> org)


@dataclass(frozen=True, slots=True)
class TitleEntry:
    fa: str
    en: str
    kind: str  # head | deputy | acting | assistant | member | representative | clergy | ...
    org_head: str  # the organisation head word the title implies ("استاندار" -> "استانداری")
    rank: str


@dataclass(frozen=True, slots=True)
class OrgHead:
    fa: str
    en: str
    kind: str
    title_fa: str
    needs_name: bool = False
    province_word: bool = False


# Continuous/negative prefixes of a verb written apart or glued when ZWNJ is lost ("می شود", "میشود").
_VERB_PREFIXES = ("میشو", "میکن", "نمیشو", "میده", "میگیر", "میرس")


def starts_verb(key: str) -> bool:
    """Is this folded word the start of a present-tense verb ("می", "میشود", "میرسد")?"""
    return key in ("می", "نمی") or key.startswith(_VERB_PREFIXES)


def with_ezafe(phrase: str) -> list[str]:
    """A phrase and its construct form: after a final vowel the ezafe is written
    ("سخنگو" -> "سخنگوی سازمان", "دادسرا" -> "دادسرای عمومی")."""
    if phrase.endswith(("و", "ا")):
        return [phrase, phrase + "ی"]
    return [phrase]


def _city_entry(r: dict[str, str]) -> GazEntry:
    """The gazetteer entry of a row of cities.tsv."""
    return GazEntry(f"city:{r['id']}", "LOC", "city", r["fa"], r.get("en") or None,
                    parent=f"province:{r['province_id']}" if r.get("province_id") else None)


class Gazetteer:
    """Compiled matchers over the lexicons. Build once, share across documents."""

    @cached_property
    def places(self) -> PhraseMatcher[GazEntry]:
        entries: list[tuple[str, GazEntry]] = []
        for r in load_table("provinces"):
            e = GazEntry(f"province:{r['id']}", "LOC", "province", r["fa"], r.get("en") or None)
            entries += [(n, e) for n in [r["fa"], *split_multi(r.get("aliases", ""))]]
        for r in load_table("cities"):
            entries.append((r["fa"], _city_entry(r)))
        for r in load_table("regions"):
            e = GazEntry(f"region:{r['id']}", "LOC", r.get("kind") or "region", r["fa"], r.get("en") or None)
            entries.append((r["fa"], e))
        for r in load_table("countries"):
            e = GazEntry(f"country:{r['id']}", "LOC", "country", r["fa"], r.get("en") or None)
            entries += [(n, e) for n in [r["fa"], *split_multi(r.get("aliases", ""))]]
        return PhraseMatcher(entries)

    @cached_property
    def parliament(self) -> GazEntry | None:
        """The body a member of parliament ("نماینده مردم …") speaks for."""
        hits = self.organizations.lookup("مجلس شورای اسلامی")
        return hits[0] if hits else None

    @cached_property
    def province_capitals(self) -> dict[str, GazEntry]:
        """Province gazetteer id -> its capital's city entry ("مرکز استان خوزستان" is اهواز)."""
        cities = {r["fa"]: _city_entry(r) for r in load_table("cities")}
        return {f"province:{r['id']}": cities[r["capital_fa"]] for r in load_table("provinces")
                if r.get("capital_fa") in cities}

    @cached_property
    def provinces(self) -> tuple[GazEntry, ...]:
        return tuple(GazEntry(f"province:{r['id']}", "LOC", "province", r["fa"], r.get("en") or None)
                     for r in load_table("provinces"))

    @cached_property
    def abbreviations(self) -> dict[str, str]:
        """Folded abbreviation -> expansion ("آبفا" -> "آب و فاضلاب")."""
        return {fold(r["fa"]): r["expansion"] for r in load_table("abbreviations")}

    @cached_property
    def ambiguous_places(self) -> frozenset[str]:
        return frozenset(fold(r["fa"]) for r in load_table("ambiguous_places"))

    @cached_property
    def organizations(self) -> PhraseMatcher[GazEntry]:
        entries: list[tuple[str, GazEntry]] = []
        for r in load_table("organizations"):
            e = GazEntry(
                f"org:{r['id']}", "ORG", r.get("type") or "organization", r["fa"], r.get("en") or None,
                parent=f"org:{r['parent_id']}" if r.get("parent_id") else None,
            )
            entries += [(n, e) for n in [r["fa"], *split_multi(r.get("aliases", ""))]]
        for r in load_table("foreign_governments"):
            e = GazEntry(f"foreign:{r['id']}", "ORG", "foreign_government", r["fa"], r.get("en") or None)
            entries.append((r["fa"], e))
        return PhraseMatcher(entries)

    @cached_property
    def news_agencies(self) -> PhraseMatcher[GazEntry]:
        entries: list[tuple[str, GazEntry]] = []
        for r in load_table("news_agencies"):
            e = GazEntry(
                f"agency:{r['id']}", "ORG", "news_agency", r["fa"], r.get("en") or None, short=r.get("short") or None
            )
            names = [r["fa"], *split_multi(r.get("aliases", ""))]
            if r.get("short"):
                names += [r["short"], f"خبرگزاری {r['short']}"]
            entries += [(n, e) for n in names]
        return PhraseMatcher(entries)

    @cached_property
    def titles(self) -> PhraseMatcher[TitleEntry]:
        entries = []
        for r in load_table("titles"):
            e = TitleEntry(r["fa"], r.get("en", ""), r.get("kind", ""), r.get("org_head", ""), r.get("rank", ""))
            entries += [(v, e) for v in with_ezafe(r["fa"])]
        return PhraseMatcher(entries)

    @cached_property
    def org_heads(self) -> PhraseMatcher[OrgHead]:
        return PhraseMatcher((v, h) for h in self.org_head_by_name.values() for v in with_ezafe(h.fa))

    @cached_property
    def org_head_by_name(self) -> dict[str, OrgHead]:
        heads = {fold(r["fa"]): OrgHead(r["fa"], r.get("en", ""), r.get("kind", ""), r.get("title_fa", ""),
                                       r.get("needs_name") == "yes", r.get("province_word") == "yes")
                 for r in load_table("org_heads")}
        for key, h in list(heads.items()):
            for v in with_ezafe(h.fa)[1:]:
                heads[fold(v)] = h
        return heads

    @cached_property
    def honorifics(self) -> PhraseMatcher[str]:
        return PhraseMatcher((r["fa"], r.get("en", "")) for r in load_table("honorifics"))

    @cached_property
    def given_names(self) -> PhraseMatcher[str]:
        return PhraseMatcher((r["fa"], r.get("en", "")) for r in load_table("given_names"))

    @cached_property
    def ambiguous_given_names(self) -> frozenset[str]:
        return frozenset(fold(r["fa"]) for r in load_table("ambiguous_given_names"))

    @cached_property
    def not_name_words(self) -> frozenset[str]:
        """Words that are never part of a person's name: function words, weekdays,
        months, ordinals, number words, period words."""
        keys = set(self.function_words)
        for table in ("weekdays", "months", "ordinals", "numbers"):
            keys.update(fold(r["fa"]) for r in load_table(table))
        for r in load_table("periods"):
            keys.update(fold(w) for w in r["fa"].split())
        keys.update(fold(r["fa"]) for r in load_table("measure_stops"))
        return frozenset(k for k in keys if k)

    @cached_property
    def given_name_keys(self) -> frozenset[str]:
        return frozenset(fold(r["fa"]) for r in load_table("given_names"))

    @cached_property
    def speech_verbs(self) -> PhraseMatcher[str]:
        return PhraseMatcher((r["fa"], r.get("kind", "say")) for r in load_table("speech_verbs"))

    @cached_property
    def function_words(self) -> dict[str, str]:
        return {fold(r["fa"]): r["kind"] for r in load_table("function_words")}

    @cached_property
    def surname_suffixes(self) -> frozenset[str]:
        return frozenset(fold(r["fa"]) for r in load_table("surname_parts") if r["position"] != "first")

    @cached_property
    def surname_prefixes(self) -> frozenset[str]:
        """First words of two-word surnames written apart ("قره خانلو")."""
        return frozenset(fold(r["fa"]) for r in load_table("surname_parts") if r["position"] == "first")

    @cached_property
    def speech_frames(self) -> PhraseMatcher[str]:
        return PhraseMatcher((r["fa"], r.get("kind", "")) for r in load_table("speech_frames"))

    @cached_property
    def according_to_frames(self) -> tuple[GazEntry, ...]:
        """Frames after which a speaker is named: "به گفته", "به اعتقاد", ..."""
        return tuple(GazEntry("", "", "frame", r["fa"]) for r in load_table("speech_frames")
                     if r.get("kind") == "according_to")

    @cached_property
    def surnames(self) -> frozenset[str]:
        return frozenset(fold(r["fa"]) for r in load_table("surnames"))

    def surnames_or_shape(self, surname: str) -> bool:
        """A known surname, or one shaped like most Iranian surnames (-ی, -پور, -زاده, …)."""
        key = fold(surname)
        if key in self.surnames:
            return True
        if any(key.endswith(suf) for suf in self.surname_endings):
            return True
        # "قاسم‌زاده‌طرقبه": a surname part inside a compound surname
        parts = [fold(p) for p in surname.replace("\u200c", " ").split()]
        return len(parts) > 1 and any(p in self.surname_suffixes for p in parts[1:])

    @cached_property
    def surname_endings(self) -> tuple[str, ...]:
        return tuple(fold(r["fa"]) for r in load_table("surname_parts") if r["position"] != "first") + ("ی", "یان")

    @cached_property
    def place_words(self) -> dict[str, str]:
        """Words that introduce a jurisdiction: استان, شهرستان, شهر, ..."""
        return {fold(r["fa"]): r["kind"] for r in load_table("jurisdiction_words")}

    @cached_property
    def pronouns(self) -> PhraseMatcher[str]:
        return PhraseMatcher((r["fa"], r.get("kind", "")) for r in load_table("pronouns"))


def gazetteer(ctx) -> Gazetteer:
    """The process's compiled gazetteer, kept in the pipeline context (the same one the
    rules backend uses, so the lexicons are compiled once per process)."""
    return ctx.get("gazetteer", shared_gazetteer)


_SHARED: Gazetteer | None = None


def shared_gazetteer() -> Gazetteer:
    """One gazetteer for code outside a pipeline (evaluation, tools)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = Gazetteer()
    return _SHARED
