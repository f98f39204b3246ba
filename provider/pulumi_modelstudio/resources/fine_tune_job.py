"""`FineTuneJob`: a Wan image LoRA training job that is never started twice by accident."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from pulumi_modelstudio.core.fine_tune_job.core import FineTuneJobCore, deployable_marker
from pulumi_modelstudio.core.fine_tune_job.hyperparams import checked_hyperparameters, sent_hyperparameters
from pulumi_modelstudio.core.fine_tune_job.inputs import FineTuneJobInputs, FineTuneJobState
from pulumi_modelstudio.core.fine_tune_job.unrecorded import cancel_unrecorded_jobs
from pulumi_modelstudio.resources._base import CoreProvider, program_owner
from pulumi_modelstudio.resources._pickling import ModelStudioResource
from pulumi_modelstudio.wire.statuses import TERMINAL_JOB_STATUSES

__all__ = [
    "FineTuneJob",
    "FineTuneJobProvider",
    "cancel_unrecorded_jobs",
    "checked_hyperparameters",
    "deployable_marker",
    "sent_hyperparameters",
]


def dataset_generation_types(*file_ids: object) -> pulumi.Output[list[dict[str, str]]]:
    """`{dataset, generation_type}` of each `Dataset` the file ids come from, known at preview.

    Found through the outputs' resources, so a job declared on `Dataset.file_id` outputs (as `LoraModel` does)
    is checked against its datasets with no extra argument; ids given as plain strings are not checked.
    """

    async def collect() -> list[dict[str, str]]:
        from pulumi_modelstudio.resources.dataset import Dataset  # noqa: PLC0415 - both modules are loaded by then

        found: dict[str, str] = {}
        for value in file_ids:
            for resource in await pulumi.Output.from_input(value).resources():
                if isinstance(resource, Dataset):
                    name = resource.pulumi_resource_name
                    gen = await pulumi.Output.from_input(getattr(resource, "generation_type", None)).future()
                    if isinstance(name, str) and isinstance(gen, str):
                        found[name] = gen
        return [{"dataset": name, "generation_type": gen} for name, gen in sorted(found.items())]

    return pulumi.Output.from_input(collect())


class FineTuneJobProvider(CoreProvider[FineTuneJobInputs, FineTuneJobState]):
    """Create submits (or adopts its own job) and waits; refresh reads status; destroy cancels, then deletes
    unless a newer job of the same declaration replaces it or a deployment still serves a model made from it."""

    inputs_model = FineTuneJobInputs
    state_model = FineTuneJobState
    core_class = FineTuneJobCore

    def needs_refresh(self, outs: Mapping[str, Any]) -> bool:
        """A job that may still change is read again before the next update, so every run sees it finish."""
        return FineTuneJobState.of(outs).status not in TERMINAL_JOB_STATUSES

    def preview_update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any] | None:
        """The recorded job as `update` will return it, unless the update waits for training to end."""
        state = FineTuneJobCore.preview_update(FineTuneJobState.of(olds), FineTuneJobInputs.of(news))
        return None if state is None else state.to_props()


class FineTuneJob(ModelStudioResource, module="modelstudio", name="FineTuneJob"):
    """A LoRA fine-tune of a Wan image model on uploaded datasets.

    What is trained forces a replacement (a new paid run): the base model, the hyper-parameters as declared
    and the data content (`training_sha256`/`validation_sha256`; the file ids when no digests are given).
    New file ids of the same content, `wait` and `timeout_minutes` change in place. A replaced job and its
    exported models stay on the account. The preview shows `estimated_tokens` and `estimated_cost_cny`
    before any money is spent. With `wait=False` the job is submitted and recorded at once; later runs see it
    finish (`pulumi up --refresh`). The state also records `progress` (step, total_steps, checkpoints,
    eta_minutes, summary) while it trains and `deployable_model` (`pending:<job_id>` until it SUCCEEDED).
    """

    job_id: pulumi.Output[str]
    """The job id, `ft-YYYYMMDDHHMM-xxxx`."""
    status: pulumi.Output[str]
    """Status at the last create or refresh."""
    finetuned_output: pulumi.Output[str]
    """The trained model id, deployable once the job SUCCEEDED."""
    usage_tokens: pulumi.Output[int]
    """Billed training tokens."""
    estimated_tokens: pulumi.Output[int]
    """Tokens the run is expected to bill (max_steps x 10 x Lmax)."""
    estimated_cost_cny: pulumi.Output[float]
    """Expected training cost in CNY at 0.08 CNY per 1,000 tokens."""
    checkpoints: pulumi.Output[list[str]]
    """Saved checkpoints, newest first (e.g. `checkpoint-800`)."""
    job_name: pulumi.Output[str]
    """The job name sent on create: `<project>-<stack>-<resource>-<owner key>-<training digest>`."""
    progress: pulumi.Output[dict[str, Any] | None]
    """While it trains: status, step, total_steps, checkpoints, eta_minutes and a summary line."""

    def __init__(
        self,
        resource_name: str,
        *,
        model: pulumi.Input[str],
        training_file_ids: pulumi.Input[list[pulumi.Input[str]]],
        hyper_parameters: pulumi.Input[dict[str, Any]],
        validation_file_ids: pulumi.Input[list[pulumi.Input[str]]] | None = None,
        training_sha256: pulumi.Input[list[pulumi.Input[str]]] | None = None,
        validation_sha256: pulumi.Input[list[pulumi.Input[str]]] | None = None,
        wait: bool = True,
        timeout_minutes: float | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare a fine-tune of `model` on `training_file_ids` with `hyper_parameters`.

        `training_sha256` / `validation_sha256` are the content digests of those files (a Dataset's
        `sha256`); given them, a re-upload of the same content updates the ids in place instead of retraining.
        """
        props: dict[str, Any] = {
            "model": model,
            "training_file_ids": training_file_ids,
            "validation_file_ids": validation_file_ids or [],
            "hyper_parameters": hyper_parameters,
            "dataset_generation_types": dataset_generation_types(training_file_ids, validation_file_ids),
            "wait": wait,
            "timeout_minutes": timeout_minutes,
            "job_name": None,
            "estimated_tokens": None,
            "estimated_cost_cny": None,
            "job_id": None,
            "created_job_name": None,
            "status": None,
            "finetuned_output": None,
            "usage_tokens": None,
            "checkpoints": None,
            "progress": None,
        }
        if training_sha256 is not None:
            props["training_sha256"] = training_sha256
        if validation_sha256 is not None:
            props["validation_sha256"] = validation_sha256
        super().__init__(FineTuneJobProvider(program_owner(resource_name)), resource_name, props, opts)
