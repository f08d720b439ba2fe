"""Oversight: what the Steering Committee needs to read a member's standing (issue 5).

This first slice holds the read-only compliance engine (``compliance``) and its command.
"""
