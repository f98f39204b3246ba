"""Deployment API objects."""

from __future__ import annotations

from pydantic import Field

from pulumi_modelstudio.wire._base import Answer, Page, Request

__all__ = ["CreateDeploymentRequest", "Deployment", "DeploymentDeletion", "DeploymentList"]


class Deployment(Answer):
    """A deployment."""

    deployed_model: str
    model_name: str | None = None
    base_model: str | None = None
    status: str
    plan: str | None = None
    capacity: int | None = None
    name: str | None = None
    gmt_create: str | None = None


class DeploymentDeletion(Answer):
    """`output` of a deployment DELETE: the deployment object, or only `{"status": "DELETING"}`."""

    status: str
    deployed_model: str | None = None


class DeploymentList(Page):
    """`output` of a deployment list."""

    deployments: list[Deployment] = Field(default_factory=list)


class CreateDeploymentRequest(Request):
    """Body of `POST /deployments`."""

    model_name: str
    capacity: int = 1
    plan: str = "lora"
    suffix: str | None = None
    name: str | None = None
