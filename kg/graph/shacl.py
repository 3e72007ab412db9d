"""Check a graph against the shipped SHACL shapes (ontology/shapes.ttl) with pySHACL.

`validate(graph)` returns a `ValidationReport` whose violations are plain
data (focus node, path, message, value), so `kg validate` and the tests can
print or assert them without reading SHACL's report vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.errors import KgError
from kg.graph.namespaces import PREFIXES, SH


@dataclass(slots=True, frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str
    value: str | None = None
    severity: str = "Violation"
    shape: str | None = None

    def line(self) -> str:
        where = f" {self.path}" if self.path else ""
        val = f" (value: {self.value})" if self.value is not None else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}{val}"


@dataclass(slots=True)
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)


def ontology_file(name: str):
    """A file shipped in kg/ontology (a link to the top-level ontology/ folder)."""
    return resources.files("kg").joinpath("ontology", name)


@lru_cache(maxsize=1)
def _shapes_text() -> str:
    return ontology_file("shapes.ttl").read_text(encoding="utf-8")


def shapes_graph(path: str | None = None) -> Graph:
    g = Graph()
    try:
        if path is None:
            g.parse(data=_shapes_text(), format="turtle")
        else:
            g.parse(path, format="turtle")
    except Exception as exc:  # noqa: BLE001 - parser errors of any kind become one line
        raise KgError(f"cannot read SHACL shapes {path or 'ontology/shapes.ttl'}: {_first_line(exc)}") from exc
    return g


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())[:300]


def _short(term, nm) -> str:
    if isinstance(term, URIRef):
        try:
            return nm.normalizeUri(term)
        except Exception:  # noqa: BLE001 - fall back to the full IRI
            return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3(nm)
    return str(term)


def validate(data: Graph, shapes_path: str | None = None) -> ValidationReport:
    """Run the shapes on ``data`` (triples; for a Dataset, pass its union graph)."""
    from pyshacl import validate as _validate

    conforms, report, _ = _validate(
        data, shacl_graph=shapes_graph(shapes_path), inference="none", advanced=True,
        allow_warnings=True,
    )
    nm = Graph().namespace_manager
    for p, ns in PREFIXES.items():
        nm.bind(p, ns, override=True, replace=True)
    out: list[Violation] = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        msgs = sorted(str(m) for m in report.objects(r, SH.resultMessage))
        path = report.value(r, SH.resultPath)
        value = report.value(r, SH.value)
        sev = report.value(r, SH.resultSeverity)
        out.append(Violation(
            focus=_short(report.value(r, SH.focusNode), nm),
            path=_short(path, nm) if isinstance(path, URIRef) else None,
            message=msgs[0] if msgs else "constraint not satisfied",
            value=_short(value, nm) if value is not None else None,
            severity=str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation",
            shape=_short(report.value(r, SH.sourceShape), nm) if isinstance(report.value(r, SH.sourceShape), URIRef) else None,
        ))
    out.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationReport(conforms=bool(conforms), violations=out)
