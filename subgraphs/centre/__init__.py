"""The centre's own subgraph, served inside the gateway process: federated search across the
agencies, and oversight of the audit log for information-governance leads.

It is a real federation subgraph (composed with the others, planned like the others); its
requests just never leave the process. Its fields are governed by the index's agreements.
"""

from subgraphs.centre.local import CENTRE, LocalSubgraph, centre_subgraph

__all__ = ["CENTRE", "LocalSubgraph", "centre_subgraph"]
