"""Federation conformance: small multi-subgraph fixtures served over real HTTP, no PostgreSQL."""
