"""All rules of the emulated service, one method per operation; statuses derive from simulated time."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import shutil
import threading
import uuid
from pathlib import Path
from typing import IO, Any

from emulator.clock import SIM_EPOCH, SimClock, fmt_iso, fmt_iso_ms, fmt_job, fmt_task
from emulator.datasets import InvalidDatasetError, check_zip, prompts_of
from emulator.errors import ApiError
from emulator.store import Store

__all__ = ["Backend"]

PENDING_S = 60.0
EXPORT_S = 120.0
DEPLOY_S = 300.0
SCALE_S = 60.0
DELETE_S = 20.0
CANCEL_S = 10.0
TASK_PENDING_S = 2.0
TASK_S = 20.0
JOB_QUOTA = 20
MAX_FILE_BYTES = 1024**3
MAX_FILES = 10000
STEP_S = {("t2i", "1k"): 8.0, ("t2i", "2k"): 15.4, ("i2i", "1k"): 15.4, ("i2i", "2k"): 22.0}
LMAX = {("t2i", "1k"): 12800, ("t2i", "2k"): 23220, ("i2i", "1k"): 23220, ("i2i", "2k"): 32000}
WAN_MODELS = ("wan2.7-image-pro", "wan2.7-image")
QWEN_MODELS = ("qwen-image-2.0", "qwen-image-2.0-pro")
BASE_IMAGE_MODELS = (*WAN_MODELS, "wan2.6-image", "wan2.5-t2i-preview", *QWEN_MODELS)
WAN_DEFAULTS: dict[str, Any] = {
    "max_steps": 800,
    "eval_steps": 200,
    "learning_rate": 3e-5,
    "gradient_clip": 0.5,
    "weight_decay": 0.02,
    "lora_rank": 32,
    "save_total_limit": 10,
    "split": 0.9,
}
WAN_KEYS = {*WAN_DEFAULTS, "generation_type", "max_pixels", "val_img_size", "max_token_length"}
TERMINAL = ("SUCCEEDED", "FAILED", "CANCELED")
DEFAULT_WORKSPACE = "llm-default"
USER = "1234567890123456"


def _uuid() -> str:
    return str(uuid.uuid4())


def _page(items: list[dict[str, Any]], page_no: int, page_size: int) -> tuple[list[dict[str, Any]], int]:
    page_no, page_size = max(1, page_no), max(1, min(page_size, 200))
    start = (page_no - 1) * page_size
    return items[start : start + page_size], len(items)


class Backend:
    """State and rules. Thread-safe; no HTTP here."""

    def __init__(self, data_dir: Path, *, speed: float, region: str = "cn-beijing", job_quota: int = JOB_QUOTA) -> None:
        """Open state under `data_dir`; continue the persisted simulated clock."""
        self.job_quota = job_quota
        self.store = Store(data_dir)
        self.data_dir = data_dir
        (data_dir / "files").mkdir(parents=True, exist_ok=True)
        self.region = region
        self._lock = threading.RLock()
        saved = self.store.meta("sim_now")
        self.clock = SimClock(float(saved) if saved else SIM_EPOCH, speed)

    # -- time ----------------------------------------------------------------------------------------
    def now(self) -> float:
        """Simulated now; persisted so a restart continues from here."""
        now = self.clock.now()
        self.store.set_meta("sim_now", repr(now))
        return now

    def advance(self, seconds: float) -> None:
        """Move simulated time forward."""
        self.clock.advance(seconds)
        self.now()

    def reset(self) -> None:
        """Forget every record and stored file."""
        with self._lock:
            self.store.clear()
            shutil.rmtree(self.data_dir / "files", ignore_errors=True)
            (self.data_dir / "files").mkdir(parents=True, exist_ok=True)

    # -- files ---------------------------------------------------------------------------------------
    def upload(self, workspace: str, name: str, stream: IO[bytes], purpose: str, description: str) -> dict[str, Any]:
        """Store one uploaded file; refusals are returned as a failed upload."""
        live = [f for f in self.store.all("file") if not f.get("deleted")]
        if len(live) >= MAX_FILES:
            return {
                "name": name,
                "code": "BadRequest.TooMany",
                "message": f"Out of number, <{len(live)}> of <{MAX_FILES}> files has been uploaded.",
            }
        file_id = _uuid()
        target = self.data_dir / "files" / file_id
        md5, size = hashlib.md5(usedforsecurity=False), 0
        with target.open("wb") as out:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    break
                md5.update(chunk)
                out.write(chunk)
        if size > MAX_FILE_BYTES:
            target.unlink(missing_ok=True)
            return {
                "name": name,
                "code": "BadRequest.TooLarge",
                "message": f"Out of space, file {name} is larger than {MAX_FILE_BYTES} B.",
            }
        record = {
            "id": self.store.counter("file"),
            "file_id": file_id,
            "name": name,
            "description": description,
            "size": size,
            "md5": base64.b64encode(md5.digest()).decode(),
            "purpose": purpose,
            "created": self.now(),
            "workspace": workspace,
            "deleted": False,
        }
        self.store.put("file", file_id, record)
        return {"name": name, "file_id": file_id}

    def _file(self, workspace: str, file_id: str) -> dict[str, Any]:
        record = self.store.get("file", file_id)
        if record is None or record["deleted"] or record["workspace"] != workspace:
            raise ApiError.not_found("File not found.")
        return record

    def file_view(self, record: dict[str, Any], base_url: str) -> dict[str, Any]:
        """Wire form of a file."""
        return {
            "id": record["id"],
            "file_id": record["file_id"],
            "name": record["name"],
            "description": record["description"],
            "size": record["size"],
            "md5": record["md5"],
            "gmt_create": fmt_job(record["created"]),
            "purpose": record["purpose"],
            "url": f"{base_url}/_emulator/files/{record['file_id']}/{record['name']}",
            "region": self.region,
            "user_id": USER,
            "api_key_id": "67516",
        }

    def get_file(self, workspace: str, file_id: str, base_url: str) -> dict[str, Any]:
        """One file."""
        return self.file_view(self._file(workspace, file_id), base_url)

    def list_files(self, workspace: str, page_no: int, page_size: int, base_url: str) -> dict[str, Any]:
        """A page of files."""
        live = [f for f in self.store.all("file") if not f["deleted"] and f["workspace"] == workspace]
        page, total = _page(live, page_no, page_size)
        return {
            "total": total,
            "page_no": page_no,
            "page_size": page_size,
            "files": [self.file_view(f, base_url) for f in page],
        }

    def delete_file(self, workspace: str, file_id: str) -> None:
        """Delete a file."""
        with self._lock:
            record = self._file(workspace, file_id)
            record["deleted"] = True
            self.store.put("file", file_id, record)
            (self.data_dir / "files" / file_id).unlink(missing_ok=True)

    def file_path(self, file_id: str) -> Path:
        """Where the bytes of a file are."""
        return self.data_dir / "files" / file_id

    # -- fine-tunes ----------------------------------------------------------------------------------
    def _check_hp(self, model: str, hp: dict[str, Any]) -> dict[str, Any]:
        if model in QWEN_MODELS:
            return dict(hp)
        unknown = sorted(set(hp) - WAN_KEYS)
        if unknown:
            raise ApiError.invalid(f"Unsupported hyper parameter(s) for {model}: {', '.join(unknown)}")
        merged = {**WAN_DEFAULTS, **hp}
        gen = merged.get("generation_type")
        if gen not in ("t2i", "i2i"):
            raise ApiError.invalid("generation_type must be t2i or i2i")
        size = "2k" if gen == "t2i" else "1k"
        for key in ("max_pixels", "val_img_size", "max_token_length"):
            merged[key] = str(merged.get(key) or size).lower()
            if merged[key] not in ("1k", "2k"):
                raise ApiError.invalid(f"{key} must be 1k or 2k")
        for key, low in (("max_steps", 1), ("eval_steps", 0), ("lora_rank", 1), ("save_total_limit", 1)):
            value = merged[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ApiError.invalid(f"{key} must be an integer >= {low}")
        rank = merged["lora_rank"]
        if rank & (rank - 1):
            raise ApiError.invalid(f"lora_rank must be a power of 2, got {rank}")
        if not 0 < float(merged["split"]) < 1:
            raise ApiError.invalid("split must be in (0, 1)")
        if float(merged["learning_rate"]) <= 0:
            raise ApiError.invalid("learning_rate must be positive")
        return merged

    def create_job(self, workspace: str, body: dict[str, Any]) -> dict[str, Any]:
        """Submit a fine-tune job."""
        model = body.get("model")
        if not isinstance(model, str) or model not in BASE_IMAGE_MODELS:
            raise ApiError(404, "ModelNotFound", f"Model: {model} not found!")
        training_type = body.get("training_type") or "efficient_sft"
        if training_type != "efficient_sft":
            raise ApiError.invalid(f"The model {model} does not support training_type: {training_type}")
        train_ids = list(body.get("training_file_ids") or [])
        train_ids += [d.get("file_id") for d in body.get("training_datasets") or [] if isinstance(d, dict)]
        val_ids = list(body.get("validation_file_ids") or [])
        val_ids += [d.get("file_id") for d in body.get("validation_datasets") or [] if isinstance(d, dict)]
        if not train_ids:
            raise ApiError.invalid("Missing training files")
        for file_id in [*train_ids, *val_ids]:
            if not self._exists(workspace, str(file_id)):
                raise ApiError.invalid(f"File not found: {file_id}")
        hp = self._check_hp(model, dict(body.get("hyper_parameters") or {}))
        with self._lock:
            now = self.now()
            busy = [
                j
                for j in self.store.all("job")
                if not j["deleted"] and self._status(j, now)[0] in ("RUNNING", "SUCCEEDED")
            ]
            if len(busy) >= self.job_quota:
                raise ApiError(
                    429, "Throttling", f"Only {self.job_quota} fine-tune job in running or succeeded allowed per user."
                )
            stamp = fmt_job(now).replace("-", "").replace(" ", "").replace(":", "")[:12]
            job_id = f"ft-{stamp}-{secrets.token_hex(2)}"
            gen = hp.get("generation_type", "t2i")
            problem = None
            try:
                for file_id in train_ids:
                    check_zip(self.file_path(str(file_id)), role="training", generation_type=gen)
                for file_id in val_ids:
                    check_zip(self.file_path(str(file_id)), role="validation", generation_type=gen)
            except InvalidDatasetError as exc:
                problem = str(exc)
            record = {
                "job_id": job_id,
                "job_name": body.get("job_name") or job_id,
                "model": model,
                "train": [str(i) for i in train_ids],
                "val": [str(i) for i in val_ids],
                "hp": hp,
                "created": now,
                "cancel_at": None,
                "deleted": False,
                "workspace": workspace,
                "problem": problem,
                "exports": {},
                "finetuned_output": f"{model}-ft-{stamp}-{job_id[-4:]}",
            }
            self.store.put("job", job_id, record)
            return self.job_view(record, now)

    def _exists(self, workspace: str, file_id: str) -> bool:
        record = self.store.get("file", file_id)
        return bool(record and not record["deleted"] and record["workspace"] == workspace)

    def _steps(self, job: dict[str, Any]) -> tuple[int, float]:
        hp = job["hp"]
        steps = int(hp.get("max_steps") or hp.get("n_epochs", 10) * 10)
        key = (hp.get("generation_type", "t2i"), hp.get("max_token_length", "2k"))
        return steps, STEP_S.get(key, 15.4)

    def _schedule(self) -> dict[str, tuple[float, float]]:
        """(start, end) of every job that trains: one at a time, in creation order."""
        plan: dict[str, tuple[float, float]] = {}
        free_at = 0.0
        for job in self.store.all("job"):
            ready = job["created"] + PENDING_S
            if job["problem"] or (job["cancel_at"] is not None and job["cancel_at"] < ready):
                continue
            start = max(ready, free_at)
            if job["cancel_at"] is not None and job["cancel_at"] < start:
                continue
            steps, step_s = self._steps(job)
            end = start + steps * step_s
            if job["cancel_at"] is not None:
                end = min(end, job["cancel_at"])
            plan[job["job_id"]] = (start, end)
            free_at = end
        return plan

    def _status(  # noqa: PLR0911 - one return per lifecycle state reads best
        self,
        job: dict[str, Any],
        now: float,
        plan: dict[str, tuple[float, float]] | None = None,
    ) -> tuple[str, float | None, int]:
        """(status, end time or None, steps done)."""
        plan = self._schedule() if plan is None else plan
        ready = job["created"] + PENDING_S
        cancel = job["cancel_at"]
        steps, step_s = self._steps(job)
        if cancel is not None and now >= cancel:
            start, _ = plan.get(job["job_id"], (cancel, cancel))
            done = int(max(0.0, min(cancel, start + steps * step_s) - start) // step_s) if start < cancel else 0
            if now < cancel + CANCEL_S:
                return "CANCELING", None, done
            return "CANCELED", cancel + CANCEL_S, done
        if now < ready:
            return "PENDING", None, 0
        if job["problem"]:
            return "FAILED", ready, 0
        start, end = plan[job["job_id"]]
        if now < start:
            return "QUEUING", None, 0
        if now < end:
            return "RUNNING", None, int((now - start) // step_s)
        return "SUCCEEDED", end, steps

    def job_view(
        self,
        job: dict[str, Any],
        now: float,
        plan: dict[str, tuple[float, float]] | None = None,
    ) -> dict[str, Any]:
        """Wire form of a job."""
        status, end, done = self._status(job, now, plan)
        hp = job["hp"]
        lmax = LMAX.get((hp.get("generation_type", "t2i"), hp.get("max_token_length", "2k")), 23220)
        view: dict[str, Any] = {
            "job_id": job["job_id"],
            "job_name": job["job_name"],
            "status": status,
            "finetuned_output": job["finetuned_output"],
            "model": job["model"],
            "base_model": job["model"],
            "training_file_ids": job["train"],
            "validation_file_ids": job["val"],
            "training_datasets": [{"data_source_type": "file_id", "file_id": f} for f in job["train"]],
            "validation_datasets": [{"data_source_type": "file_id", "file_id": f} for f in job["val"]],
            "hyper_parameters": hp,
            "training_type": "efficient_sft",
            "create_time": fmt_job(job["created"]),
            "workspace_id": job["workspace"],
            "user_identity": USER,
            "creator": USER,
            "modifier": USER,
            "group": "llm",
            "max_output_cnt": hp.get("save_total_limit", 10),
            "output_cnt": len(self._checkpoints(job, now)),
        }
        if end is not None:
            view["end_time"] = fmt_job(end)
        if status in ("SUCCEEDED", "CANCELED"):
            view["usage"] = done * 10 * lmax
        if status == "FAILED":
            view["code"], view["message"] = "InvalidDataset", job["problem"]
        return view

    def _job(self, workspace: str, job_id: str) -> dict[str, Any]:
        job = self.store.get("job", job_id)
        if job is None or job["deleted"] or job["workspace"] != workspace:
            raise ApiError.not_found(f"Fine-tune job {job_id} not found.")
        return job

    def get_job(self, workspace: str, job_id: str) -> dict[str, Any]:
        """One job."""
        return self.job_view(self._job(workspace, job_id), self.now())

    def list_jobs(self, workspace: str, page_no: int, page_size: int, model: str | None) -> dict[str, Any]:
        """A page of jobs, newest first."""
        now, plan = self.now(), self._schedule()
        jobs = [
            j
            for j in reversed(self.store.all("job"))
            if not j["deleted"] and j["workspace"] == workspace and (not model or j["model"] == model)
        ]
        page, total = _page(jobs, page_no, page_size)
        return {
            "page_no": page_no,
            "page_size": page_size,
            "total": total,
            "jobs": [self.job_view(j, now, plan) for j in page],
        }

    def cancel_job(self, workspace: str, job_id: str) -> None:
        """Cancel a job that has not finished."""
        with self._lock:
            job = self._job(workspace, job_id)
            now = self.now()
            status = self._status(job, now)[0]
            if status in TERMINAL or status == "CANCELING":
                raise ApiError.unsupported(f"The fine-tune job {job_id} can not be canceled because it is {status}")
            job["cancel_at"] = now
            self.store.put("job", job_id, job)

    def delete_job(self, workspace: str, job_id: str) -> None:
        """Delete a finished job."""
        with self._lock:
            job = self._job(workspace, job_id)
            status = self._status(job, self.now())[0]
            if status not in TERMINAL:
                raise ApiError.unsupported(
                    f"The fine-tune job can not be deleted because it is {status.lower()}, cancel it first"
                )
            job["deleted"] = True
            self.store.put("job", job_id, job)

    def job_logs(self, workspace: str, job_id: str, offset: int, line: int) -> dict[str, Any]:
        """Log lines of a job."""
        job = self._job(workspace, job_id)
        now = self.now()
        status, end, done = self._status(job, now)
        stamp = fmt_job(job["created"])
        logs = [f"{stamp},000 - INFO - job {job_id} accepted"]
        if status != "PENDING":
            logs.append(
                f"{stamp},500 - INFO - data process {'failed' if job['problem'] else 'succeeded'}"
                + ("" if job["problem"] else ", start to fine-tune")
            )
        if job["problem"]:
            logs.append(f"{stamp},600 - ERROR - {job['problem']}")
        steps, _ = self._steps(job)
        logs += [f"{stamp},700 - INFO - step {s}/{steps}" for s in range(50, done + 1, 50)]
        if status in TERMINAL:
            logs.append(f"{fmt_job(end or now)},000 - INFO - finetune-job {status.lower()}")
            logs.append(f"{fmt_job(end or now)},001 - INFO - ##FT_COMPLETE##")
        offset, line = max(0, offset), max(1, min(line, 1000))
        return {"total": len(logs), "logs": logs[offset : offset + line]}

    def _checkpoints(self, job: dict[str, Any], now: float) -> list[dict[str, Any]]:
        plan = self._schedule()
        if job["job_id"] not in plan:
            return []
        start, end = plan[job["job_id"]]
        steps, step_s = self._steps(job)
        every = int(job["hp"].get("eval_steps") or steps) or steps
        marks = sorted({*range(every, steps + 1, every), steps})
        reached = [s for s in marks if start + s * step_s <= min(now, end + 1e-6)]
        keep = reached[-int(job["hp"].get("save_total_limit", 10)) :]
        result = []
        for step in reversed(keep):
            name = f"checkpoint-{step}"
            created = start + step * step_s
            export = job["exports"].get(name)
            item: dict[str, Any] = {
                "checkpoint_id": f"{job['job_id']}:{name}",
                "full_name": f"{job['job_id']}:{name}",
                "checkpoint": name,
                "job_id": job["job_id"],
                "step": step,
                "status": "PENDING",
                "create_time": fmt_iso(created),
                "expire_time": fmt_iso(created + 15 * 86400),
            }
            if export:
                item["status"] = "PROCESSING" if now < export["at"] + EXPORT_S else "SUCCEEDED"
                if item["status"] == "SUCCEEDED":
                    item["model_name"] = f"{job['finetuned_output']}-c{step}"
                    item["model_display_name"] = export["name"]
            result.append(item)
        return result

    def checkpoints(self, workspace: str, job_id: str) -> list[dict[str, Any]]:
        """Saved checkpoints, step descending."""
        return self._checkpoints(self._job(workspace, job_id), self.now())

    def export(self, workspace: str, job_id: str, checkpoint: str, model_name: str | None) -> bool:
        """Start exporting a checkpoint under a unique display name."""
        if not model_name or not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", model_name):
            raise ApiError.invalid("model_name is required and may use letters, digits, '_' and '-'")
        with self._lock:
            job = self._job(workspace, job_id)
            now = self.now()
            if checkpoint not in {c["checkpoint"] for c in self._checkpoints(job, now)}:
                raise ApiError.not_found(f"Checkpoint {checkpoint} of {job_id} not found.")
            for other in self.store.all("job"):
                for name, export in other["exports"].items():
                    same = other["job_id"] == job_id and name == checkpoint
                    if export["name"] == model_name and not same:
                        raise ApiError.invalid(f"Model name {model_name} already exists.")
            if checkpoint not in job["exports"]:
                job["exports"][checkpoint] = {"name": model_name, "at": now}
                self.store.put("job", job_id, job)
            return True

    def _previews(self, job: dict[str, Any]) -> list[dict[str, str]]:
        if job["val"]:
            return [p for f in job["val"] for p in prompts_of(self.file_path(f))]
        lines = [p for f in job["train"] for p in prompts_of(self.file_path(f))]
        return lines[-max(1, len(lines) // 10) :]

    def validation_results(self, workspace: str, job_id: str) -> list[dict[str, str]]:
        """Checkpoints with previews, once the job has finished."""
        job = self._job(workspace, job_id)
        now = self.now()
        if self._status(job, now)[0] != "SUCCEEDED" or not self._previews(job):
            return []
        return [{"checkpoint": c["checkpoint"]} for c in self._checkpoints(job, now)]

    def validation_details(  # noqa: PLR0917 - mirrors the endpoint's path and query parameters
        self, workspace: str, job_id: str, checkpoint: str, page_no: int, page_size: int, base_url: str
    ) -> dict[str, Any]:
        """Previews of one checkpoint (PNG URLs served by the emulator)."""
        job = self._job(workspace, job_id)
        if checkpoint not in {c["checkpoint"] for c in self._checkpoints(job, self.now())}:
            raise ApiError.not_found(f"Checkpoint {checkpoint} of {job_id} not found.")
        items = []
        for index, line in enumerate(self._previews(job)):
            item = {
                "prompt": line.get("prompt", ""),
                "img_path": f"{base_url}/_emulator/blobs/preview/{job_id}/{checkpoint}/{index}.png",
            }
            if "input_img" in line:
                item["input_img"] = f"{base_url}/_emulator/blobs/input/{job_id}/{index}.png"
            items.append(item)
        page, total = _page(items, page_no, page_size)
        return {"page_no": page_no, "page_size": page_size, "total": total, "list": page}

    def preview_prompt(self, job_id: str, index: int) -> str:
        """Prompt of preview `index` (for rendering its PNG)."""
        job = self.store.get("job", job_id)
        previews = self._previews(job) if job else []
        return previews[index]["prompt"] if 0 <= index < len(previews) else "unknown"

    # -- deployments ---------------------------------------------------------------------------------
    def _deployable(self, model_name: str) -> str | None:
        now = self.now()
        for job in self.store.all("job"):
            if job["deleted"]:
                continue
            if job["finetuned_output"] == model_name and self._status(job, now)[0] == "SUCCEEDED":
                return str(job["model"])
            for checkpoint in self._checkpoints(job, now):
                if checkpoint.get("model_name") == model_name:
                    return str(job["model"])
        return None

    def _dep_status(self, dep: dict[str, Any], now: float) -> str | None:
        if dep["delete_at"] is not None:
            return "DELETING" if now < dep["delete_at"] + DELETE_S else None
        if dep["scale_at"] is not None and now < dep["scale_at"] + SCALE_S:
            return "UPDATING"
        return "PENDING" if now < dep["created"] + DEPLOY_S else "RUNNING"

    def dep_view(self, dep: dict[str, Any], now: float) -> dict[str, Any]:
        """Wire form of a deployment."""
        return {
            "deployed_model": dep["deployed_model"],
            "model_name": dep["model_name"],
            "base_model": dep["base_model"],
            "status": self._dep_status(dep, now) or "DELETING",
            "plan": dep["plan"],
            "capacity": dep["capacity"],
            "name": dep["name"],
            "gmt_create": fmt_iso_ms(dep["created"]),
            "gmt_modified": fmt_iso_ms(dep["modified"]),
            "workspace_id": dep["workspace"],
            "charge_type": "post_paid",
            "creator": USER,
            "modifier": USER,
        }

    def _capacity(self, value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 1000:
            raise ApiError.invalid(
                f"Invalid capacity ({value}), capacity must be larger than or equal to 0 and multiples of 1 "
                "and less than 1000!"
            )
        return value

    def create_deployment(self, workspace: str, body: dict[str, Any]) -> dict[str, Any]:
        """Deploy a fine-tuned or exported model."""
        model_name = body.get("model_name")
        if not isinstance(model_name, str) or not model_name:
            raise ApiError.invalid("model_name is required")
        capacity = self._capacity(body.get("capacity", 1))
        plan = body.get("plan") or "lora"
        if plan not in ("lora", "mu", "cu", "ptu"):
            raise ApiError.invalid(f"Invalid plan {plan}")
        suffix = body.get("suffix")
        if suffix is not None and not re.fullmatch(r"[a-z0-9]{1,8}", str(suffix)):
            raise ApiError.invalid("suffix must be at most 8 lower-case letters or digits")
        with self._lock:
            base = self._deployable(model_name)
            if base is None:
                raise ApiError.invalid(f"The model {model_name} does not exist or is not deployable")
            deployed = f"{model_name}-{suffix}" if suffix else model_name
            now = self.now()
            existing = self.store.get("deployment", deployed)
            if existing and self._dep_status(existing, now) is not None:
                raise ApiError(409, "Conflict", f"Deployed model {deployed} already exists, please specify a suffix.")
            dep = {
                "deployed_model": deployed,
                "model_name": model_name,
                "base_model": base,
                "plan": plan,
                "capacity": capacity,
                "name": body.get("name") or deployed,
                "created": now,
                "modified": now,
                "scale_at": None,
                "delete_at": None,
                "workspace": workspace,
            }
            self.store.put("deployment", deployed, dep)
            return self.dep_view(dep, now)

    def _dep(self, workspace: str, deployed: str) -> dict[str, Any]:
        dep = self.store.get("deployment", deployed)
        if dep is None or dep["workspace"] != workspace or self._dep_status(dep, self.now()) is None:
            raise ApiError.not_found("Not found.")
        return dep

    def get_deployment(self, workspace: str, deployed: str) -> dict[str, Any]:
        """One deployment."""
        return self.dep_view(self._dep(workspace, deployed), self.now())

    def list_deployments(self, workspace: str, page_no: int, page_size: int) -> dict[str, Any]:
        """A page of deployments."""
        now = self.now()
        live = [
            d
            for d in self.store.all("deployment")
            if d["workspace"] == workspace and self._dep_status(d, now) is not None
        ]
        page, total = _page(live, page_no, page_size)
        return {
            "page_no": page_no,
            "page_size": page_size,
            "total": total,
            "deployments": [self.dep_view(d, now) for d in page],
        }

    def scale(self, workspace: str, deployed: str, body: dict[str, Any]) -> dict[str, Any]:
        """Change capacity."""
        with self._lock:
            dep = self._dep(workspace, deployed)
            now = self.now()
            if self._dep_status(dep, now) == "DELETING":
                raise ApiError.unsupported(f"Deployment {deployed} is being deleted")
            dep["capacity"] = self._capacity(body.get("capacity"))
            dep["scale_at"] = dep["modified"] = now
            self.store.put("deployment", deployed, dep)
            return self.dep_view(dep, now)

    def delete_deployment(self, workspace: str, deployed: str) -> dict[str, Any]:
        """Delete (DELETING, then gone)."""
        with self._lock:
            dep = self._dep(workspace, deployed)
            now = self.now()
            if dep["delete_at"] is None:
                dep["delete_at"] = dep["modified"] = now
                self.store.put("deployment", deployed, dep)
            return self.dep_view(dep, now)

    def running_model(self, workspace: str, model: str) -> bool:
        """A base model, or a RUNNING deployment."""
        if model in BASE_IMAGE_MODELS:
            return True
        dep = self.store.get("deployment", model)
        return bool(dep and dep["workspace"] == workspace and self._dep_status(dep, self.now()) == "RUNNING")

    # -- image tasks ---------------------------------------------------------------------------------
    def submit_task(self, workspace: str, body: dict[str, Any]) -> dict[str, Any]:
        """Queue an image generation."""
        model, prompt, params = self._generation(workspace, body)
        task_id = _uuid()
        now = self.now()
        task = {
            "task_id": task_id,
            "model": model,
            "prompt": prompt,
            "n": params["n"],
            "size": params["size"],
            "seed": params["seed"],
            "submitted": now,
            "canceled": None,
            "workspace": workspace,
        }
        self.store.put("task", task_id, task)
        return {"task_id": task_id, "task_status": "PENDING"}

    def _generation(self, workspace: str, body: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
        model = body.get("model")
        if not isinstance(model, str) or not self.running_model(workspace, model):
            raise ApiError(404, "ModelNotFound", f"Model: {model} not found!")
        try:
            content = body["input"]["messages"][0]["content"]
            prompt = next(str(c["text"]) for c in content if isinstance(c, dict) and "text" in c)
        except (KeyError, IndexError, TypeError, StopIteration) as exc:
            raise ApiError.invalid("input.messages[0].content needs a text item") from exc
        params = dict(body.get("parameters") or {})
        n = params.get("n", 1)
        if not isinstance(n, int) or not 1 <= n <= 4:
            raise ApiError.invalid("parameters.n must be 1 to 4")
        size = str(params.get("size", "2K"))
        if size not in ("1K", "2K", "4K") and not re.fullmatch(r"\d{3,4}\*\d{3,4}", size):
            raise ApiError.invalid("parameters.size must be 1K, 2K, 4K or W*H")
        return model, prompt, {"n": n, "size": size, "seed": int(params.get("seed") or 0)}

    def generate_sync(self, workspace: str, body: dict[str, Any], base_url: str) -> dict[str, Any]:
        """Synchronous generation: images at once."""
        model, prompt, params = self._generation(workspace, body)
        task_id = _uuid()
        self.store.put(
            "task",
            task_id,
            {
                "task_id": task_id,
                "model": model,
                "prompt": prompt,
                "n": params["n"],
                "size": params["size"],
                "seed": params["seed"],
                "submitted": self.now(),
                "canceled": None,
                "workspace": workspace,
                "sync": True,
            },
        )
        return self._choices(task_id, params["n"], base_url)

    @staticmethod
    def _choices(task_id: str, n: int, base_url: str) -> dict[str, Any]:
        return {
            "choices": [
                {
                    "finish_reason": "stop",
                    "message": {
                        "role": "assistant",
                        "content": [{"image": f"{base_url}/_emulator/blobs/task/{task_id}/{i}.png", "type": "image"}],
                    },
                }
                for i in range(n)
            ],
            "finished": True,
        }

    def get_task(self, task_id: str, base_url: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """(output, usage) of a task; unknown ids are UNKNOWN."""
        task = self.store.get("task", task_id)
        if task is None:
            return {"task_id": task_id, "task_status": "UNKNOWN"}, None
        now = self.now()
        submitted = task["submitted"]
        out: dict[str, Any] = {"task_id": task_id, "submit_time": fmt_task(submitted)}
        if task["canceled"] is not None:
            out.update(task_status="CANCELED", end_time=fmt_task(task["canceled"]))
            return out, None
        if now < submitted + TASK_PENDING_S:
            out["task_status"] = "PENDING"
            return out, None
        out["scheduled_time"] = fmt_task(submitted + TASK_PENDING_S)
        if now < submitted + TASK_S:
            out["task_status"] = "RUNNING"
            return out, None
        out.update(task_status="SUCCEEDED", end_time=fmt_task(submitted + TASK_S))
        out.update(self._choices(task_id, task["n"], base_url))
        return out, {
            "size": task["size"],
            "image_count": task["n"],
            "total_tokens": 770,
            "input_tokens": 79,
            "output_tokens": 691,
        }

    def cancel_task(self, task_id: str) -> None:
        """Cancel while PENDING only."""
        with self._lock:
            task = self.store.get("task", task_id)
            if task is None or task["canceled"] is not None or self.now() >= task["submitted"] + TASK_PENDING_S:
                raise ApiError.unsupported(
                    "Failed to cancel the task, please confirm if the task is in PENDING status."
                )
            task["canceled"] = self.now()
            self.store.put("task", task_id, task)

    def task_prompt(self, task_id: str) -> tuple[str, int]:
        """Prompt and seed of a task (for rendering)."""
        task = self.store.get("task", task_id) or {}
        return str(task.get("prompt", "unknown")), int(task.get("seed", 0))

    # -- control -------------------------------------------------------------------------------------
    def resources(self, base_url: str) -> dict[str, list[dict[str, Any]]]:
        """Everything, deleted included."""
        now, plan = self.now(), self._schedule()
        files = [
            dict(self.file_view(f, base_url), deleted=f["deleted"], workspace=f["workspace"])
            for f in self.store.all("file")
        ]
        jobs = [dict(self.job_view(j, now, plan), deleted=j["deleted"]) for j in self.store.all("job")]
        checkpoints = [dict(c, deleted=j["deleted"]) for j in self.store.all("job") for c in self._checkpoints(j, now)]
        deployments = [
            dict(self.dep_view(d, now), deleted=self._dep_status(d, now) is None) for d in self.store.all("deployment")
        ]
        tasks = [self.get_task(t["task_id"], base_url)[0] for t in self.store.all("task")]
        return {
            "files": files,
            "jobs": jobs,
            "checkpoints": checkpoints,
            "deployments": deployments,
            "tasks": tasks,
        }
