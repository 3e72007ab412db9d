"""NER backends behind one protocol (`kg.entities.ner.base.NerBackend`).

`rules` (gazetteers + title/organisation patterns) works offline and is the
default; `stanza` runs Stanford's neural Persian model; `combined` merges both.
"""
