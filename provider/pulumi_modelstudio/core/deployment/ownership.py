"""Which deployment a Deployment owns: found by listing deployments of its model, never by guessing its id.

The service names a deployment `<model_name>-<suffix>` (or, some answers suggest, `<model_name>-<8 hex>`
without a suffix), and may or may not echo the `name` sent on create. A deployment is this declaration's when
it echoes this declaration's `name`, when it carries the suffix derived from the owner key (only this
declaration makes it), or when it appeared after this run's own create request. A deployment that takes an
explicitly declared suffix but shows none of these is someone else's: it is never adopted, nor deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from pulumi_modelstudio.core.identity import Owner, deployment_name, deployment_suffix
from pulumi_modelstudio.errors import ProvisioningError

if TYPE_CHECKING:
    from pulumi_modelstudio.wire.deployments import Deployment

__all__ = ["DeploymentIdentity", "find_own_deployment"]


class DeploymentIdentity(NamedTuple):
    """How a declaration's deployment of one model is named and recognised."""

    model_name: str
    suffix: str
    derived: bool
    """True when the suffix comes from the owner key (it proves ownership), False when the user declared it."""
    name: str

    @classmethod
    def of(cls, owner: Owner, model_name: str, declared_suffix: str | None) -> DeploymentIdentity:
        """The identity of `owner`'s deployment of `model_name`."""
        derived = not declared_suffix
        suffix = deployment_suffix(owner, model_name) if derived else str(declared_suffix)
        return cls(model_name=model_name, suffix=suffix, derived=derived, name=deployment_name(owner))


def _newest(deployments: Iterable[Deployment]) -> Deployment | None:
    return max(deployments, key=lambda d: d.gmt_create or "", default=None)


def find_own_deployment(
    listed: list[Deployment], identity: DeploymentIdentity, listed_before_create: set[str] | None, resource: str
) -> Deployment | None:
    """This declaration's deployment of the model, if any; raises when its suffix is taken by another one."""
    same_model = [d for d in listed if d.model_name == identity.model_name]
    named = _newest(d for d in same_model if d.name == identity.name)
    if named is not None:
        return named
    with_suffix = [d for d in same_model if d.deployed_model.endswith(f"-{identity.suffix}")]
    if identity.derived and with_suffix:
        return _newest(with_suffix)
    if listed_before_create is not None:
        fresh = _newest(d for d in same_model if d.deployed_model not in listed_before_create)
        if fresh is not None:
            return fresh
    taken = [d for d in with_suffix if d.status != "DELETING"]
    if taken:
        other = taken[0]
        shown = f"its name is {other.name!r}" if other.name else "it carries no name"
        msg = (
            f"Deployment '{resource}': {other.deployed_model} already serves {identity.model_name} with suffix "
            f"'{identity.suffix}', and nothing shows this stack created it ({shown}, not {identity.name!r}). "
            "Fix: remove `suffix` so this stack deploys under a suffix of its own, or choose a suffix no other "
            f"deployment of this model uses; if it is a leftover of this stack, delete {other.deployed_model} "
            "(`DELETE /api/v1/deployments/<deployed_model>`) and run again."
        )
        raise ProvisioningError(msg)
    return _newest(with_suffix)
