"""Objects made outside Pulumi with the official `dashscope` SDK, the way a team starts before moving to stacks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dashscope
import httpx
from pulumi_modelstudio.datasets.pack import pack_dataset

REPO = Path(__file__).resolve().parents[1]
TRAIN = REPO / "stacks" / "datasets" / "product-t2i"
SDK_KEY = "sk-made-with-the-sdk-0123"
# The SDK's own type stubs lag its runtime API; the contract is checked at run time.
FineTunes: Any = dashscope.FineTunes
Deployments: Any = dashscope.Deployments


@contextmanager
def sdk_against(api_url: str) -> Iterator[None]:
    """Point the SDK (a process-wide setting) at `api_url` for the duration."""
    saved = dashscope.base_http_api_url, dashscope.api_key
    dashscope.base_http_api_url, dashscope.api_key = api_url, SDK_KEY
    try:
        yield
    finally:
        dashscope.base_http_api_url, dashscope.api_key = saved


@dataclass
class OutOfBand:
    """Makes files, jobs, exports and deployments in an emulator without Pulumi."""

    emulator_url: str
    api_url: str
    workdir: Path

    def _advance(self, seconds: float) -> None:
        httpx.post(f"{self.emulator_url}/_emulator/clock", json={"advance_seconds": seconds}, timeout=30)

    def upload(self, name: str = "train.zip") -> str:
        """Upload the example dataset as a zip (raw HTTP: the SDK's upload accepts only JSONL)."""
        packed = pack_dataset(TRAIN, self.workdir / name)
        with packed.path.open("rb") as stream:
            answer = httpx.post(
                f"{self.api_url}/files",
                files={"files": (name, stream)},
                data={"purpose": "fine-tune"},
                headers={"Authorization": f"Bearer {SDK_KEY}"},
                timeout=60,
            )
        answer.raise_for_status()
        return str(answer.json()["data"]["uploaded_files"][0]["file_id"])

    def train(self, file_id: str, *, max_steps: int = 200, model: str = "wan2.7-image") -> dict[str, Any]:
        """Train with `dashscope.FineTunes.call` and let it finish; returns the job."""
        with sdk_against(self.api_url):
            created = FineTunes.call(
                model=model,
                training_file_ids=[file_id],
                hyper_parameters={"generation_type": "t2i", "max_steps": max_steps},
            )
            assert created.status_code == 200, created
            job_id = created.output["job_id"]
            self._advance(60 + max_steps * 15.4 + 1)
            job: dict[str, Any] = FineTunes.get(job_id).output
        assert job["status"] == "SUCCEEDED", job
        return job

    def export(self, job_id: str, checkpoint: str, name: str) -> dict[str, Any]:
        """Export a checkpoint as in the console (the SDK has no call for it); returns the checkpoint."""
        answer = httpx.get(
            f"{self.api_url}/fine-tunes/{job_id}/export/{checkpoint}",
            params={"model_name": name},
            headers={"Authorization": f"Bearer {SDK_KEY}"},
            timeout=30,
        )
        answer.raise_for_status()
        self._advance(600)
        listed = httpx.get(
            f"{self.api_url}/fine-tunes/{job_id}/checkpoints",
            headers={"Authorization": f"Bearer {SDK_KEY}"},
            timeout=30,
        ).json()["output"]
        found: dict[str, Any] = next(c for c in listed if c["checkpoint"] == checkpoint)
        assert found["status"] == "SUCCEEDED", found
        return found

    def deploy(self, model: str, *, capacity: int = 1, suffix: str | None = None) -> str:
        """Deploy with `dashscope.Deployments.call` and wait until RUNNING; returns the deployed model."""
        with sdk_against(self.api_url):
            extra = {"suffix": suffix} if suffix else {}
            created = Deployments.call(model=model, capacity=capacity, **extra)
            assert created.status_code == 200, created
            deployed = str(created.output["deployed_model"])
            self._advance(301)
            assert Deployments.get(deployed).output["status"] == "RUNNING"
        return deployed
