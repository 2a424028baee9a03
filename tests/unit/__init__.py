"""The fast layer: pure-Python tests that need no PostgreSQL and no processes (``make unit``)."""
