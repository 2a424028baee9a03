"""The families view and demand & risk: the centre's roll-ups over the agencies' indicators.

Nothing is pooled: each agency evaluates its own indicators and answers pseudonymous ids; the
centre combines ids (DuckDB, embedded) and never sees a name, a date of birth or an address.
Which agencies it may ask is what the gateway allowed for this request (the signed context's
``reads``): an agency the caller may not see is never asked, and the outcomes it could
evidence read NOT_VISIBLE for every household alike.
"""
