"""Deployments API."""

from __future__ import annotations

from collections.abc import Iterator

from pulumi_modelstudio.client._area import APIArea
from pulumi_modelstudio.client._paging import walk_pages
from pulumi_modelstudio.client._parse import parse, require_id
from pulumi_modelstudio.wire.deployments import CreateDeploymentRequest, Deployment, DeploymentDeletion, DeploymentList

__all__ = ["DeploymentsAPI"]


class DeploymentsAPI(APIArea):
    """`/deployments` operations."""

    def create(self, request: CreateDeploymentRequest) -> Deployment:
        """Deploy a model."""
        return self._create(Deployment, "deployments", request, what="create deployment")

    def get(self, deployed_model: str) -> Deployment:
        """One deployment."""
        path = f"deployments/{require_id('deployed_model', deployed_model)}"
        return self._get(Deployment, path, what=f"deployment {deployed_model}")

    def list(self, *, page_no: int = 1, page_size: int = 100) -> DeploymentList:
        """One page of deployments."""
        params = {"page_no": page_no, "page_size": page_size}
        return self._get(DeploymentList, "deployments", what="deployment list", params=params)

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
