"""Every fine-tune, deployment, file and image call of the dashscope 1.x module API, against a running emulator.

Run in-process with the installed package's 1.x module API, and by `test_dashscope_sdk_v1.py` under the latest
dashscope 1.x release: `python -m tests.contract.sdk_v1_calls API_URL WORKDIR COMPAT`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import dashscope
import httpx
from dashscope.aigc.image_generation import ImageGeneration
from pulumi_modelstudio.datasets.pack import pack_dataset

REPO = Path(__file__).resolve().parents[2]
KEY = "sk-sdk-v1"
GUIDE_HP = {
    "learning_rate": 3e-5,
    "max_steps": 100,
    "eval_steps": 50,
    "max_token_length": "2k",
    "max_pixels": "2k",
    "val_img_size": "2k",
    "generation_type": "t2i",
    "lora_rank": 32,
    "lora_alpha": 32,
}
TRAIN_S = 60 + 100 * 15.4 + 1
# The SDK's own type stubs lag its runtime API; the contract is checked at run time.
sdk: Any = dashscope
image_generation: Any = ImageGeneration


def _ok(response: Any, what: str) -> Any:
    assert response.status_code == 200, f"{what}: {response}"
    return response.output


class Run:
    """One pass over the SDK against the emulator at `api_url`."""

    def __init__(self, api_url: str, work: Path, compat: str) -> None:
        """Point the SDK at the emulator."""
        self.api_url = api_url
        self.control_url = api_url.removesuffix("/api/v1") + "/_emulator"
        self.work = work
        self.compat = compat
        sdk.base_http_api_url = api_url
        sdk.api_key = KEY

    def control(self, path: str, body: Any = None) -> Any:
        """Call an emulator control endpoint."""
        answer = httpx.request("POST" if body is not None else "GET", f"{self.control_url}/{path}", json=body)
        answer.raise_for_status()
        return answer.json()

    def clock(self, **body: float) -> None:
        """Set the speed and/or advance simulated time."""
        self.control("clock", body)

    def files(self) -> str:
        """Files.upload/get/list/delete; returns the id of an uploaded training zip."""
        lines = self.work / "data.jsonl"
        lines.write_text('{"prompt": "s86b5p, a mug", "img_path": "./1.png"}\n', encoding="utf-8")
        uploaded = _ok(sdk.Files.upload(file_path=str(lines), description="jsonl"), "Files.upload")
        jsonl_id = uploaded["uploaded_files"][0]["file_id"]
        assert _ok(sdk.Files.get(jsonl_id), "Files.get")["name"] == "data.jsonl"
        packed = pack_dataset(REPO / "stacks" / "datasets" / "product-t2i", self.work / "train.zip")
        # A zip needs a purpose other than the SDK's fine-tune default, which checks the file is JSON Lines.
        zipped = _ok(sdk.Files.upload(file_path=str(packed.path), purpose="inference"), "Files.upload zip")
        zip_id = str(zipped["uploaded_files"][0]["file_id"])
        listed = _ok(sdk.Files.list(page=1, page_size=10), "Files.list")
        assert {f["file_id"] for f in listed["files"]} == {jsonl_id, zip_id}
        _ok(sdk.Files.delete(jsonl_id), "Files.delete")
        gone = sdk.Files.get(jsonl_id)
        assert (gone.status_code, gone.code, gone.message) == (400, "InvalidParameter", "File not found."), gone
        return zip_id

    def fine_tunes(self, file_id: str) -> str:
        """FineTunes.call/get/list/logs/stream_events/wait/cancel/delete; returns a finished job's output model."""
        job = _ok(
            sdk.FineTunes.call(
                model="wan2.7-image-pro", training_file_ids=file_id, mode="efficient_sft", hyper_parameters=GUIDE_HP
            ),
            "FineTunes.call",
        )
        job_id = job["job_id"]
        assert job["status"] == "PENDING"
        assert _ok(sdk.FineTunes.get(job_id), "FineTunes.get")["job_id"] == job_id
        assert _ok(sdk.FineTunes.list(), "FineTunes.list")["total"] == 1
        self.clock(speed=5000)
        statuses = [_ok(event, "FineTunes.stream_events") for event in sdk.FineTunes.stream_events(job_id)]
        assert '"SUCCEEDED"' in str(statuses[-1]), statuses
        self.clock(speed=0)
        done = _ok(sdk.FineTunes.wait(job_id), "FineTunes.wait")
        assert done["status"] == "SUCCEEDED"
        logs = _ok(sdk.FineTunes.logs(job_id, offset=0, line=1000), "FineTunes.logs")
        assert logs["logs"][-1].endswith("##FT_COMPLETE##")
        other = _ok(
            sdk.FineTunes.call(model="wan2.7-image", training_file_ids=[file_id], hyper_parameters=GUIDE_HP), ""
        )
        assert _ok(sdk.FineTunes.cancel(other["job_id"]), "FineTunes.cancel")["status"] == "success"
        self.clock(advance_seconds=11)
        deleted = sdk.FineTunes.delete(other["job_id"])
        if self.compat == "default":
            assert _ok(deleted, "FineTunes.delete")["status"] == "success"
        else:
            assert (deleted.status_code, deleted.code) == (400, "UnsupportedOperation"), deleted
        return str(done["finetuned_output"])

    def deployments(self, model: str) -> str:
        """Deployments.call/get/list/stream_events/scale/delete; returns a RUNNING LoRA deployment."""
        created = _ok(sdk.Deployments.call(model=model, capacity=1), "Deployments.call")  # no plan: LoRA
        deployed = created["deployed_model"]
        assert created["status"] == "PENDING"
        self.clock(speed=200)
        events = [_ok(e, "Deployments.stream_events") for e in sdk.Deployments.stream_events(deployed)]
        assert '"RUNNING"' in str(events[-1]), events
        self.clock(speed=0)
        assert _ok(sdk.Deployments.get(deployed), "Deployments.get")["status"] == "RUNNING"
        assert _ok(sdk.Deployments.list(page_no=1, page_size=10), "Deployments.list")["total"] == 1
        refused = sdk.Deployments.scale(deployed, 2)  # LoRA deployments are scaled in the console only
        assert (refused.status_code, refused.code) == (400, "UnsupportedOperation"), refused
        unit = _ok(sdk.Deployments.call(model=model, capacity=1, suffix="mu", plan="mu"), "Deployments.call mu")
        scaled = _ok(sdk.Deployments.scale(unit["deployed_model"], 2), "Deployments.scale")
        assert (scaled["capacity"], scaled["status"]) == (2, "UPDATING")
        assert _ok(sdk.Deployments.delete(unit["deployed_model"]), "Deployments.delete")["status"] == "DELETING"
        return str(deployed)

    def images(self, deployed: str) -> None:
        """ImageSynthesis and ImageGeneration: call, async_call, fetch, wait, cancel, list."""
        self.clock(speed=1000)
        synthesized = _ok(sdk.ImageSynthesis.call(model=deployed, prompt="s86b5p, a mug", n=1), "ImageSynthesis")
        assert synthesized["task_status"] == "SUCCEEDED"
        assert httpx.get(synthesized["results"][0]["url"]).content.startswith(b"\x89PNG")
        self.clock(speed=0)
        pending = _ok(sdk.ImageSynthesis.async_call(model=deployed, prompt="a lamp"), "ImageSynthesis.async_call")
        assert _ok(sdk.ImageSynthesis.fetch(pending["task_id"]), "fetch")["task_status"] == "PENDING"
        _ok(sdk.ImageSynthesis.cancel(pending["task_id"]), "ImageSynthesis.cancel")
        canceled = _ok(sdk.ImageSynthesis.fetch(pending["task_id"]), "fetch")
        assert canceled["task_status"] == "CANCELED", canceled
        listed = sdk.ImageSynthesis.list(page_no=1, page_size=10)
        assert listed.status_code == 200, listed
        messages = [{"role": "user", "content": [{"text": "s86b5p, a mug on a table"}]}]
        generated = _ok(image_generation.call(model=deployed, messages=messages), "ImageGeneration.call")
        assert generated["choices"][0]["message"]["content"][0]["image"].startswith("http")
        task = _ok(image_generation.async_call(model=deployed, messages=messages), "ImageGeneration.async_call")
        self.clock(advance_seconds=21)
        assert _ok(image_generation.wait(task["task_id"]), "ImageGeneration.wait")["task_status"] == "SUCCEEDED"
        assert _ok(image_generation.fetch(task["task_id"]), "ImageGeneration.fetch")["task_status"] == "SUCCEEDED"
        assert image_generation.list(page_no=1, page_size=10).status_code == 200

    def all(self) -> None:
        """Every area in order."""
        self.clock(speed=0)
        file_id = self.files()
        model = self.fine_tunes(file_id)
        deployed = self.deployments(model)
        self.images(deployed)


def main(argv: list[str]) -> int:
    """`API_URL WORKDIR COMPAT`; prints the SDK version on success."""
    Run(argv[0], Path(argv[1]), argv[2]).all()
    print(f"dashscope {sdk.__version__}: every call answered as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
