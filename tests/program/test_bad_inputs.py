"""Every bad input of the reliability corpus fails at preview naming what to fix, and sends nothing.

Each case is previewed in this process (`preview_in_process.py`): the stack program, or the case's own program,
under Pulumi's mocks, each resource checked by its own provider configured from the case's stack config. A
sample (`THROUGH_THE_ENGINE`) is also previewed through the real CLI in `tests/reliability/`, and every case is
by `make reliability`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LiveEmulator
from tests.e2e.pulumi_project import API_KEY
from tests.program.preview_in_process import preview
from tests.reliability.bad_inputs import ALL, THROUGH_THE_ENGINE, BadInput, stack_config
from tests.reliability.scenarios import mutating_calls

REPO = Path(__file__).resolve().parents[2]
STACK = "bad"
CASES = {case.ident: case for case in ALL}


@pytest.fixture(autouse=True)
def _in_the_program_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The program and its providers run in the program folder, with a cache of their own."""
    monkeypatch.chdir(REPO / "stacks")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _stack_config(case: BadInput, root: Path, emulator: LiveEmulator) -> dict[str, Any]:
    """The config of a stack declaring this case, pointed at the emulator, as `scenarios.bad_inputs` writes it."""
    config: dict[str, Any] = {"modelstudio:endpoint": emulator.api_url, "modelstudio:apiKey": API_KEY}
    config.update({f"lora:{key}": value for key, value in stack_config(case, root).items()})
    config.update(case.provider_config)
    return config


def _program(case: BadInput, root: Path) -> Path:
    if case.program is None:
        return REPO / "stacks" / "__main__.py"
    path = root / "__main__.py"
    path.write_text(case.program, encoding="utf-8")
    return path


@pytest.mark.parametrize("ident", list(CASES))
def test_a_bad_input_fails_at_preview_naming_what_to_fix_and_sends_nothing(
    ident: str, tmp_path: Path, emulator: LiveEmulator
) -> None:
    case = CASES[ident]
    folder = tmp_path / "corpus" / ident
    folder.mkdir(parents=True)
    result = preview(_program(case, tmp_path), STACK, _stack_config(case, folder, emulator))
    output = "\n".join(result.errors)
    assert result.errors, f"the preview passed; checked {result.checked}"
    assert not case.missing_from(output), f"missing {case.missing_from(output)} in:\n{output}"
    assert mutating_calls(emulator.control("requests")) == []


def test_every_case_has_its_own_ident_and_the_engine_sample_names_cases() -> None:
    assert len(CASES) == len(ALL)
    assert [ident for ident, _why in THROUGH_THE_ENGINE if ident not in CASES] == []
