"""Superseded jobs: jobs a stack made and replaced (kept so their models can still be deployed or rolled back
to) that no stack references any more and no deployment serves, so they can be removed.

A job belongs to a stack when its `job_name` carries the owner key of one of the stack's FineTuneJob
declarations, or, when the service keeps no custom names, when it trained on files the stack uploaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pulumi_modelstudio.core.identity import Owner, parse_job_name
from pulumi_modelstudio.errors import NotFoundError
from pulumi_modelstudio.wire.statuses import TERMINAL_JOB_STATUSES

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.wire.fine_tunes import FineTuneJob

__all__ = ["StackState", "SupersededJob", "find_superseded"]

_MODEL_FIELDS = (
    "model_name",
    "deployable_model",
    "finetuned_output",
    "deployed_model",
    "modelName",  # the same fields as the package resources record them
    "deployableModel",
    "finetunedOutput",
    "deployedModel",
)


@dataclass(frozen=True)
class StackState:
    """What one stack's state refers to: its jobs, the models it uses, and its declarations' owner keys."""

    project: str
    stack: str
    job_ids: frozenset[str]
    models: frozenset[str]
    job_owners: Mapping[str, str] = field(default_factory=dict)
    """Owner key -> FineTuneJob resource name."""

    @classmethod
    def from_export(cls, exported: Mapping[str, Any], project: str = "", stack: str = "") -> StackState:
        """Read a `pulumi stack export` document; `project` and `stack` name a stack whose state is empty
        (destroyed), so that the jobs it left are still found by the owner keys in their names."""
        resources = exported.get("deployment", {}).get("resources") or []
        job_ids: set[str] = set()
        models: set[str] = set()
        owners: dict[str, str] = {}
        for resource in resources:
            urn = str(resource.get("urn", ""))
            parts = urn.removeprefix("urn:pulumi:").split("::")
            if len(parts) < 4:
                continue
            stack, project, name = parts[0], parts[1], parts[-1]
            kind = str(resource.get("type", "")).rsplit(":", 1)[-1]
            values = {**(resource.get("inputs") or {}), **(resource.get("outputs") or {})}
            models.update(str(values[k]) for k in _MODEL_FIELDS if isinstance(values.get(k), str) and values[k])
            if kind == "FineTuneJob":
                if resource.get("id"):
                    job_ids.add(str(resource["id"]))
                owners[Owner(project, stack, name).key] = name
        return cls(project, stack, frozenset(job_ids), frozenset(models), owners)


@dataclass(frozen=True)
class SupersededJob:
    """A finished job of a listed stack that the stack no longer references."""

    job: FineTuneJob
    stack: str
    resource: str
    models: tuple[str, ...]
    kept_because: str | None
    """Why it must stay (a model of it is referenced or served), or None when it can be removed."""


def _declared_in_name(state: StackState, stem: str, key: str) -> str | None:
    """The FineTuneJob resource of `state` whose owner key a job name carries, also after a destroy: the name's
    readable stem (`<project>-<stack>-<resource>`) gives the resource, the key proves it."""
    if key in state.job_owners:
        return state.job_owners[key]
    prefix = Owner(state.project, state.stack, "").stem(len(stem) + 1) + "-"
    if not state.project or not stem.startswith(prefix):
        return None
    resource = stem[len(prefix) :]
    return resource if Owner(state.project, state.stack, resource).key == key else None


def _owned_by(
    client: ModelStudioClient, job: FineTuneJob, states: Iterable[StackState]
) -> tuple[StackState, str] | None:
    """The listed stack (and declaration) a job belongs to, if any."""
    parsed = parse_job_name(job.job_name or "")
    for state in states:
        resource = _declared_in_name(state, parsed[0], parsed[1]) if parsed is not None else None
        if resource is not None:
            return state, resource
    if not job.name_dropped or not job.all_training_file_ids:
        return None
    try:
        names = [client.files.get(f).name for f in job.all_training_file_ids]
    except NotFoundError:
        return None
    for state in states:
        probe = Owner(state.project, state.stack, "")
        if all(probe.owns_upload(name) for name in names):
            return state, "(trained on its uploads)"
    return None


def find_superseded(client: ModelStudioClient, states: list[StackState]) -> list[SupersededJob]:
    """Every finished job of the listed stacks that none of them references, with why it must stay, if so."""
    referenced_jobs = set().union(*(s.job_ids for s in states)) if states else set()
    referenced_models = set().union(*(s.models for s in states)) if states else set()
    served = {d.model_name: d.deployed_model for d in client.deployments.iter_all() if d.model_name}
    found: list[SupersededJob] = []
    for job in client.fine_tunes.iter_all():
        if job.job_id in referenced_jobs or job.status not in TERMINAL_JOB_STATUSES:
            continue
        owned = _owned_by(client, job, states)
        if owned is None:
            continue
        models = [job.finetuned_output] if job.finetuned_output else []
        models += [c.model_name for c in client.fine_tunes.checkpoints(job.job_id) if c.model_name]
        reason = None
        for model in models:
            if model in served:
                reason = f"deployment {served[model]} serves {model}"
                break
            if model in referenced_models:
                reason = f"a listed stack refers to {model}"
                break
        found.append(SupersededJob(job, owned[0].stack, owned[1], tuple(models), reason))
    return found
