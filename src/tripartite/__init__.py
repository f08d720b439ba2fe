"""Tripartite."""
