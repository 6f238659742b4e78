"""Turning deadlines into nudges, and keeping the stored deadlines current."""
