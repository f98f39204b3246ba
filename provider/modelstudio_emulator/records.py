"""Typed records of the emulated account, stored as JSON by `Store`; unknown or missing keys are tolerated."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar, TypeVar

from modelstudio_emulator.store import Store

__all__ = [
    "DeploymentRecord",
    "ExportRecord",
    "FileRecord",
    "JobRecord",
    "Record",
    "Repository",
    "TaskRecord",
]

R = TypeVar("R", bound="Record")


@dataclass
class Record:
    """Base: a kind name, a key, and JSON conversion that survives older stored shapes."""

    kind: ClassVar[str] = ""

    @property
    def key(self) -> str:
        """Primary key within the kind."""
        raise NotImplementedError

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return asdict(self)

    @classmethod
    def from_json(cls: type[R], data: dict[str, Any]) -> R:
        """Build from stored data, ignoring keys this version does not know."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class FileRecord(Record):
    """An uploaded file."""

    kind: ClassVar[str] = "file"
    id: int
    file_id: str
    name: str
    description: str
    size: int
    md5: str
    purpose: str
    created: float
    workspace: str
    deleted: bool = False

    @property
    def key(self) -> str:
        """The file id."""
        return self.file_id


@dataclass
class ExportRecord:
    """A checkpoint export request: the display name and when it was asked for."""

    name: str
    at: float


@dataclass
class JobRecord(Record):
    """A fine-tune job as submitted; its status is derived from time (see `lifecycle`)."""

    kind: ClassVar[str] = "job"
    job_id: str
    job_name: str
    model: str
    train: list[str]
    val: list[str]
    hp: dict[str, Any]
    created: float
    workspace: str
    finetuned_output: str
    cancel_at: float | None = None
    deleted: bool = False
    problem: str | None = None
    problem_code: str = "InvalidDataset"
    exports: dict[str, ExportRecord] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Stored exports come back as plain dicts."""
        self.exports = {name: ExportRecord(**e) if isinstance(e, dict) else e for name, e in dict(self.exports).items()}

    @property
    def key(self) -> str:
        """The job id."""
        return self.job_id


@dataclass
class DeploymentRecord(Record):
    """A deployment; `forced_status` is set through the control API to simulate account or service events."""

    kind: ClassVar[str] = "deployment"
    deployed_model: str
    model_name: str
    base_model: str
    plan: str
    capacity: int
    name: str
    created: float
    modified: float
    workspace: str
    suffix: str | None = None
    scale_at: float | None = None
    delete_at: float | None = None
    forced_status: str | None = None
    forced_until: float | None = None

    @property
    def key(self) -> str:
        """The deployed model id."""
        return self.deployed_model


@dataclass
class TaskRecord(Record):
    """An image generation task (`generation`: messages protocol; `synthesis`: legacy prompt protocol)."""

    kind: ClassVar[str] = "task"
    task_id: str
    model: str
    prompt: str
    n: int
    size: str
    seed: int
    submitted: float
    workspace: str
    canceled: float | None = None
    sync: bool = False
    protocol: str = "generation"

    @property
    def key(self) -> str:
        """The task id."""
        return self.task_id


class Repository:
    """Typed access to the JSON store."""

    def __init__(self, store: Store) -> None:
        """Wrap `store`."""
        self.store = store

    def get(self, cls: type[R], key: str) -> R | None:
        """One record or None."""
        data = self.store.get(cls.kind, key)
        return cls.from_json(data) if data is not None else None

    def all(self, cls: type[R]) -> list[R]:
        """Every record of a kind, oldest first."""
        return [cls.from_json(d) for d in self.store.all(cls.kind)]

    def put(self, record: Record) -> None:
        """Insert or replace."""
        self.store.put(record.kind, record.key, record.to_json())

    def next_id(self, name: str) -> int:
        """Next value of a named counter."""
        return self.store.counter(name)
