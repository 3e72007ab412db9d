"""Named queries: the ``.rq`` files shipped in ontology/queries (name = file stem).

Each file starts with ``#`` comment lines: the first says what it answers;
``# param: NAME — description`` lines declare the variables callers bind
(``# param: NAME (optional) — ...`` when the query works without it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

from kg.query.engine import UsageError

_PARAM = re.compile(r"#\s*param:\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\(optional\))?\s*(?:[—:-]+\s*)?(.*)")


@dataclass(slots=True, frozen=True)
class Param:
    name: str
    description: str
    optional: bool = False


@dataclass(slots=True)
class NamedQuery:
    name: str
    text: str
    description: str
    params: list[Param] = field(default_factory=list)

    def check(self, params: dict[str, object]) -> None:
        """Refuse unknown and missing parameters with a hint."""
        known = {p.name for p in self.params}
        for name in params:
            if name not in known:
                hint = ", ".join(sorted(known)) or "none"
                raise UsageError(f"query {self.name!r} has no parameter {name!r} (parameters: {hint})")
        for p in self.params:
            if not p.optional and p.name not in params:
                raise UsageError(f"query {self.name!r} needs --param {p.name}=... ({p.description})")


def _queries_dir():
    return resources.files("kg").joinpath("ontology", "queries")


def parse(name: str, text: str) -> NamedQuery:
    description = ""
    params: list[Param] = []
    for line in text.splitlines():
        s = line.strip()
        if not s.startswith("#"):
            if s:
                break
            continue
        m = _PARAM.match(s)
        if m:
            params.append(Param(m.group(1), m.group(3).strip(), bool(m.group(2))))
        elif not description:
            description = s.lstrip("#").strip()
    return NamedQuery(name, text, description, params)


def named_queries() -> dict[str, NamedQuery]:
    out: dict[str, NamedQuery] = {}
    for entry in sorted(_queries_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            out[name] = parse(name, entry.read_text(encoding="utf-8"))
    return out


def get(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise UsageError(f"no named query {name!r}; known: {', '.join(queries)}")
    return queries[name]
