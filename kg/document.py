"""The data that flows through the pipeline.

One `Document` passes through every stage; each stage reads earlier layers and
adds its own. All offsets (`start`, `end`) are character offsets into the
ORIGINAL article text, so `doc.text[m.start:m.end]` is always the source of a
mention, quantity, statement or claim. Stages work on `doc.norm.text` (the
normalised text) and convert spans back with `doc.norm.to_original`.

These classes know nothing of RDF; the graph builder is the only RDF code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # pragma: no cover
    from kg.text.normalize import NormalizedText

EntityType = Literal["PER", "ORG", "LOC", "TITLE", "MISC"]


@dataclass(slots=True)
class Metadata:
    url: str | None = None
    publisher: str | None = None  # as given in the input (name or short name)
    date: str | None = None  # ISO Gregorian date, YYYY-MM-DD
    title: str | None = None
    source: str | None = None  # path or corpus line the article came from
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str  # normalised surface form


@dataclass(slots=True)
class Mention:
    """A span that names (or refers to) an entity."""

    start: int
    end: int
    label: EntityType
    text: str  # normalised surface form
    source: str = "rules"  # backend that produced it
    gazetteer_id: str | None = None  # e.g. "province:qom", "agency:abna"
    kind: str | None = None  # finer type: "province", "city", "governorate", "news_agency", ...
    en: str | None = None


@dataclass(slots=True)
class Organization:
    key: str  # identity key (normalised name), used for IRIs
    name: str  # Persian display name
    kind: str | None = None
    en: str | None = None
    gazetteer_id: str | None = None
    parent: str | None = None  # key of the parent organisation
    spans: list[tuple[int, int]] = field(default_factory=list)
    place: str | None = None  # Place.key of its jurisdiction ("استانداری قم" -> province:qom)


@dataclass(slots=True)
class Place:
    key: str
    name: str
    kind: str | None = None  # province, city, country
    en: str | None = None
    gazetteer_id: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    parent: str | None = None  # Place.key of the place it lies in (city -> province)


@dataclass(slots=True)
class Post:
    """A person's post: role (e.g. acting head) of a unit within an organisation."""

    title: str  # the title phrase as normalised text, e.g. "سرپرست معاونت سیاسی و امنیتی استانداری قم"
    role: str  # role word, e.g. "سرپرست", "مدیر کل"
    role_en: str | None
    organization: str | None  # key of the organisation the post belongs to (the unit if any)
    agency: str | None  # key of the top agency the person speaks for
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class Person:
    key: str
    name: str  # full name as normalised text, no honorifics
    honorifics: list[str] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # every mention, incl. pronouns/roles
    en: str | None = None

    @property
    def agency(self) -> str | None:
        for post in self.posts:
            if post.agency:
                return post.agency
        return None


@dataclass(slots=True)
class Quantity:
    """A number found in the text, with what the text says about it."""

    start: int
    end: int
    value: float
    text: str
    kind: str = "number"  # number | percent | year | date | ordinal | code | time | phone | duration | law
    unit: str | None = None  # canonical unit code (see kg/resources/units.tsv)
    unit_text: str | None = None
    multiplier_end: int | None = None
    approximate: bool = False
    lower: float | None = None
    upper: float | None = None
    direction: str | None = None  # increase | decrease


@dataclass(slots=True)
class Statement:
    """A stretch of text attributed to a speaker (or to the reporter when speaker is None)."""

    start: int
    end: int
    speaker: str | None  # Person.key
    cue: str | None = None  # the speech verb or frame that attributes it
    cue_start: int | None = None
    cue_end: int | None = None


@dataclass(slots=True)
class Claim:
    value: float
    unit: str
    start: int  # span of the number (with its unit) in the original text
    end: int
    sentence_start: int
    sentence_end: int
    measure: str | None = None
    approximate: bool = False
    lower: float | None = None
    upper: float | None = None
    direction: str | None = None
    period: str | None = None
    period_start: str | None = None  # ISO dates when the period resolves
    period_end: str | None = None
    baseline: str | None = None
    place: str | None = None  # Place.key
    speaker: str | None = None  # Person.key; None = stated by the reporter
    agency: str | None = None  # Organization.key
    is_total: bool = False
    total_of: list[int] = field(default_factory=list)  # indexes of part claims
    total_consistent: bool | None = None
    evidence: list[tuple[int, int]] = field(default_factory=list)  # other spans repeating it


@dataclass(slots=True)
class Document:
    id: str
    text: str  # original text, never modified
    metadata: Metadata = field(default_factory=Metadata)
    norm: NormalizedText | None = None
    body_start: int = 0  # where the article body starts (after metadata lines)
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    publisher: str | None = None  # Organization.key of the publishing news agency
    quantities: list[Quantity] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    done: list[str] = field(default_factory=list)  # names of stages that ran

    def sentence_at(self, pos: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= pos < s.end:
                return s
        return None
