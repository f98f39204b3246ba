"""`LoraModel`: dataset(s) + fine-tune job + optional checkpoint export + optional deployment, as one unit."""

from __future__ import annotations

from typing import Any, ClassVar

import pulumi

from pulumi_modelstudio.core.serving import ReplaceMode, TrainingMode, serving_summary
from pulumi_modelstudio.datasets.rules import GenerationType
from pulumi_modelstudio.resources.checkpoint_export import CheckpointExport
from pulumi_modelstudio.resources.dataset import Dataset
from pulumi_modelstudio.resources.deployment import Deployment
from pulumi_modelstudio.resources.fine_tune_job import FineTuneJob, deployable_marker

__all__ = ["LoraModel", "LoraModelError", "TrainingMode"]


def _trained_or_pending(values: list[Any]) -> str:
    status, finetuned_output, job_id = values
    return str(finetuned_output) if status == "SUCCEEDED" and finetuned_output else deployable_marker(str(job_id))


def _serving(values: list[Any]) -> str:
    deployed_model, next_model, status, progress = values
    return serving_summary(deployed_model, next_model, status, progress)


class LoraModelError(ValueError, pulumi.RunError):
    """Arguments that cannot work together: the program stops with this message, before anything is created."""


class LoraModel(pulumi.ComponentResource):
    """A complete LoRA model: upload data, train, optionally export a checkpoint, optionally deploy.

    Outputs: `job_id`, `finetuned_output`, `deployable_model` (the exported checkpoint's model when
    `export_checkpoint` is set, else the job's output; `pending:…` while training), `deployed_model` (when
    deployed: the deployment that serves, also while the next version trains), `serving` (e.g. `serving
    <deployment>; <job> training, step 300/800, about 2 h 08 min left`), `training_status` and
    `estimated_cost_cny`.
    """

    job_id: pulumi.Output[str]
    training_status: pulumi.Output[str]
    finetuned_output: pulumi.Output[str]
    deployable_model: pulumi.Output[str]
    deployed_model: pulumi.Output[str | None]
    serving: pulumi.Output[str]
    estimated_cost_cny: pulumi.Output[float]

    parts: ClassVar[dict[str, Any]] = {
        "Dataset": Dataset,
        "FineTuneJob": FineTuneJob,
        "CheckpointExport": CheckpointExport,
        "Deployment": Deployment,
    }
    """The resource classes the chain is built from (the package provider builds it from its own)."""

    def __init__(
        self,
        name: str,
        *,
        model: str,
        training_data: str,
        generation_type: GenerationType = "t2i",
        validation_data: str | None = None,
        hyper_parameters: dict[str, Any] | None = None,
        export_checkpoint: str | None = None,
        export_name: str | None = None,
        deploy: bool = True,
        capacity: int = 1,
        suffix: str | None = None,
        wait: bool = True,
        timeout_minutes: float | None = None,
        training: TrainingMode | None = None,
        replace: ReplaceMode = "create-first",
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare the whole chain for `name`; `hyper_parameters` gets `generation_type` filled in.

        `training` (`wait` or `submit`, see TrainingMode) takes precedence over the older `wait` flag. The
        deployment keeps serving while a new version trains; `replace` orders the switch: `create-first` (no
        downtime, two deployments billed for a few minutes) or `delete-first` (downtime while it deploys).
        """
        super().__init__("modelstudio:index:LoraModel", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        hp = dict(hyper_parameters or {})
        declared = hp.setdefault("generation_type", generation_type)
        if declared != generation_type:
            msg = (
                f"LoraModel '{name}': hyper_parameters.generation_type is {declared!r} but the datasets are "
                f"{generation_type!r} — make them the same"
            )
            raise LoraModelError(msg)

        train_set = self.parts["Dataset"](
            f"{name}-train", source=training_data, generation_type=generation_type, opts=child
        )
        validation_ids: list[pulumi.Input[str]] = []
        validation_digests: list[pulumi.Input[str]] = []
        if validation_data:
            validation = self.parts["Dataset"](
                f"{name}-val",
                source=validation_data,
                generation_type=generation_type,
                role="validation",
                opts=child,
            )
            validation_ids.append(validation.file_id)
            validation_digests.append(validation.sha256)

        waits = wait if training is None else training == "wait"
        job = self.parts["FineTuneJob"](
            f"{name}-job",
            model=model,
            training_file_ids=[train_set.file_id],
            validation_file_ids=validation_ids,
            training_sha256=[train_set.sha256],
            validation_sha256=validation_digests,
            hyper_parameters=hp,
            wait=waits,
            timeout_minutes=timeout_minutes,
            opts=child,
        )
        # from status and output (not job.deployable_model), so stacks recorded by earlier versions read the same
        deployable: pulumi.Output[str] = pulumi.Output.all(job.status, job.finetuned_output, job.job_id).apply(
            _trained_or_pending
        )
        if export_checkpoint:
            exported = self.parts["CheckpointExport"](
                f"{name}-export",
                job_id=job.job_id,
                checkpoint=export_checkpoint,
                job_status=job.status,
                job_hyper_parameters=hp,  # the preview refuses a checkpoint the job will not keep
                model_name=export_name,  # by default named after its owner and job: unique per job and stack
                opts=child,
            )
            deployable = exported.deployable_model

        deployed: pulumi.Output[str | None] = pulumi.Output.from_input(None)
        next_model: pulumi.Output[str | None] = pulumi.Output.from_input(None)
        if deploy:
            deployment = self.parts["Deployment"](
                f"{name}-deploy",
                model_name=deployable,
                capacity=capacity,
                suffix=suffix,
                replace=replace,
                training=None if waits else "submit",
                opts=child,
            )
            deployed, next_model = deployment.deployed_model, deployment.next_model
        serving = pulumi.Output.all(deployed, next_model, job.status, job.progress).apply(_serving)

        self.job_id = job.job_id
        self.training_status = job.status
        self.finetuned_output = job.finetuned_output
        self.deployable_model = deployable
        self.deployed_model = deployed
        self.serving = serving
        self.estimated_cost_cny = job.estimated_cost_cny
        self.register_outputs(
            {
                "job_id": job.job_id,
                "training_status": job.status,
                "finetuned_output": job.finetuned_output,
                "deployable_model": deployable,
                "deployed_model": deployed,
                "serving": serving,
                "estimated_cost_cny": job.estimated_cost_cny,
            }
        )
