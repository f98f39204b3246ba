"""Which checkpoints a job keeps, and the preview error for an export of one it will not have."""

from __future__ import annotations

import pytest
from pulumi_modelstudio.core.checkpoint_export.core import CheckpointExportCore
from pulumi_modelstudio.core.checkpoint_export.inputs import CheckpointExportInputs
from pulumi_modelstudio.core.values import UNKNOWN
from pulumi_modelstudio.wan.checkpoints import checkpoint_problem, kept_steps

HP = {"generation_type": "t2i", "max_steps": 800}


def test_a_checkpoint_every_eval_steps_and_at_the_end_the_last_save_total_limit_kept() -> None:
    assert kept_steps(800, 200, 10) == [200, 400, 600, 800]
    assert kept_steps(850, 200, 10) == [200, 400, 600, 800, 850]
    assert kept_steps(800, 200, 2) == [600, 800]
    assert kept_steps(800, 0, 10) == [800]
    assert kept_steps(100, 200, 10) == [100]
    assert kept_steps(10**9, 1, 3) == [10**9 - 2, 10**9 - 1, 10**9]  # worked out, not listed: no hang


@pytest.mark.parametrize("checkpoint", ["latest", "checkpoint-800", "checkpoint-200", "final"])
def test_checkpoints_the_job_keeps_pass(checkpoint: str) -> None:
    assert checkpoint_problem(checkpoint, HP) is None


@pytest.mark.parametrize(
    ("checkpoint", "hp", "words"),
    [
        ("checkpoint-850", HP, ("past the last step (max_steps 800)", "checkpoint-800, checkpoint-600")),
        ("checkpoint-300", HP, ("never saved", "every eval_steps (200) steps and at the end")),
        ("checkpoint-100", {**HP, "eval_steps": 0}, ("never saved", "at the end only", "one of checkpoint-800")),
        ("checkpoint-200", {**HP, "save_total_limit": 2}, ("save_total_limit (2)", "checkpoint-800, checkpoint-600")),
        ("checkpoint-0200", HP, ("without leading zeros", "checkpoint-200")),
    ],
)
def test_a_checkpoint_the_job_will_not_have_names_the_rule_and_the_ones_it_will(
    checkpoint: str, hp: dict[str, object], words: tuple[str, ...]
) -> None:
    problem = checkpoint_problem(checkpoint, hp)
    assert problem is not None
    assert problem.startswith(f"{checkpoint} ")
    assert all(word in problem for word in words), problem
    assert "export 'latest'" in problem


def test_parameters_that_are_invalid_or_not_known_yet_are_left_to_their_own_checks() -> None:
    assert checkpoint_problem("checkpoint-850", {**HP, "lora_rank": 30}) is None
    assert checkpoint_problem("checkpoint-850", {"max_steps": 800}) is None  # no generation type yet


def test_a_checkpoint_export_given_the_jobs_parameters_refuses_one_the_job_will_not_keep() -> None:
    def failures(checkpoint: str, hp: object) -> list[str]:
        inputs = CheckpointExportInputs.of({"job_id": "ft-1", "checkpoint": checkpoint, "job_hyper_parameters": hp})
        return [f"{f.property}: {f.reason}" for f in CheckpointExportCore.check(inputs)]

    [failure] = failures("checkpoint-850", HP)
    assert failure.startswith("checkpoint: checkpoint-850 is past the last step (max_steps 800)")
    assert failures("checkpoint-600", HP) == []
    assert failures("checkpoint-850", None) == []  # not given (a CheckpointExport declared on its own)
    assert failures("checkpoint-850", UNKNOWN) == []  # not known yet at preview
    assert failures("checkpoint-850", {**HP, "max_steps": UNKNOWN}) == []
