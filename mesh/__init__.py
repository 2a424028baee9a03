"""Civic Mesh: the gateway, its store lifecycle and its command line."""
