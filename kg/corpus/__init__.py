"""Corpus runs: many articles, bounded memory, several processes or machines, resumable.

    reader (streamed) -> executor (serial | process pool | Dask cluster)
        -> per-article results (N-Quads of the article's named graph, claim rows)
        -> journal (SQLite, committed in batches: the resume point)
    end of run:  journal -> on-disk store (bulk load) -> graph.ttl exported from the store
                 journal -> claims.jsonl / claims.csv / consistency.jsonl (streamed)
                 first articles of the journal -> graph.html (a bounded sample)

Documents are independent and IRIs deterministic, so workers need no
coordination and the merge is the union of the named graphs. See
`kg.corpus.runner.CorpusRun` for the whole flow.
"""

from kg.corpus.runner import CorpusRun, RunOptions, Summary

__all__ = ["CorpusRun", "RunOptions", "Summary"]
