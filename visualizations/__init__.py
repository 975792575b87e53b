"""pyvis network views (studio, alliance, chain, overview) built from domain objects and matching
results; never queries a store."""
