"""The maslikhat's vote counted: quorum and majority as fractions of all the maslikhat's
deputies, the count of a session and its outcome. Every page, the API, the dashboard and
the close of a session count here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from maslikhat.models import SessionOutcome


class HasRules(Protocol):
    quorum_numerator: int
    quorum_denominator: int
    majority_numerator: int
    majority_denominator: int


@dataclass(frozen=True)
class VoteCount:
    total: int
    present: int
    for_: int
    against: int
    abstain: int

    @classmethod
    def of(cls, session) -> VoteCount:
        """The count of a session fetched with `VotingSession.objects.with_counts()`."""
        return cls(
            total=session.total_deputies,
            present=session.present,
            for_=session.votes_for,
            against=session.votes_against,
            abstain=session.votes_abstain,
        )

    @property
    def voted(self) -> int:
        return self.for_ + self.against + self.abstain

    @property
    def not_voted(self) -> int:
        return self.present - self.voted


@dataclass(frozen=True)
class VoteRules:
    """Without a rules row, the law's defaults: two thirds present, more than half "for"."""

    quorum_numerator: int = 2
    quorum_denominator: int = 3
    majority_numerator: int = 1
    majority_denominator: int = 2

    @classmethod
    def of(cls, source: HasRules | None) -> VoteRules:
        """The rules a maslikhat's rules row or a session (which fixed them) holds."""
        if source is None:
            return cls()
        return cls(
            quorum_numerator=source.quorum_numerator,
            quorum_denominator=source.quorum_denominator,
            majority_numerator=source.majority_numerator,
            majority_denominator=source.majority_denominator,
        )

    def quorum_reached(self, count: VoteCount) -> bool:
        """At least the quorum's share of all deputies present (whole numbers, no rounding)."""
        return (
            count.present * self.quorum_denominator
            >= count.total * self.quorum_numerator
        )

    def passed(self, count: VoteCount) -> bool:
        """Valid, and "for" from more than the majority's share of all deputies."""
        return self.quorum_reached(count) and (
            count.for_ * self.majority_denominator
            > count.total * self.majority_numerator
        )

    def votes_needed(self, total: int) -> int:
        return total * self.majority_numerator // self.majority_denominator + 1

    def present_needed(self, total: int) -> int:
        return -(-total * self.quorum_numerator // self.quorum_denominator)


def session_outcome(rules: VoteRules, count: VoteCount) -> str:
    if not rules.quorum_reached(count):
        return SessionOutcome.NO_QUORUM
    return SessionOutcome.PASSED if rules.passed(count) else SessionOutcome.REJECTED
