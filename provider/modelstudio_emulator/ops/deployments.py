"""Deployments: create, get, list, scale (not for LoRA), delete, deployable models, injected statuses."""

from __future__ import annotations

import re
import secrets
from typing import Any

from modelstudio_emulator.errors import ApiError
from modelstudio_emulator.lifecycle import DEPLOYMENT_STATUSES, deployment_status
from modelstudio_emulator.ops._paging import page
from modelstudio_emulator.ops.fine_tunes import BASE_IMAGE_MODELS, FineTunesOps
from modelstudio_emulator.records import DeploymentRecord
from modelstudio_emulator.state import State
from modelstudio_emulator.views import deleted_deployment_view, deployment_view

__all__ = ["PLANS", "DeploymentsOps"]

PLANS = ("lora", "mu", "cu", "ptu")
_SUFFIX = re.compile(r"[a-z0-9]{1,8}")


def _capacity(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 1000:
        raise ApiError.invalid(
            f"Invalid capacity ({value}), capacity must be larger than or equal to 0 and multiples of 1 "
            "and less than 1000!"
        )
    return value


class DeploymentsOps:
    """`/deployments` rules."""

    def __init__(self, state: State, fine_tunes: FineTunesOps) -> None:
        """Bind to the shared state; fine-tunes tell which models are deployable."""
        self.state = state
        self.fine_tunes = fine_tunes

    def status(self, dep: DeploymentRecord) -> str | None:
        """Current status, or None once deleted."""
        return deployment_status(dep, self.state.now())

    def view(self, dep: DeploymentRecord) -> dict[str, Any]:
        """Wire form of a deployment now."""
        return deployment_view(dep, self.status(dep) or "DELETING", self.state.compat)

    def _live(self) -> list[DeploymentRecord]:
        return [d for d in self.state.records.all(DeploymentRecord) if self.status(d) is not None]

    def _dep(self, workspace: str, deployed: str) -> DeploymentRecord:
        dep = self.state.records.get(DeploymentRecord, deployed)
        if dep is None or dep.workspace != workspace or self.status(dep) is None:
            raise ApiError.not_found("Not found.")
        return dep

    def _deployed_name(self, model_name: str, suffix: str | None) -> str:
        if suffix:
            return f"{model_name}-{suffix}"
        if self.state.compat.reads("deployed_model", "hex"):
            return f"{model_name}-{secrets.token_hex(4)}"
        return model_name

    def create(self, workspace: str, body: dict[str, Any]) -> dict[str, Any]:
        """Deploy a fine-tuned or exported model (`plan` defaults to `lora`, as the SDK sends none)."""
        model_name = body.get("model_name")
        if not isinstance(model_name, str) or not model_name:
            raise ApiError.invalid("model_name is required")
        capacity = _capacity(body.get("capacity", 1))
        plan = body.get("plan") or "lora"
        if plan not in PLANS:
            raise ApiError.invalid(f"Invalid plan {plan}")
        suffix = body.get("suffix")
        if suffix is not None and not _SUFFIX.fullmatch(str(suffix)):
            raise ApiError.invalid("suffix must be at most 8 lower-case letters or digits")
        with self.state.lock:
            base = self.fine_tunes.deployable().get(model_name)
            if base is None:
                raise ApiError.invalid(f"The model {model_name} does not exist or is not deployable")
            same = [d for d in self._live() if d.model_name == model_name and d.suffix == (suffix or None)]
            deployed = self._deployed_name(model_name, suffix)
            if same or any(d.deployed_model == deployed for d in self._live()):
                taken = same[0].deployed_model if same else deployed
                raise ApiError(409, "Conflict", f"Deployed model {taken} already exists, please specify a suffix.")
            now = self.state.now()
            dep = DeploymentRecord(
                deployed_model=deployed,
                model_name=model_name,
                base_model=base,
                plan=plan,
                capacity=capacity,
                name=str(body.get("name") or deployed),
                created=now,
                modified=now,
                workspace=workspace,
                suffix=suffix or None,
            )
            self.state.records.put(dep)
            return self.view(dep)

    def get(self, workspace: str, deployed: str) -> dict[str, Any]:
        """One deployment."""
        return self.view(self._dep(workspace, deployed))

    def current(self, workspace: str, deployed: str) -> dict[str, Any] | None:
        """One deployment, or None once it is gone (for the event stream)."""
        dep = self.state.records.get(DeploymentRecord, deployed)
        if dep is None or dep.workspace != workspace or self.status(dep) is None:
            return None
        return self.view(dep)

    def list_deployments(self, workspace: str, page_no: int, page_size: int) -> dict[str, Any]:
        """A page of deployments."""
        live = [d for d in self._live() if d.workspace == workspace]
        items, total = page(live, page_no, page_size)
        return {
            "page_no": page_no,
            "page_size": page_size,
            "total": total,
            "deployments": [self.view(d) for d in items],
        }

    def scale(self, workspace: str, deployed: str, body: dict[str, Any]) -> dict[str, Any]:
        """Change capacity; LoRA deployments are scaled in the console only (reference §5.1)."""
        with self.state.lock:
            dep = self._dep(workspace, deployed)
            if dep.plan == "lora":
                raise ApiError.unsupported(
                    f"Deployment {deployed} uses plan lora: capacity has no effect on LoRA deployments and they "
                    "cannot be scaled through the API; scale it in the Model Studio console."
                )
            if self.status(dep) == "DELETING":
                raise ApiError.unsupported(f"Deployment {deployed} is being deleted")
            dep.capacity = _capacity(body.get("capacity"))
            dep.scale_at = dep.modified = self.state.now()
            self.state.records.put(dep)
            return self.view(dep)

    def delete(self, workspace: str, deployed: str) -> dict[str, Any]:
        """Delete (DELETING, then gone); answers the object or only `{status}` per compat."""
        with self.state.lock:
            dep = self._dep(workspace, deployed)
            if dep.delete_at is None:
                dep.delete_at = dep.modified = self.state.now()
                dep.forced_status = dep.forced_until = None
                self.state.records.put(dep)
            return deleted_deployment_view(dep, self.status(dep) or "DELETING", self.state.compat)

    def models(self, workspace: str, page_no: int, page_size: int, source: str) -> dict[str, Any]:
        """Deployable models: base models (`model_source=base`) or this account's LoRA models (`custom`)."""
        del workspace
        if source not in ("base", "custom"):
            raise ApiError.invalid("model_source must be base or custom")
        if source == "base":
            models = [{"model_name": m, "plans": [{"plan": "mu"}]} for m in BASE_IMAGE_MODELS]
        else:
            models = [{"model_name": m, "plans": [{"plan": "lora"}]} for m in self.fine_tunes.deployable()]
        items, total = page(models, page_no, page_size)
        return {"page_no": page_no, "page_size": page_size, "total": total, "models": items}

    def running(self, workspace: str, model: str) -> bool:
        """Whether `model` is a RUNNING deployment of the workspace."""
        dep = self.state.records.get(DeploymentRecord, model)
        return bool(dep and dep.workspace == workspace and self.status(dep) == "RUNNING")

    def force_status(self, deployed: str, status: str | None, seconds: float | None) -> dict[str, Any]:
        """Control: hold a deployment in `status` (for `seconds`, or until cleared with None)."""
        if status is not None and status not in DEPLOYMENT_STATUSES:
            raise ApiError.invalid(f"status must be one of {', '.join(DEPLOYMENT_STATUSES)} or null")
        with self.state.lock:
            dep = self.state.records.get(DeploymentRecord, deployed)
            if dep is None or self.status(dep) is None:
                raise ApiError.not_found(f"Deployment {deployed} not found.")
            now = self.state.now()
            dep.forced_status = status
            dep.forced_until = now + seconds if status is not None and seconds is not None else None
            dep.modified = now
            self.state.records.put(dep)
            return self.view(dep)
