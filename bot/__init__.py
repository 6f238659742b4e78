"""Thuiszitbot: keeps thuiszitters (pupils who stay home from school) in view."""

__version__ = "0.1.0"
