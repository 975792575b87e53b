"""Entry points: the command line (``alliances``), and later the HTTP API and web console.

The only package that wires stores, ingest, matching and views together; it holds no business rules.
"""
