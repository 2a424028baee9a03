"""The federation engine: Apollo Federation (v1 and v2) subgraphs in, one GraphQL API out.

It knows nothing of councils, agencies or sharing rules. Governance, the centre's own subgraph
and anything else civic plug into it from outside (see ``mesh.gateway``). A test checks that
nothing here imports ``authz``, ``subgraphs`` or any other part of the project.

Subpackages:

``compose``     subgraph SDL (Fed 1 or Fed 2) → validated supergraph SDL (``@link``/``join__*``)
``supergraph``  supergraph SDL (ours, rover's, Hive's) → the model the planner reads + API schema
``plan``        a query graph over the supergraph and the planner searching it → ``QueryPlan``
``execute``     runs a ``QueryPlan`` against subgraphs over a ``Transport`` and shapes the answer
"""
