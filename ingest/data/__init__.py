"""Data files that ship with the ingest package: the classifier's lexicon under ``classifier/``, the
illustrative roster generator's tables under ``synthetic/``, and the employers' former and short
names (``employer_aliases.csv``)."""
