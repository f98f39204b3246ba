"""Nothing is lost or paid twice: faults, crashes, emulator restarts, bad input, secrets and quotas."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pytest

from tests.e2e.pulumi_project import PulumiProject
from tests.reliability import scenarios
from tests.reliability.bad_inputs import ALL, THROUGH_THE_ENGINE

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_fault_cycles_converge_without_duplicates_or_leaks(project: PulumiProject) -> None:
    figures = scenarios.faults(project, cycles=2)
    assert figures.duplicates == 0, figures.notes
    assert figures.leaks == 0, figures.notes


def test_crashes_at_every_point_never_train_twice(project: PulumiProject) -> None:
    figures = scenarios.crashes(project)
    assert figures.cases == len(scenarios.CRASH_POINTS)
    assert figures.failures == 0, figures.notes
    assert figures.duplicates == 0, figures.notes
    assert figures.leaks == 0, figures.notes


def test_emulator_restart_mid_training_loses_nothing(tmp_path: Path) -> None:
    figures = scenarios.emulator_restart(tmp_path)
    assert figures.failures == 0, figures.notes
    assert figures.duplicates == 0, figures.notes
    assert "across the restart: True" in figures.notes[0]


def _previews_fail_and_send_nothing(project: PulumiProject, root: Path, idents: Collection[str]) -> None:
    cases = [case for case in ALL if case.ident in idents]
    figures = scenarios.bad_inputs(project, root, cases)
    assert figures.cases == len(idents)
    assert figures.failures == 0, "\n".join(figures.notes)
    assert figures.leaks == 0, figures.notes


def test_bad_inputs_fail_at_preview_through_the_engine_and_send_nothing(project: PulumiProject, tmp_path: Path) -> None:
    """One case per path a failure takes through the engine; every case: tests/program, `make reliability`."""
    _previews_fail_and_send_nothing(project, tmp_path / "corpus", dict(THROUGH_THE_ENGINE))


NON_FINITE = ("learning-rate-infinity", "non-finite-numbers-in-a-program", "data-line-nan", "timeout-infinity")


def test_non_finite_numbers_fail_at_preview_naming_the_field_and_send_nothing(
    project: PulumiProject, tmp_path: Path
) -> None:
    _previews_fail_and_send_nothing(project, tmp_path / "corpus", NON_FINITE)


def test_the_key_appears_nowhere(project: PulumiProject) -> None:
    figures = scenarios.secrets(project)
    assert figures.leaks == 0, figures.notes
    assert figures.failures == 0, figures.notes


def test_quotas_are_reported_clearly(project: PulumiProject) -> None:
    figures = scenarios.quotas(project)
    assert figures.failures == 0, figures.notes
