"""The reserved namespace of the gateway's own selections: clients may not alias a field with
this prefix (a validation rule), so nothing a client writes can shadow what enforcement reads."""

RESERVED_ALIAS_PREFIX = "_mesh"
OPT_OUT_ALIAS = RESERVED_ALIAS_PREFIX + "OptOut"  # the index's opt-out flag, next to a section
SUBJECT_ALIAS = RESERVED_ALIAS_PREFIX + "Subject"  # the key of a subject, for the audit
