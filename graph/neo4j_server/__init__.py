"""Maven project that assembles the Neo4j Community server; shipped as package data."""
