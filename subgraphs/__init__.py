"""Agency subgraphs: one folder per agency, plus the shared kit every subgraph uses."""
