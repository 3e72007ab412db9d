"""The graph layer: the only code that knows RDF.

- `namespaces`: the vocabularies the graph reuses and the project's own `kg:` namespace;
- `iris`: deterministic, IRI-safe identifiers from the keys the extraction stages computed;
- `build`: `document_graph(doc, base_iri)`, one article's triples (a pure function);
- `nxview`: a networkx view of a graph (people, organisations, places, posts,
  claims, articles) and GraphML/GEXF export.
"""
