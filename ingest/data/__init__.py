"""Data files that ship with the ingest package (the classifier's lexicon under ``classifier/``)."""
