"""The one error type for refusals of the domain: a stable code and a message for people."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
