"""The studio graph: domain model, the ``GraphStore`` protocol and its two stores, the reference
taxonomies, and the project's own Neo4j server."""
