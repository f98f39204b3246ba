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
    """Base: a kind name, the field holding the key, and JSON conversion that survives older stored shapes."""

    kind: ClassVar[str] = ""
    key_field: ClassVar[str] = ""

    def __init_subclass__(cls, *, kind: str, key_field: str, **kwargs: Any) -> None:
        """Set the kind name and the field holding the key, given as class keywords."""
        super().__init_subclass__(**kwargs)
        cls.kind = kind
        cls.key_field = key_field

    @property
    def key(self) -> str:
        """Primary key within the kind: the value of the `key_field` field."""
        return str(getattr(self, self.key_field))

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return asdict(self)

    @classmethod
    def from_json(cls: type[R], data: dict[str, Any]) -> R:
        """Build from stored data, ignoring keys this version does not know."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class FileRecord(Record, kind="file", key_field="file_id"):
    """An uploaded file."""

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


@dataclass
class ExportRecord:
    """A checkpoint export request: the display name and when it was asked for."""

    name: str
    at: float


@dataclass
class JobRecord(Record, kind="job", key_field="job_id"):
    """A fine-tune job as submitted; its status is derived from time (see `lifecycle`)."""

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


@dataclass
class DeploymentRecord(Record, kind="deployment", key_field="deployed_model"):
    """A deployment; `forced_status` is set through the control API to simulate account or service events."""

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


@dataclass
class TaskRecord(Record, kind="task", key_field="task_id"):
    """An image generation task (`generation`: messages protocol; `synthesis`: legacy prompt protocol)."""

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
