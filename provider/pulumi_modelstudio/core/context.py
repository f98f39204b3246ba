"""What a resource core works with: whose objects it makes and how it reaches the service."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pulumi_modelstudio.core.identity import Owner
from pulumi_modelstudio.errors import ProvisioningError

if TYPE_CHECKING:
    from pulumi_modelstudio.client import ModelStudioClient
    from pulumi_modelstudio.core.model import Props

__all__ = ["Context"]


@dataclass(frozen=True)
class Context:
    """The owner kept by the front end, a client for one call, and the front end's name for errors."""

    kept_owner: Owner | None
    open_client: Callable[[], AbstractContextManager[ModelStudioClient]]
    name: str

    def owner(self, props: Props) -> Owner | None:
        """Who this resource is: kept by the front end, or read from state written before it was kept there."""
        if self.kept_owner is not None:
            return self.kept_owner
        return Owner.from_data({"project": props.project, "stack": props.stack, "resource": props.resource_name})

    def require_owner(self, props: Props) -> Owner:
        """The owner, needed to name and find what this resource creates."""
        owner = self.owner(props)
        if owner is None:
            msg = (
                f"{self.name}: no owner (project, stack, resource name) to name what it creates. "
                "Fix: declare the resource with its class from `provider` (it records the owner)."
            )
            raise ProvisioningError(msg)
        return owner

    def label(self, props: Props, fallback: str = "") -> str:
        """The resource name for progress lines and errors."""
        if self.kept_owner is not None:
            return self.kept_owner.resource
        return props.resource_name or fallback

    def client(self) -> AbstractContextManager[ModelStudioClient]:
        """A client for this call only."""
        return self.open_client()
