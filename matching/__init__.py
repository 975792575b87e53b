"""Article 12 partner suggestions, alliances and chain gaps, computed on a store's projection.

Matching reads :meth:`graph.store.BaseStore.projection` once, builds arrays and sparse matrices from
it, and never writes Cypher or knows which store it reads from.
"""
