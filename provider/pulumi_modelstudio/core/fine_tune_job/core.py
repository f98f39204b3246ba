"""FineTuneJob: check and price at preview; submit (or adopt its own job) and wait; refresh; cancel or keep."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pulumi_modelstudio.core.adoption import adopted_job
from pulumi_modelstudio.core.fine_tune_job.diff import job_diff
from pulumi_modelstudio.core.fine_tune_job.hyperparams import (
    checked_hyperparameters,
    generation_type_conflicts,
    sent_hyperparameters,
)
from pulumi_modelstudio.core.fine_tune_job.inputs import FineTuneJobInputs, FineTuneJobState
from pulumi_modelstudio.core.fine_tune_job.ownership import remember, training_spec
from pulumi_modelstudio.core.fine_tune_job.removal import delete_job
from pulumi_modelstudio.core.fine_tune_job.submit import adopt_or_submit
from pulumi_modelstudio.core.fine_tune_job.training import TrainingProgress, failure_report, read_progress
from pulumi_modelstudio.core.fine_tune_job.unrecorded import hold, release
from pulumi_modelstudio.core.fine_tune_job.wait import wait_for_job
from pulumi_modelstudio.core.identity import job_name, spec_digest
from pulumi_modelstudio.core.model import Diff, Failure, Props, Read
from pulumi_modelstudio.core.progress import progress
from pulumi_modelstudio.core.values import is_unknown, pending_marker
from pulumi_modelstudio.core.waiters import stop_requested
from pulumi_modelstudio.errors import JobFailedError, NotFoundError, RunInterruptedError
from pulumi_modelstudio.wan.models import SUPPORTED_BASE_MODELS
from pulumi_modelstudio.wan.pricing import estimate_cost_cny, estimate_tokens
from pulumi_modelstudio.wire.statuses import RETRAIN_JOB_STATUSES, TERMINAL_JOB_STATUSES

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.core.context import Context
    from pulumi_modelstudio.wire.fine_tunes import FineTuneJob as JobObject

__all__ = ["FineTuneJobCore", "deployable_marker"]


def deployable_marker(job_id: str) -> str:
    """What dependents deploy while the job trains: `pending:<job_id>`."""
    return pending_marker(job_id)


def _outputs(state: FineTuneJobState, job: JobObject, checkpoints: list[str], seen: TrainingProgress | None) -> None:
    state.job_id, state.created_job_name, state.status = job.job_id, job.job_name, job.status
    state.finetuned_output, state.usage_tokens, state.checkpoints = job.finetuned_output, job.usage, checkpoints
    trained = job.status == "SUCCEEDED" and job.finetuned_output
    state.deployable_model = job.finetuned_output if trained else deployable_marker(job.job_id)
    state.progress = seen.as_output() if seen is not None else None


def _observed(
    client: ModelStudioClient, props: Props, sent: dict[str, Any], job: JobObject
) -> tuple[FineTuneJobState, TrainingProgress | None]:
    """The state for `job` as it is now, with its progress while it trains."""
    state = FineTuneJobState.of(props.to_props())
    if stop_requested() and job.status != "SUCCEEDED":  # answer at once: the run is being interrupted
        _outputs(state, job, [], None)
        return state, None
    if job.status == "SUCCEEDED":
        _outputs(state, job, [c.checkpoint for c in client.fine_tunes.checkpoints(job.job_id)], None)
        return state, None
    seen = read_progress(client, job, sent)
    _outputs(state, job, seen.checkpoints, seen)
    return state, seen


def _sent(state: FineTuneJobState, declared: FineTuneJobInputs) -> dict[str, Any]:
    """What the job was submitted with (earlier releases recorded it as `hyper_parameters`)."""
    return state.sent_hyper_parameters or declared.declared_parameters() or {}


def _recorded(olds: FineTuneJobState, news: FineTuneJobInputs) -> FineTuneJobState:
    """The new inputs with the recorded outputs: what an update that calls nothing returns."""
    outs = FineTuneJobState.of(news.to_props()).with_outputs_of(olds)
    if not outs.is_set("sent_hyper_parameters") and isinstance(olds.hyper_parameters, dict):
        outs.sent_hyper_parameters = dict(olds.hyper_parameters)  # earlier releases recorded what they sent
    return outs


class FineTuneJobCore:
    """Create submits (or adopts its own job) and waits; refresh reads status; destroy cancels, then deletes
    unless a newer job of the same declaration replaces it or a deployment still serves a model made from it."""

    def __init__(self, context: Context) -> None:
        """Work for the resource `context` describes."""
        self.context = context

    def check(self, news: FineTuneJobInputs) -> list[Failure]:
        """Range-check everything and price the run before any money is spent (the estimate is set on `news`)."""
        failures: list[Failure] = []
        if not is_unknown(news.model) and news.model not in SUPPORTED_BASE_MODELS:
            choices = ", ".join(SUPPORTED_BASE_MODELS)
            failures.append(Failure("model", f"{news.model!r} is not a Wan image base model — use one of {choices}"))
        if not is_unknown(news.training_file_ids) and not news.training_file_ids:
            failures.append(Failure("training_file_ids", "needs at least one training Dataset file id"))
        timeout = news.timeout_minutes
        if isinstance(timeout, int | float) and timeout <= 0:
            failures.append(Failure("timeout_minutes", f"{timeout!r} must be a positive number of minutes"))
        hp = news.hyper_parameters
        if is_unknown(hp) or not isinstance(hp, dict):
            return failures
        failures += generation_type_conflicts(hp.get("generation_type"), news.dataset_generation_types)
        problems, normalized = checked_hyperparameters(hp, self.context.label(news, "hyper_parameters"))
        failures += [Failure(field, reason) for field, reason in problems]
        if problems:
            return failures
        news.estimated_tokens = estimate_tokens(normalized)
        news.estimated_cost_cny = float(estimate_cost_cny(news.estimated_tokens))
        return failures

    @staticmethod
    def diff(_id: str, olds: FineTuneJobState, news: FineTuneJobInputs) -> Diff:
        """What is trained decides; a job that ended FAILED or CANCELED trains again; a blocking run waits."""
        return job_diff(olds, news)

    def create(self, props: FineTuneJobInputs) -> tuple[str, FineTuneJobState]:
        """Adopt the job this declaration already started, or submit it; then wait in the `wait` training mode.

        In the `submit` mode it returns as soon as the job is submitted: the stack records the job at once and a
        later run (`pulumi up --refresh`) sees it finish. An interrupted wait returns the job as it is, so it is
        recorded rather than left training untracked.
        """
        owner = self.context.require_owner(props)
        resource = owner.resource
        sent = sent_hyperparameters(resource, props.hyper_parameters)
        name = job_name(owner, spec_digest(training_spec(props, sent)))
        if stop_requested():
            msg = f"FineTuneJob '{resource}': the run was interrupted before the job was submitted; nothing started"
            raise RunInterruptedError(msg)
        with self.context.client() as client:
            job = adopt_or_submit(client, props, owner, name, sent)
            remember(owner, job.job_id)
            hold(job.job_id, self.context)
            try:
                if props.training_mode == "wait":
                    job = wait_for_job(client, job, sent, props.timeout(), resource)
                state, _ = _observed(client, props, sent, job)
            finally:
                release(job.job_id)
        state.job_name, state.sent_hyper_parameters = name, sent
        return job.job_id, state

    @staticmethod
    def preview_update(olds: FineTuneJobState, news: FineTuneJobInputs) -> FineTuneJobState | None:
        """The recorded job as `update` will return it, unless the update may wait for training to end."""
        status = olds.status
        waits = isinstance(status, str) and status not in TERMINAL_JOB_STATUSES and news.wait is not False
        return None if waits else _recorded(olds, news)

    def update(self, id_: str, olds: FineTuneJobState, news: FineTuneJobInputs) -> FineTuneJobState:
        """Record new informational inputs; in the `wait` mode, wait for a job an earlier run left training."""
        outs = _recorded(olds, news)
        status = olds.status
        if not isinstance(status, str) or status in TERMINAL_JOB_STATUSES or news.training_mode == "submit":
            return outs
        resource = self.context.label(news, id_)
        sent = _sent(outs, news)
        with self.context.client() as client:
            job = client.fine_tunes.get(id_)
            if job.status not in TERMINAL_JOB_STATUSES:
                job = wait_for_job(client, job, sent, news.timeout(), resource)
            elif job.status != "SUCCEEDED":
                msg = f"FineTuneJob '{resource}': job {job.job_id} ended {failure_report(client, job)}"
                raise JobFailedError(msg, job_id=job.job_id, status=job.status, code=job.code, message=job.message)
            observed, _ = _observed(client, news, sent, job)
        observed.job_name, observed.sent_hyper_parameters = outs.job_name, sent
        return observed

    def read(self, id_: str, props: FineTuneJobState) -> Read:
        """Refresh status, progress, usage and checkpoints; a deleted job drops out of state."""
        resource = self.context.label(props, id_)
        with self.context.client() as client:
            try:
                job = client.fine_tunes.get(id_)
            except NotFoundError:
                return Read.gone()
            state, seen = _observed(client, props, _sent(props, props), job)
            if job.status in RETRAIN_JOB_STATUSES and props.status != job.status:
                progress(resource, f"job {id_} ended {failure_report(client, job)}")
        if seen is not None and job.status not in TERMINAL_JOB_STATUSES:
            progress(resource, f"job {id_}: {seen.describe()}")
        return Read(id_, state, props.recorded_inputs())

    def import_read(self, id_: str, identity: Props) -> Read:
        """Read an existing job for an import (`import_`, `pulumi import`)."""
        return adopted_job(self.context, id_, identity)

    def delete(self, id_: str, props: FineTuneJobState) -> None:
        """Cancel a running job, then delete it unless it must stay (replaced by a newer one, or still served);
        when the declaration goes for good, its earlier jobs that nothing serves go too."""
        delete_job(self.context, id_, props)
