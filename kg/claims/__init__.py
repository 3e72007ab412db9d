"""Claims: attribution of sentences to speakers, statistics, totals."""
