"""Keys the engine adds to properties and state, never declared (no Pulumi SDK import: the CLI uses them)."""

from __future__ import annotations

__all__ = ["PROVIDER_KEY", "SECRET_SIG", "UNKNOWN"]

PROVIDER_KEY = "__provider"
"""The property that carries the pickled provider of a dynamic resource (never part of a typed model)."""
SECRET_SIG = "4dabf18193072939515e22adb298388d"  # noqa: S105 - the engine's marker of a secret value, not one
"""The key that marks a secret value in state and previews (`pulumi.runtime.rpc._special_sig_key`)."""
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The string the engine sends and writes for a value not known until the run (`pulumi.runtime.rpc.UNKNOWN`, a
constant of the wire protocol; a test keeps the two equal)."""
