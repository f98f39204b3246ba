"""The emulated account: shared state plus one operations object per API area (no HTTP here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from modelstudio_emulator.compat import Compat
from modelstudio_emulator.lifecycle import deployment_status
from modelstudio_emulator.ops.deployments import DeploymentsOps
from modelstudio_emulator.ops.files import FilesOps
from modelstudio_emulator.ops.fine_tunes import FineTunesOps
from modelstudio_emulator.ops.images import ImagesOps
from modelstudio_emulator.records import DeploymentRecord, FileRecord, JobRecord, TaskRecord
from modelstudio_emulator.state import JOB_QUOTA, Settings, State
from modelstudio_emulator.store import Store
from modelstudio_emulator.views import Links, file_view

__all__ = ["Backend"]


class Backend:
    """`files`, `fine_tunes`, `deployments` and `images` over one `State`."""

    def __init__(
        self,
        data_dir: Path,
        *,
        speed: float,
        region: str = "cn-beijing",
        job_quota: int = JOB_QUOTA,
        compat: Compat | None = None,
    ) -> None:
        """Open state under `data_dir`; continue the persisted simulated clock."""
        self.state = State(
            data_dir, speed=speed, settings=Settings(region=region, job_quota=job_quota), compat=compat or Compat()
        )
        self.files = FilesOps(self.state)
        self.fine_tunes = FineTunesOps(self.state)
        self.deployments = DeploymentsOps(self.state, self.fine_tunes)
        self.images = ImagesOps(self.state, self.deployments)

    @property
    def store(self) -> Store:
        """The SQLite store."""
        return self.state.store

    @property
    def compat(self) -> Compat:
        """Compatibility readings in force."""
        return self.state.compat

    @property
    def region(self) -> str:
        """The emulated region."""
        return self.state.settings.region

    @property
    def speed(self) -> float:
        """Simulated seconds per real second."""
        return self.state.clock.speed

    def now(self) -> float:
        """Simulated now."""
        return self.state.now()

    def advance(self, seconds: float) -> None:
        """Move simulated time forward."""
        self.state.advance(seconds)

    def set_speed(self, speed: float) -> None:
        """Change the speed of simulated time."""
        self.state.clock.set_speed(speed)

    def reset(self) -> None:
        """Forget every record and stored file."""
        self.state.reset()

    def file_path(self, file_id: str) -> Path:
        """Where the bytes of a file are."""
        return self.state.file_path(file_id)

    def resources(self, links: Links) -> dict[str, list[dict[str, Any]]]:
        """Everything, deleted included (`deleted: true`), for tests and the request inspector."""
        state = self.state
        now, plan = state.now(), state.schedule()
        files = [
            dict(file_view(f, links, state.settings.region), deleted=f.deleted, workspace=f.workspace)
            for f in state.records.all(FileRecord)
        ]
        jobs = [dict(self.fine_tunes.view(j, now, plan), deleted=j.deleted) for j in state.records.all(JobRecord)]
        checkpoints = [dict(c, deleted=job.deleted) for job, c in self.fine_tunes.all_checkpoints()]
        deployments = [
            dict(
                self.deployments.view(d),
                capacity=d.capacity,
                deleted=deployment_status(d, now) is None,
            )
            for d in state.records.all(DeploymentRecord)
        ]
        tasks = [self.images.get_task(t.task_id, links)[0] for t in state.records.all(TaskRecord) if not t.sync]
        return {
            "files": files,
            "jobs": jobs,
            "checkpoints": checkpoints,
            "deployments": deployments,
            "tasks": tasks,
        }
