"""The studio graph: domain model, the store interface (``BaseStore``) and its two stores, the reference
taxonomies, and the project's own Neo4j server."""
