"""The command line and the core's value handling load without the Pulumi SDK, and agree with it on the wire."""

from __future__ import annotations

import subprocess
import sys

from pulumi.output import Unknown
from pulumi.runtime import rpc
from pulumi_modelstudio.core.values import UNKNOWN, UNKNOWN_VALUE, engine_value, is_unknown


def test_the_unknown_marker_is_the_sdks() -> None:
    sdk_unknown = Unknown()  # type: ignore[no-untyped-call]  # the SDK's constructor has no annotations
    assert rpc.UNKNOWN == UNKNOWN
    assert is_unknown(sdk_unknown)
    assert is_unknown({"a": [1, UNKNOWN]})
    assert engine_value({"a": sdk_unknown, "b": 2.0}) == {"a": UNKNOWN_VALUE, "b": 2}


def test_the_command_line_starts_without_the_pulumi_sdk() -> None:
    code = "import sys, pulumi_modelstudio.cli.main; print(sorted(m for m in sys.modules if m.startswith('pulumi.')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"  # about 0.3 s less for every `modelstudio` command
