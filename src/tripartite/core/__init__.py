"""Shared foundations: public ids, versioned records, services and permissions, canonical JSON."""
