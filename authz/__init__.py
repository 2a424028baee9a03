"""Sharing rules, identity and audit."""
