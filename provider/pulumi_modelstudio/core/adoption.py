"""Adopting objects made outside Pulumi (`import_`, `pulumi import`): the read that imports them, the diff after.

An import reads the object by id with no prior state. The read returns the inputs a user declares for it
(so `pulumi import` can record them) and the usual outputs, marked with `adopted_id`. While that mark is in
state, the diff compares only what the service reports: a field it does not report (a timeout, whether to wait)
cannot disagree, and hyper-parameters are compared on the names the service lists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pulumi_modelstudio.core.checkpoint_export.inputs import CheckpointExportInputs, CheckpointExportState
from pulumi_modelstudio.core.deployment.inputs import DeploymentInputs, DeploymentState
from pulumi_modelstudio.core.fine_tune_job.inputs import FineTuneJobInputs, FineTuneJobState
from pulumi_modelstudio.core.model import Diff, Props, Read, Role
from pulumi_modelstudio.core.registry import NotImportableError
from pulumi_modelstudio.core.values import is_unknown, pending_marker
from pulumi_modelstudio.errors import NotFoundError

if TYPE_CHECKING:
    from pulumi_modelstudio.core.context import Context
    from pulumi_modelstudio.wire.deployments import Deployment as DeploymentObject
    from pulumi_modelstudio.wire.fine_tunes import FineTuneJob as JobObject

__all__ = [
    "ADOPTED_KEY",
    "adopted_deployment",
    "adopted_diff",
    "adopted_export",
    "adopted_job",
    "declarable_hyperparameters",
    "deployment_inputs",
    "export_inputs",
    "job_inputs",
    "refuse_dataset",
]

T = TypeVar("T")

ADOPTED_KEY = "adopted_id"
"""Output that marks state read from an existing object rather than created by this stack."""

_TEXT_PARAMETERS = frozenset({"generation_type", "max_pixels", "val_img_size", "max_token_length"})
_LISTING_HINT = "`modelstudio unowned` lists what this account has that no stack manages, with the ids to use"


def _missing(*, kind: str, what: str, id_: str) -> NotImportableError:
    return NotImportableError(
        f"cannot import {kind} {id_!r}: no {what} with this id in the account, region and workspace the stack's "
        f"modelstudio config points at. Fix the id in `import_`; {_LISTING_HINT}."
    )


def _existing(read: Callable[[str], T], id_: str, *, kind: str, what: str) -> T:
    """`read(id_)`; an object the service does not know refuses the import of `kind`, naming `what` is missing."""
    try:
        return read(id_)
    except NotFoundError:
        raise _missing(kind=kind, what=what, id_=id_) from None


# -- what a user declares for an existing object (also printed by `modelstudio unowned`) -----------------------
def declarable_hyperparameters(reported: Mapping[str, Any]) -> dict[str, Any]:
    """The reported hyper-parameters this package's `FineTuneJob` accepts, numbers given as text turned to numbers."""
    from pulumi_modelstudio.wan.hyperparams import WanImageHyperParameters  # noqa: PLC0415 - only imports need it

    known = WanImageHyperParameters.model_fields
    return {
        name: value if name in _TEXT_PARAMETERS else _as_number(value)
        for name, value in reported.items()
        if name in known
    }


def _as_number(value: object) -> object:
    number = _number(value)
    if number is None or not isinstance(value, str):
        return value
    return int(number) if number.is_integer() and value.strip().lstrip("-").isdigit() else number


def job_inputs(job: JobObject) -> dict[str, Any]:
    """`FineTuneJob` inputs that describe `job`."""
    validation = list(job.validation_file_ids)
    validation += [d.file_id for d in job.validation_datasets if d.file_id and d.file_id not in validation]
    declared = FineTuneJobInputs.of(
        {
            "model": job.model,
            "training_file_ids": list(job.all_training_file_ids),
            "validation_file_ids": validation,
            "hyper_parameters": declarable_hyperparameters(job.hyper_parameters),
        }
    )
    return declared.to_props()


def export_inputs(job_id: str, checkpoint: str, display_name: str | None) -> dict[str, Any]:
    """`CheckpointExport` inputs that describe an exported checkpoint."""
    declared = CheckpointExportInputs(job_id=job_id, checkpoint=checkpoint)
    if display_name:
        declared.model_name = display_name
    return declared.to_props()


def deployment_inputs(deployment: DeploymentObject) -> dict[str, Any]:
    """`Deployment` inputs that describe `deployment` (the suffix is what follows the model name)."""
    # LoRA deployments report no capacity (it has no effect on them): record the declared default.
    capacity = deployment.capacity if deployment.capacity is not None else 1
    declared = DeploymentInputs(model_name=deployment.model_name, plan=deployment.plan or "lora", capacity=capacity)
    model, deployed = deployment.model_name or "", deployment.deployed_model
    if deployed == model:
        declared.suffix = None
    elif model and deployed.startswith(f"{model}-"):
        declared.suffix = deployed.removeprefix(f"{model}-")
    return declared.to_props()


# -- reads for an import --------------------------------------------------------------------------------------
def adopted_job(context: Context, id_: str, identity: Props) -> Read:
    """Read fine-tune job `id_` for an import: its declared inputs and current outputs."""
    with context.client() as client:
        job = _existing(client.fine_tunes.get, id_, kind="FineTuneJob", what="fine-tune job")
        checkpoints = [c.checkpoint for c in client.fine_tunes.checkpoints(id_)]
    inputs = FineTuneJobInputs.of({**identity.to_props(), **job_inputs(job)})
    state = FineTuneJobState.of(inputs.to_props())
    state.job_id, state.created_job_name, state.status = job.job_id, job.job_name, job.status
    state.finetuned_output, state.usage_tokens, state.checkpoints = job.finetuned_output, job.usage, checkpoints
    state.deployable_model = job.finetuned_output if job.status == "SUCCEEDED" else pending_marker(job.job_id)
    state.adopted_id = id_
    hyper_parameters = inputs.hyper_parameters if isinstance(inputs.hyper_parameters, dict) else {}
    estimate = _estimate(hyper_parameters)
    if estimate is not None:
        state.estimated_tokens, state.estimated_cost_cny = estimate
    return Read(id_, state, inputs)


def _estimate(hyper_parameters: dict[str, Any]) -> tuple[int, float] | None:
    from pulumi_modelstudio.wan.hyperparams import hyperparameter_problems, normalize_hyperparameters  # noqa: PLC0415
    from pulumi_modelstudio.wan.pricing import estimate_cost_cny, estimate_tokens  # noqa: PLC0415

    if hyperparameter_problems(hyper_parameters):
        return None
    tokens = estimate_tokens(normalize_hyperparameters(hyper_parameters))
    return tokens, float(estimate_cost_cny(tokens))


def adopted_export(context: Context, id_: str, identity: Props) -> Read:
    """Read exported checkpoint `<job_id>:<checkpoint>` for an import."""
    job_id, _, checkpoint = id_.partition(":")
    if not job_id or not checkpoint.startswith("checkpoint-"):
        msg = (
            f"cannot import CheckpointExport {id_!r}: the id is '<job_id>:checkpoint-<step>', "
            f"e.g. 'ft-202606030110-ab12:checkpoint-800'; {_LISTING_HINT}."
        )
        raise NotImportableError(msg)
    with context.client() as client:
        saved = _existing(client.fine_tunes.checkpoints, job_id, kind="CheckpointExport", what="fine-tune job")
    found = next((c for c in saved if c.checkpoint == checkpoint), None)
    if found is None or found.status != "SUCCEEDED" or not found.model_name:
        state = "is not saved" if found is None else f"is {found.status}, not exported"
        msg = (
            f"cannot import CheckpointExport {id_!r}: {checkpoint} of job {job_id} {state}. "
            f"Only a checkpoint with a deployable model can be adopted; {_LISTING_HINT}."
        )
        raise NotImportableError(msg)
    inputs = CheckpointExportInputs.of(
        {**identity.to_props(), **export_inputs(job_id, checkpoint, found.model_display_name)}
    )
    outs = CheckpointExportState.of(inputs.to_props())
    outs.deployable_model, outs.step, outs.status = found.model_name, found.step, found.status
    outs.exported_checkpoint, outs.adopted_id = found.checkpoint, id_
    return Read(id_, outs, inputs)


def adopted_deployment(context: Context, id_: str, identity: Props) -> Read:
    """Read deployment `id_` (its `deployed_model`) for an import."""
    with context.client() as client:
        deployment = _existing(client.deployments.get, id_, kind="Deployment", what="deployment")
    if deployment.status == "DELETING":
        raise _missing(kind="Deployment", what="live deployment", id_=id_)
    inputs = DeploymentInputs.of({**identity.to_props(), **deployment_inputs(deployment)})
    outs = DeploymentState.of(inputs.to_props())
    outs.deployed_model, outs.status, outs.base_model = (
        deployment.deployed_model,
        deployment.status,
        deployment.base_model,
    )
    outs.adopted_id = id_
    return Read(id_, outs, inputs)


def refuse_dataset(id_: str) -> Read:
    """Files are not adopted: the service keeps no digest a dataset folder could be checked against."""
    msg = (
        f"cannot import Dataset {id_!r}: Model Studio keeps no content digest of an uploaded file, so the folder a "
        "Dataset declares cannot be checked against it. Use the file id directly in `training_file_ids` / "
        "`validation_file_ids` of the job you adopt, or let a Dataset upload the folder as a new file."
    )
    raise NotImportableError(msg)


# -- the diff while adopted state is in place -----------------------------------------------------------------
def adopted_diff(old: Props, new: Props) -> Diff | None:
    """The diff against state read from an existing object; None when `old` was created by this stack."""
    if not getattr(old, ADOPTED_KEY, None):
        return None
    fields = type(new)
    replaces = tuple(name for name in fields.fields_with(Role.REPLACE) if _differs(old, new, name))
    updates = any(_differs(old, new, name) for name in fields.fields_with(Role.UPDATE))
    return Diff(replaces, updates)


def _differs(old: Props, new: Props, name: str) -> bool:
    value = getattr(new, name)
    if is_unknown(value):
        return True
    if not old.is_set(name):
        return False  # the service does not report it: nothing to disagree with
    if value is None:
        return False  # left out of the declaration (e.g. no suffix): whatever the service chose is adopted
    recorded = getattr(old, name)
    if isinstance(recorded, Mapping) and isinstance(value, Mapping):
        return any(not _same(recorded[key], value[key]) for key in recorded.keys() & value.keys())
    return not _same(recorded, value)


def _same(old: object, new: object) -> bool:
    if isinstance(old, list | tuple) and isinstance(new, list | tuple):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    old_number, new_number = _number(old), _number(new)
    if old_number is not None and new_number is not None:
        return old_number == new_number
    return old == new


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None
