"""Property names the engine adds to a resource's inputs, never declared (no Pulumi SDK import: the CLI uses it)."""

from __future__ import annotations

__all__ = ["PROVIDER_KEY"]

PROVIDER_KEY = "__provider"
"""The property that carries the pickled provider of a dynamic resource (never part of a typed model)."""
