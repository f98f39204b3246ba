"""`FineTuneJob`: a Wan image LoRA training job that is never started twice by accident."""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi
from pulumi.dynamic import CheckFailure, CreateResult, DiffResult, ReadResult, UpdateResult

from pulumi_modelstudio.core.identity import Owner, job_name, spec_digest
from pulumi_modelstudio.core.waiters import PollPlan, stop_requested, wait_until
from pulumi_modelstudio.errors import (
    APIConnectionError,
    APIStatusError,
    BadRequestError,
    JobFailedError,
    ModelStudioError,
    NotFoundError,
    RunInterruptedError,
    WaitTimeoutError,
)
from pulumi_modelstudio.resources._base import (
    PENDING_PREFIX,
    ModelStudioProvider,
    is_unknown,
    may_have_landed,
    progress,
)
from pulumi_modelstudio.resources._checkcache import CheckCache
from pulumi_modelstudio.resources._job_diff import SENT_HYPER_PARAMETERS, data_change, hyperparameters_changed
from pulumi_modelstudio.resources._job_ownership import find_own_job, keep_reason, remember, training_spec
from pulumi_modelstudio.resources._pickling import ModelStudioResource
from pulumi_modelstudio.resources._training import failure_report, read_progress, span
from pulumi_modelstudio.resources.adoption import ADOPTED_KEY, adopted_diff, adopted_job
from pulumi_modelstudio.resources.registry import is_import_read
from pulumi_modelstudio.wan.durations import QUEUE_SECONDS, expected_training_seconds
from pulumi_modelstudio.wan.models import SUPPORTED_BASE_MODELS
from pulumi_modelstudio.wan.pricing import estimate_cost_cny, estimate_tokens
from pulumi_modelstudio.wire.statuses import ACTIVE_JOB_STATUSES, TERMINAL_JOB_STATUSES

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.wire.fine_tunes import FineTuneJob as JobObject

__all__ = [
    "FineTuneJob",
    "FineTuneJobProvider",
    "cancel_unrecorded_jobs",
    "checked_hyperparameters",
    "sent_hyperparameters",
]

_CREATE_ATTEMPTS = 4
_CANCEL_WAIT_S = 600.0
_WAITING_STATUSES = frozenset({"PENDING", "QUEUING"})
_QUEUE_LIMIT_S = 7 * 24 * 3600.0
"""How long a job may wait for a training slot before the provider gives up (it is not billed meanwhile)."""
_STATUS_NOTES = {
    "QUEUING": " (another job of this account is training; Model Studio trains one at a time, this one is next)",
    "CANCELING": " (stopping; billing ends when it is CANCELED)",
}
_RETRAIN_STATUSES = ("FAILED", "CANCELED")

_unrecorded_lock = threading.Lock()
_unrecorded: dict[str, FineTuneJobProvider] = {}
"""Jobs a `create` in progress has started or adopted but not yet handed to the engine, by job id."""


def _hold(job_id: str, provider: FineTuneJobProvider) -> None:
    with _unrecorded_lock:
        _unrecorded[job_id] = provider


def _release(job_id: str) -> None:
    with _unrecorded_lock:
        _unrecorded.pop(job_id, None)


def cancel_unrecorded_jobs() -> list[str]:
    """Cancel the jobs that creates in progress started but the engine will never record; returns their ids.

    Called when the engine terminates the provider in the middle of a create (a second Ctrl-C): the stack would
    not track such a job, so it is stopped instead of being left training (and billing) unseen.
    """
    with _unrecorded_lock:
        held = dict(_unrecorded)
        _unrecorded.clear()
    for job_id, provider in held.items():
        with contextlib.suppress(Exception), provider.client() as client:
            client.fine_tunes.cancel(job_id)
    return list(held)


def deployable_marker(job_id: str) -> str:
    """What dependents deploy while the job trains: `pending:<job_id>`."""
    return f"{PENDING_PREFIX}{job_id}"


def checked_hyperparameters(
    hp: dict[str, Any], resource: str = "hyper_parameters"
) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """(problems, normalized parameters), remembered by content so unchanged previews skip the validation.

    Advice (few steps, sizes that differ) is printed as a warning for `resource` when the set is first checked.
    """
    key = "hp:" + hashlib.sha256(json.dumps(hp, sort_keys=True).encode()).hexdigest()
    cache = CheckCache.default()
    known = cache.get(key)
    if known is not None:
        return [], dict(known)
    from pulumi_modelstudio.wan.hyperparams import (  # noqa: PLC0415
        hyperparameter_problems,
        hyperparameter_warnings,
        normalize_hyperparameters,
    )

    problems = hyperparameter_problems(hp)
    if problems:
        return problems, {}
    for field, advice in hyperparameter_warnings(hp):
        progress(resource, f"warning: {field}: {advice}")
    normalized = normalize_hyperparameters(hp)
    cache.put(key, normalized)
    return [], normalized


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


def _generation_type_conflicts(declared: object, datasets: object) -> list[CheckFailure]:
    """A failure when hyper_parameters.generation_type contradicts the datasets the job trains on."""
    if not isinstance(declared, str) or is_unknown(declared) or not isinstance(datasets, list) or is_unknown(datasets):
        return []
    wrong = [d for d in datasets if isinstance(d, dict) and d.get("generation_type") != declared]
    if not wrong:
        return []
    named = ", ".join(f"'{d.get('dataset')}' is {d.get('generation_type')!r}" for d in wrong)
    other = wrong[0].get("generation_type")
    reason = (
        f"{declared!r} contradicts the datasets ({named}) — make them the same: set "
        f"hyper_parameters.generation_type={other!r} or declare the Dataset with generation_type={declared!r}"
    )
    return [CheckFailure("hyper_parameters.generation_type", reason)]


def sent_hyperparameters(resource: str, declared: object) -> dict[str, Any]:
    """The full parameter set to send: declared values with the documented defaults; fails on invalid input."""
    problems, normalized = (
        ([], {}) if not isinstance(declared, Mapping) else checked_hyperparameters(dict(declared), resource)
    )
    if problems or not normalized:
        detail = "; ".join(f"{field}: {reason}" for field, reason in problems) or "not a mapping of values"
        msg = f"FineTuneJob '{resource}': hyper_parameters are invalid ({detail}); nothing was submitted"
        raise ModelStudioError(msg)
    return normalized


class FineTuneJobProvider(ModelStudioProvider):
    """Create submits (or adopts its own job) and waits; refresh reads status; destroy cancels, then deletes
    unless a newer job of the same declaration replaces it or a deployment still serves a model made from it."""

    replace_on: ClassVar[tuple[str, ...]] = (
        "model",
        "training_file_ids",
        "validation_file_ids",
        "hyper_parameters",
    )
    """Compared as declared for a job adopted with `import_`; see `diff` for the jobs this stack created."""
    update_on: ClassVar[tuple[str, ...]] = ("wait", "timeout_minutes")
    output_fields: ClassVar[tuple[str, ...]] = (
        "job_id",
        "status",
        "finetuned_output",
        "usage_tokens",
        "checkpoints",
        "created_job_name",
        "job_name",
        SENT_HYPER_PARAMETERS,
        "deployable_model",
        "progress",
    )

    # -- preview -----------------------------------------------------------------------------------------
    def validate(self, inputs: dict[str, Any]) -> list[CheckFailure]:
        """Range-check everything and price the run before any money is spent."""
        failures: list[CheckFailure] = []
        model = inputs.get("model")
        if not is_unknown(model) and model not in SUPPORTED_BASE_MODELS:
            choices = ", ".join(SUPPORTED_BASE_MODELS)
            failures.append(CheckFailure("model", f"{model!r} is not a Wan image base model — use one of {choices}"))
        training = inputs.get("training_file_ids")
        if not is_unknown(training) and (not isinstance(training, list) or not training):
            failures.append(CheckFailure("training_file_ids", "needs at least one training Dataset file id"))
        timeout = inputs.get("timeout_minutes")
        if (
            timeout is not None
            and not is_unknown(timeout)
            and (not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0)
        ):
            failures.append(CheckFailure("timeout_minutes", f"{timeout!r} must be a positive number of minutes"))
        hp = inputs.get("hyper_parameters")
        if is_unknown(hp):
            return failures
        if not isinstance(hp, dict):
            failures.append(CheckFailure("hyper_parameters", "must be a mapping of hyper-parameter names to values"))
            return failures
        failures.extend(_generation_type_conflicts(hp.get("generation_type"), inputs.get("dataset_generation_types")))
        problems, normalized = checked_hyperparameters(hp, self.label(inputs, "hyper_parameters"))
        failures.extend(CheckFailure(field, reason) for field, reason in problems)
        if problems:
            return failures
        tokens = estimate_tokens(normalized)
        inputs["estimated_tokens"] = tokens
        inputs["estimated_cost_cny"] = float(estimate_cost_cny(tokens))
        return failures

    # -- diff --------------------------------------------------------------------------------------------
    def _declared_diff(self, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Replace when what is trained changed (model, declared hyper-parameters, data content); new file ids
        of the same content, `wait` and `timeout_minutes` update in place without any API call."""
        adopted = adopted_diff(self, olds, news)
        if adopted is not None:
            return adopted
        replaces = [name for name in ("model",) if self._changed(olds, news, name)]
        if hyperparameters_changed(olds, news):
            replaces.append("hyper_parameters")
        updates = any(self._changed(olds, news, name) for name in self.update_on)
        for role in ("training", "validation"):
            replaced, updated = data_change(olds, news, role)
            if replaced:
                replaces.append(replaced)
            updates = updates or updated
        return DiffResult(
            changes=bool(replaces) or updates,
            replaces=replaces,
            stables=[],
            delete_before_replace=self.delete_before_replace,
        )

    def _recorded(self, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        """The new inputs (e.g. the ids of a re-upload of the same data) beside the outputs; no API call."""
        outs = self.carry_outputs(olds, news)
        if SENT_HYPER_PARAMETERS not in outs and isinstance(olds.get("hyper_parameters"), Mapping):
            outs[SENT_HYPER_PARAMETERS] = dict(olds["hyper_parameters"])  # earlier releases recorded what they sent
        return outs

    # -- create ------------------------------------------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        """Adopt the job this declaration already started, or submit it; then wait when asked to.

        With `wait` false (`training: submit`) it returns as soon as the job is submitted: the stack records the
        job at once and a later run (`pulumi up --refresh`) sees it finish. An interrupted wait returns the job
        as it is, so it is recorded rather than left training untracked.
        """
        owner = self.require_owner(props)
        resource = owner.resource
        sent = sent_hyperparameters(resource, props.get("hyper_parameters"))
        name = job_name(owner, spec_digest(training_spec(props, sent)))
        if stop_requested():
            msg = f"FineTuneJob '{resource}': the run was interrupted before the job was submitted; nothing started"
            raise RunInterruptedError(msg)
        with self.client() as client:
            job = self._adopt_or_submit(client, props, owner, name, sent)
            remember(owner, job.job_id)
            _hold(job.job_id, self)
            try:
                if props.get("wait", True):
                    job = self._wait(client, job, dict(props, hyper_parameters=sent), resource)
                outs = self._observed(client, dict(props, hyper_parameters=sent), job)
            finally:
                _release(job.job_id)
        outs.update({"hyper_parameters": props.get("hyper_parameters"), "job_name": name, SENT_HYPER_PARAMETERS: sent})
        return CreateResult(job.job_id, outs)

    def _observed(self, client: ModelStudioClient, props: Mapping[str, Any], job: JobObject) -> dict[str, Any]:
        """Outputs for `job` as it is now, with its progress while it trains."""
        hp = dict(props.get("hyper_parameters") or {})
        if stop_requested() and job.status != "SUCCEEDED":  # answer at once: the run is being interrupted
            return self._outputs(dict(props), job, [])
        if job.status == "SUCCEEDED":
            checkpoints = [c.checkpoint for c in client.fine_tunes.checkpoints(job.job_id)]
            return self._outputs(dict(props), job, checkpoints)
        seen = read_progress(client, job, hp)
        return self._outputs(dict(props), job, seen.checkpoints, seen.as_output())

    def needs_refresh(self, outs: Mapping[str, Any]) -> bool:
        """A job that may still change is read again before the next update, so every run sees it finish."""
        return outs.get("status") not in TERMINAL_JOB_STATUSES

    def _adopt_or_submit(
        self, client: ModelStudioClient, props: dict[str, Any], owner: Owner, name: str, sent: dict[str, Any]
    ) -> JobObject:
        from pulumi_modelstudio.wire.fine_tunes import CreateFineTuneRequest  # noqa: PLC0415 - keep previews light

        resource = owner.resource
        request = CreateFineTuneRequest(
            model=str(props["model"]),
            training_file_ids=list(props["training_file_ids"]),
            validation_file_ids=list(props.get("validation_file_ids") or []) or None,
            training_type="efficient_sft",
            hyper_parameters=sent,
            job_name=name,
        )
        listed_before_submit: set[str] | None = None
        for attempt in range(1, _CREATE_ATTEMPTS + 1):
            jobs = list(client.fine_tunes.iter_all())
            existing = find_own_job(client, jobs, request, owner, listed_before_submit)
            if existing is not None:
                progress(resource, f"adopting job {existing.job_id} ({existing.status}) this declaration started")
                return existing
            listed_before_submit = {j.job_id for j in jobs}
            try:
                job = client.fine_tunes.create(request)
            except (APIConnectionError, APIStatusError) as exc:
                if not may_have_landed(exc) or attempt == _CREATE_ATTEMPTS:
                    raise
                progress(resource, f"job submission unclear ({exc}); looking it up before trying again")
                continue
            cost = props.get("estimated_cost_cny")
            progress(resource, f"submitted job {job.job_id} ({name}); estimated cost {cost} CNY")
            return job
        msg = f"FineTuneJob '{resource}': could not submit job {name}"
        raise JobFailedError(msg, job_id="", status="UNKNOWN", code=None, message=msg)

    def _wait(self, client: ModelStudioClient, job: JobObject, props: dict[str, Any], resource: str) -> JobObject:
        """Wait until the job ends; an interrupted run gets the job as it is now (it is recorded, not lost)."""
        hp = dict(props["hyper_parameters"])
        expected = expected_training_seconds(hp) - QUEUE_SECONDS
        timeout_min = props.get("timeout_minutes") or max(120.0, 3 * expected / 60)
        plan = PollPlan(expected_s=expected)
        seen: dict[str, Any] = {"status": job.status, "job": job}

        def on_poll(current: JobObject) -> None:
            seen["job"] = current
            if current.status != seen["status"]:
                seen["status"] = current.status
                why = _STATUS_NOTES.get(current.status, "")
                progress(resource, f"job {current.job_id}: {current.status}{why}")
            elif current.status == "RUNNING":
                progress(resource, f"job {current.job_id}: {read_progress(client, current, hp).describe()}")

        if job.status not in TERMINAL_JOB_STATUSES:
            progress(resource, f"waiting for job {job.job_id} ({job.status}); expected ~{span(expected)} of training")
        fetch = lambda: client.fine_tunes.get(job.job_id)  # noqa: E731
        try:
            # Time spent waiting for the account's single training slot is not billed and not counted.
            started = wait_until(
                fetch,
                done=lambda j: j.status not in _WAITING_STATUSES,
                status=lambda j: j.status,
                what="fine-tune job (waiting to start)",
                ident=job.job_id,
                timeout_s=_QUEUE_LIMIT_S,
                next_interval=PollPlan(expected_s=60, max_s=300).interval,
                sleep=client.sleep,
                clock=client.clock,
                on_poll=on_poll,
            )
            final = (
                started
                if started.status in TERMINAL_JOB_STATUSES
                else wait_until(
                    fetch,
                    done=lambda j: j.status in TERMINAL_JOB_STATUSES,
                    status=lambda j: j.status,
                    what="fine-tune job",
                    ident=job.job_id,
                    timeout_s=float(timeout_min) * 60,
                    next_interval=plan.interval,
                    sleep=client.sleep,
                    clock=client.clock,
                    on_poll=on_poll,
                )
            )
        except RunInterruptedError:
            current: JobObject = seen["job"]
            progress(
                resource,
                f"interrupted: job {current.job_id} ({current.status}) keeps training and is recorded in the stack; "
                "the next `pulumi up` picks it up without training again",
            )
            return current
        except WaitTimeoutError as exc:
            progress(resource, f"deadline of {timeout_min:.0f} min passed; cancelling job {job.job_id}")
            self._cancel(client, job.job_id)
            with contextlib.suppress(BadRequestError, NotFoundError):
                client.fine_tunes.delete(job.job_id)  # nothing is left behind that Pulumi does not track
            msg = (
                f"FineTuneJob '{resource}': job {job.job_id} did not finish within {timeout_min:.0f} minutes "
                f"(last status {exc.last_status}); it was cancelled (billing stops) and deleted. "
                "Fix: raise timeout_minutes, or use `training: submit` and let later runs pick it up."
            )
            raise JobFailedError(msg, job_id=job.job_id, status="CANCELED", code="Timeout", message=msg) from exc
        if final.status != "SUCCEEDED":
            msg = (
                f"FineTuneJob '{resource}': job {final.job_id} ended {failure_report(client, final)}\n"
                "Fix the cause, then run `pulumi up` again to start a new job."
            )
            raise JobFailedError(msg, job_id=final.job_id, status=final.status, code=final.code, message=final.message)
        progress(resource, f"job {final.job_id} SUCCEEDED: {final.finetuned_output} ({final.usage} tokens)")
        return final

    @staticmethod
    def _outputs(
        props: dict[str, Any], job: JobObject, checkpoints: list[str], training: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        outs = {k: v for k, v in props.items() if k != "__provider"}
        outs.update(
            job_id=job.job_id,
            created_job_name=job.job_name,
            status=job.status,
            finetuned_output=job.finetuned_output,
            usage_tokens=job.usage,
            checkpoints=checkpoints,
            deployable_model=(
                job.finetuned_output
                if job.status == "SUCCEEDED" and job.finetuned_output
                else deployable_marker(job.job_id)
            ),
            progress=training,
        )
        return outs

    # -- later runs --------------------------------------------------------------------------------------
    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """What is trained decides; a job that ended FAILED or CANCELED trains again; a blocking run waits."""
        del id_
        result = self._declared_diff(olds, news)
        status = olds.get("status")
        if result.replaces or not isinstance(status, str) or olds.get(ADOPTED_KEY):
            return result
        if status in _RETRAIN_STATUSES:
            return DiffResult(changes=True, replaces=["status"], stables=[], delete_before_replace=False)
        if status not in TERMINAL_JOB_STATUSES and news.get("wait", True) is True:
            return DiffResult(changes=True, replaces=[], stables=[], delete_before_replace=False)
        return result

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Record new informational inputs; with `wait`, wait for a job an earlier run left training."""
        outs = self._recorded(olds, news)
        status = olds.get("status")
        if not isinstance(status, str) or status in TERMINAL_JOB_STATUSES or not news.get("wait", True):
            return UpdateResult(outs)
        resource = self.label(news, id_)
        sent = outs.get(SENT_HYPER_PARAMETERS) or news.get("hyper_parameters") or {}
        with self.client() as client:
            job = client.fine_tunes.get(id_)
            if job.status not in TERMINAL_JOB_STATUSES:
                job = self._wait(client, job, dict(news, hyper_parameters=sent), resource)
            elif job.status != "SUCCEEDED":
                msg = f"FineTuneJob '{resource}': job {job.job_id} ended {failure_report(client, job)}"
                raise JobFailedError(msg, job_id=job.job_id, status=job.status, code=job.code, message=job.message)
            observed = self._observed(client, dict(news, hyper_parameters=sent), job)
        observed.update(
            {
                "hyper_parameters": news.get("hyper_parameters"),
                "job_name": outs.get("job_name"),
                SENT_HYPER_PARAMETERS: sent,
            }
        )
        return UpdateResult(observed)

    # -- refresh -----------------------------------------------------------------------------------------
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh status, progress, usage and checkpoints; a deleted job drops out of state."""
        if is_import_read(props):
            return adopted_job(self, id_, props)
        resource = self.label(props, id_)
        sent = props.get(SENT_HYPER_PARAMETERS) or props.get("hyper_parameters") or {}
        with self.client() as client:
            try:
                job = client.fine_tunes.get(id_)
            except NotFoundError:
                return ReadResult("", {})
            outs = self._observed(client, dict(props, hyper_parameters=sent), job)
            outs["hyper_parameters"] = props.get("hyper_parameters")
            if job.status in _RETRAIN_STATUSES and props.get("status") != job.status:
                progress(resource, f"job {id_} ended {failure_report(client, job)}")
        training = outs.get("progress")
        if isinstance(training, dict) and job.status not in TERMINAL_JOB_STATUSES:
            progress(resource, f"job {id_}: {training['summary']}")
        inputs = {k: v for k, v in props.items() if k not in self.output_fields and k != "__provider"}
        return ReadResult(id_, outs, inputs)

    # -- destroy -----------------------------------------------------------------------------------------
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Cancel a job that is still running (it stops billing), then delete it, except a finished job that a
        newer job of this declaration replaces or whose model a deployment still serves: that one stays."""
        resource = self.label(props, id_)
        with self.client() as client:
            try:
                job = client.fine_tunes.get(id_)
            except NotFoundError:
                return
            if job.status in ACTIVE_JOB_STATUSES:
                progress(resource, f"cancelling running job {id_}")
                self._cancel(client, id_)
            elif job.status == "SUCCEEDED":
                reason = keep_reason(client, job, self.owner(props))
                if reason is not None:
                    progress(
                        resource,
                        f"keeping job {id_} and its exported models ({reason}); "
                        "list superseded jobs and remove the unused ones with `modelstudio jobs superseded`",
                    )
                    return
            try:
                client.fine_tunes.delete(id_)
            except NotFoundError:
                return
            except BadRequestError as exc:  # the service may refuse to delete a finished job
                progress(
                    resource,
                    f"job {id_} stays listed by the service, which keeps finished jobs ({exc.api_message}); "
                    "it is not billed and no longer managed by this stack",
                )

    @staticmethod
    def _cancel(client: ModelStudioClient, job_id: str) -> None:
        with contextlib.suppress(BadRequestError, NotFoundError):  # already finished or gone
            client.fine_tunes.cancel(job_id)
        wait_until(
            lambda: client.fine_tunes.get(job_id),
            done=lambda j: j.status in TERMINAL_JOB_STATUSES,
            status=lambda j: j.status,
            what="fine-tune job cancellation",
            ident=job_id,
            timeout_s=_CANCEL_WAIT_S,
            next_interval=lambda _elapsed: 5.0,
            sleep=client.sleep,
            clock=client.clock,
        )


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
        }
        if training_sha256 is not None:
            props["training_sha256"] = training_sha256
        if validation_sha256 is not None:
            props["validation_sha256"] = validation_sha256
        owner = Owner(pulumi.get_project(), pulumi.get_stack(), resource_name)
        super().__init__(FineTuneJobProvider(owner), resource_name, props, opts)
