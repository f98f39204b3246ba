"""Deployments API."""

from __future__ import annotations

from collections.abc import Iterator

from pulumi_modelstudio.client._paging import walk_pages
from pulumi_modelstudio.client._parse import parse, require_id
from pulumi_modelstudio.transport import Transport
from pulumi_modelstudio.wire.deployments import CreateDeploymentRequest, Deployment, DeploymentDeletion, DeploymentList

__all__ = ["DeploymentsAPI"]


class DeploymentsAPI:
    """`/deployments` operations."""

    def __init__(self, transport: Transport) -> None:
        """Bind to a transport."""
        self._t = transport

    def create(self, request: CreateDeploymentRequest) -> Deployment:
        """Deploy a model."""
        body = self._t.request("POST", "deployments", json=request.model_dump(exclude_none=True))
        return parse(Deployment, body.get("output"), what="create deployment", request_id=body.get("request_id"))

    def get(self, deployed_model: str) -> Deployment:
        """One deployment."""
        body = self._t.request("GET", f"deployments/{require_id('deployed_model', deployed_model)}")
        return parse(Deployment, body.get("output"), what=f"deployment {deployed_model}")

    def list(self, *, page_no: int = 1, page_size: int = 100) -> DeploymentList:
        """One page of deployments."""
        body = self._t.request("GET", "deployments", params={"page_no": page_no, "page_size": page_size})
        return parse(DeploymentList, body.get("output"), what="deployment list")

    def iter_all(self) -> Iterator[Deployment]:
        """Every deployment, page by page."""
        return walk_pages(lambda n: self.list(page_no=n), lambda page: page.deployments)

    def scale(self, deployed_model: str, capacity: int) -> Deployment:
        """Change capacity."""
        body = self._t.request(
            "PUT",
            f"deployments/{require_id('deployed_model', deployed_model)}/scale",
            json={"deployed_model": deployed_model, "capacity": capacity},
        )
        return parse(Deployment, body.get("output"), what=f"scale {deployed_model}")

    def delete(self, deployed_model: str) -> DeploymentDeletion:
        """Delete (status DELETING, then gone); the answer may be the object or only its status."""
        body = self._t.request("DELETE", f"deployments/{require_id('deployed_model', deployed_model)}")
        return parse(DeploymentDeletion, body.get("output"), what=f"delete {deployed_model}")
