"""How a Deployment keeps serving while the next version of its model trains, and how it switches to it.

A `model_name` that is still a placeholder (`pending:<job_id>…`) is the next version (`next_model`): an in-place
update that calls nothing. The run that sees the real model replaces the deployment, create-first unless
`replace` is `delete-first`. Going back to the model already served replaces nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_modelstudio.core.adoption import adopted_diff
from pulumi_modelstudio.core.model import Diff, Role, changed
from pulumi_modelstudio.core.progress import progress
from pulumi_modelstudio.core.serving import job_of
from pulumi_modelstudio.core.values import is_placeholder, is_unknown

if TYPE_CHECKING:
    from pulumi_modelstudio.core.deployment.inputs import DeploymentInputs, DeploymentState

__all__ = ["served_model", "switch_diff", "switch_update"]

_OVERLAP_NOTE = (
    "until then both deployments run and are billed (usually 5-10 minutes); to delete the old one first "
    "instead (downtime, one deployment billed), set replace='delete-first' (`lora:replace: delete-first`)"
)


def served_model(id_: str, olds: DeploymentState) -> str | None:
    """The model the recorded deployment serves; None while it is itself a placeholder (nothing serves yet).

    State written before `served_model` was recorded serves its `model_name`.
    """
    if not id_ or is_placeholder(id_):
        return None
    served = olds.served_model or olds.model_name
    return served if isinstance(served, str) and served and not is_placeholder(served) else None


def switch_diff(id_: str, olds: DeploymentState, news: DeploymentInputs, resource: str) -> Diff:
    """Keep serving while the next version trains; switch to it once it exists.

    - a new `model_name` that is still a placeholder (its job trains) is an in-place update that records it
      as `next_model`; the deployment, its outputs and its model stay as they are;
    - a real new model replaces the deployment: the new one is created, RUNNING and verified before the
      engine deletes the old one (`replace='delete-first'` reverses the order);
    - the model already served (a reverted change) replaces nothing and clears `next_model`;
    - a new plan or suffix replaces; a placeholder deployment (nothing served yet) gives way to the next one;
    - with `training='submit'`, a model unknown at preview is the next version of a job this run submits and
      leaves training: an in-place update (a saved plan then holds for the run), never a replacement.
    """
    adopted = adopted_diff(olds, news)
    if adopted is not None:
        return adopted
    served = served_model(id_, olds)
    model = news.model_name
    updates = any(changed(getattr(olds, n, None), getattr(news, n)) for n in type(news).fields_with(Role.UPDATE))
    delete_first = news.replace == "delete-first"
    if served is not None and not is_unknown(model) and is_placeholder(model):
        waiting = model != olds.next_model
        return Diff((), waiting or updates, delete_first)
    replaces = [name for name in ("plan", "suffix") if changed(getattr(olds, name), getattr(news, name))]
    if served is not None and not replaces and is_unknown(model) and news.training == "submit":
        later = (
            "deletes this one, then deploys the new version (downtime while it starts)"
            if delete_first
            else f"deploys the new version next to it, RUNNING and verified, then deletes this one; {_OVERLAP_NOTE}"
        )
        progress(
            resource,
            f"{olds.deployed_model or id_} keeps serving {served}: the job this run submits is still training when "
            f"the run ends; the run that sees it trained {later}",
        )
        return Diff((), updates=True, delete_before_replace=delete_first)
    if is_unknown(model) or model != (served or olds.model_name):
        replaces.append("model_name")
    if replaces and served is not None and not delete_first:
        deployed = olds.deployed_model or id_
        progress(
            resource,
            f"{deployed} keeps serving {served} until the new version is deployed, RUNNING and verified; "
            f"{_OVERLAP_NOTE}",
        )
    pending_cleared = not replaces and olds.next_model is not None
    return Diff(tuple(replaces), updates or pending_cleared, delete_first)


def switch_update(id_: str, olds: DeploymentState, news: DeploymentInputs, resource: str) -> DeploymentState:
    """Nothing to call: record the next version while it trains, or forget it once the served one is wanted.

    While the next version is a placeholder, `model_name`, `plan` and `suffix` keep describing what serves (so a
    later run compares the real new model against it).
    """
    outs = type(olds).of(news.to_props()).with_outputs_of(olds)
    served = served_model(id_, olds)
    model = news.model_name
    if served is None:
        return outs
    outs.served_model = served
    if not isinstance(model, str) or not is_placeholder(model):
        outs.next_model = None
        return outs
    outs.model_name, outs.suffix, outs.next_model = served, olds.suffix, model
    outs.plan = olds.plan if olds.is_set("plan") else "lora"
    if model != olds.next_model:
        switch = (
            "deletes this one, then deploys the new version"
            if news.replace == "delete-first"
            else "deploys the new version next to it, then deletes this one"
        )
        progress(
            resource,
            f"{olds.deployed_model or id_} keeps serving {served} while job {job_of(model)} trains; "
            f"the run that sees it trained {switch}",
        )
    return outs
