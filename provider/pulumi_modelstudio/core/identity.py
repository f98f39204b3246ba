"""Who owns an object: one short key per (project, stack, resource), and every name derived from it.

Every object a stack creates carries its owner key, so a stack only ever adopts (after an interrupted run),
retains or deletes objects it created itself, and stacks sharing one account never collide:

- uploaded file:   `<resource>-<key>-<sha12>.zip`        (sha12: first 12 hex of the dataset's content digest)
- job_name:        `<stem>-<key>-<spec10>`               (spec10: digest of model, hyper-parameters and data)
- export name:     `<stem>-<key>-<job_id>`               (the checkpoint's `model_name` display name)
- deployment name: `<stem>-<key>`                        (the `name` field sent on create)
- suffix:          `sha256(<key> ":" <model_name>)[:8]`  (when the declaration sets none)

`<key>` is `sha256(<project> NUL <stack> NUL <resource>)[:8]` in lower-case hex and `<stem>` is
`<project>-<stack>-<resource>`, shortened so the whole name fits 64 characters. The readable parts are for
people; the key is the proof.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "KEY_LENGTH",
    "MAX_NAME",
    "Owner",
    "canonical",
    "deployment_name",
    "deployment_suffix",
    "export_name",
    "job_name",
    "parse_job_name",
    "parse_upload_name",
    "spec_digest",
    "upload_name",
]

KEY_LENGTH = 8
MAX_NAME = 64
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_UPLOAD = re.compile(r"^(?P<resource>.+)-(?P<key>[0-9a-f]{8})-(?P<sha>[0-9a-f]{12})\.zip$")
_JOB = re.compile(r"^(?P<stem>.*)-(?P<key>[0-9a-f]{8})-(?P<spec>[0-9a-f]{10})$")


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _slug(text: str, limit: int) -> str:
    return _UNSAFE.sub("-", text)[:limit].strip("-_") or "x"


@dataclass(frozen=True)
class Owner:
    """The declaration an object belongs to: a resource of one stack of one project."""

    project: str
    stack: str
    resource: str

    @property
    def key(self) -> str:
        """8 lower-case hex characters, stable for this project, stack and resource."""
        return _hex(f"{self.project}\0{self.stack}\0{self.resource}")[:KEY_LENGTH]

    def stem(self, limit: int) -> str:
        """`<project>-<stack>-<resource>` made name-safe and at most `limit` characters."""
        return _slug(f"{self.project}-{self.stack}-{self.resource}", limit)

    def as_data(self) -> dict[str, str]:
        """Plain data to keep on a pickled provider."""
        return {"project": self.project, "stack": self.stack, "resource": self.resource}

    @classmethod
    def from_data(cls, data: object) -> Owner | None:
        """The owner kept by `as_data`, or None when `data` is not one."""
        if not isinstance(data, Mapping):
            return None
        parts = [data.get(k) for k in ("project", "stack", "resource")]
        if not all(isinstance(p, str) and p for p in parts):
            return None
        return cls(str(parts[0]), str(parts[1]), str(parts[2]))

    def owns_upload(self, name: str) -> bool:
        """Whether an uploaded file name was made by a resource of this owner's stack."""
        parsed = parse_upload_name(name)
        return parsed is not None and Owner(self.project, self.stack, parsed[0]).key == parsed[1]


def canonical(value: Any) -> Any:
    """A value as declared, with transport noise removed: 800.0 -> 800, '2K' -> '2k', tuples -> lists."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in sorted(value.items()) if v is not None}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return value


def spec_digest(spec: Mapping[str, Any]) -> str:
    """Digest of what a job trains (model, hyper-parameters, data), independent of number formatting."""
    return _hex(json.dumps(canonical(spec), sort_keys=True))


def upload_name(owner: Owner, sha256: str) -> str:
    """`<resource>-<key>-<sha12>.zip`: the uploaded file of a Dataset."""
    return f"{_slug(owner.resource, 40)}-{owner.key}-{sha256[:12]}.zip"


def parse_upload_name(name: str) -> tuple[str, str, str] | None:
    """(resource, key, sha12) of a name made by `upload_name`, else None."""
    found = _UPLOAD.match(name)
    return (found["resource"], found["key"], found["sha"]) if found else None


def job_name(owner: Owner, spec: str) -> str:
    """`<stem>-<key>-<spec10>`: the job_name a FineTuneJob submits."""
    return f"{owner.stem(MAX_NAME - KEY_LENGTH - 12)}-{owner.key}-{spec[:10]}"


def parse_job_name(name: str) -> tuple[str, str, str] | None:
    """(stem, key, spec10) of a name made by `job_name`, else None."""
    found = _JOB.match(name)
    return (found["stem"], found["key"], found["spec"]) if found else None


def export_name(owner: Owner, job_id: str) -> str:
    """`<stem>-<key>-<job_id>`: the display name of a checkpoint export (unique per account)."""
    room = MAX_NAME - KEY_LENGTH - len(job_id) - 2
    return f"{owner.stem(max(room, 1))}-{owner.key}-{job_id}"


def deployment_name(owner: Owner) -> str:
    """`<stem>-<key>`: the `name` a Deployment sends on create."""
    return f"{owner.stem(MAX_NAME - KEY_LENGTH - 1)}-{owner.key}"


def deployment_suffix(owner: Owner, model_name: str) -> str:
    """8 lower-case hex characters unique to this declaration and model: the suffix when none is declared."""
    return _hex(f"{owner.key}:{model_name}")[:KEY_LENGTH]
