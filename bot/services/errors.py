"""The errors the use cases raise for the front ends to word (a module of its own, so that the
use cases' modules can share them without importing each other)."""

from __future__ import annotations


class UpdateError(Exception):
    """An understood update that cannot be applied; `code` picks the message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
