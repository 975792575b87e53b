"""Loading the unions' spreadsheets (CSV, Excel, JSON) into the graph: validate, normalise, upsert.

Ingest turns outside files into validated domain records and hands them to a
:class:`graph.store.BaseStore` in one batch; it never talks to Neo4j directly.
"""
