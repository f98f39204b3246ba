"""Fault injection: seeded rules that fail, reset or slow down matching requests."""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Fault", "FaultRule", "Faults"]

Kind = Literal["status", "reset", "latency"]


@dataclass
class FaultRule:
    """One rule, as posted to `/_emulator/faults`."""

    kind: Kind = "status"
    status: int = 500
    rate: float = 1.0
    count: int | None = None
    method: str | None = None
    path: str | None = None
    latency_ms: int = 200
    seed: int = 0
    when: Literal["before", "after"] = "before"
    hits: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> FaultRule:
        """Build and validate a rule."""
        kind = body.get("kind", "status")
        if kind not in ("status", "reset", "latency"):
            msg = f"kind must be status, reset or latency, not {kind!r}"
            raise ValueError(msg)
        when = body.get("when", "before")
        if when not in ("before", "after"):
            msg = "when must be before or after"
            raise ValueError(msg)
        rule = cls(
            kind=kind,
            status=int(body.get("status", 500)),
            rate=float(body.get("rate", 1.0)),
            count=body.get("count"),
            method=body.get("method"),
            path=body.get("path"),
            latency_ms=int(body.get("latency_ms", 200)),
            seed=int(body.get("seed", 0)),
            when=when,
        )
        rule.rng = random.Random(rule.seed)  # noqa: S311 - reproducible fault choice, not security
        return rule

    def to_json(self) -> dict[str, Any]:
        """Wire form."""
        return {
            "kind": self.kind,
            "status": self.status,
            "rate": self.rate,
            "count": self.count,
            "method": self.method,
            "path": self.path,
            "latency_ms": self.latency_ms,
            "seed": self.seed,
            "when": self.when,
            "hits": self.hits,
        }


@dataclass(frozen=True)
class Fault:
    """What to do to one request."""

    kind: Kind
    status: int
    latency_ms: int
    when: str

    @property
    def label(self) -> str:
        """For the request log."""
        return f"{self.kind}:{self.status}" if self.kind == "status" else self.kind


class Faults:
    """The active rules; the first matching rule that fires wins."""

    def __init__(self) -> None:
        """No rules."""
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(self, rule: FaultRule) -> None:
        """Add a rule."""
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        """Remove all rules."""
        with self._lock:
            self._rules.clear()

    def list(self) -> list[dict[str, Any]]:
        """Rules with their hit counts."""
        with self._lock:
            return [r.to_json() for r in self._rules]

    def pick(self, method: str, path: str) -> Fault | None:
        """The fault for this request, if any."""
        with self._lock:
            for rule in self._rules:
                if rule.method and rule.method.upper() != method:
                    continue
                if rule.path and not re.search(rule.path, path):
                    continue
                if rule.count is not None and rule.hits >= rule.count:
                    continue
                if rule.rng.random() >= rule.rate:
                    continue
                rule.hits += 1
                return Fault(rule.kind, rule.status, rule.latency_ms, rule.when)
        return None
