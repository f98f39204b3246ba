"""Checks an uploaded dataset zip the way the service does before training starts."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from PIL import Image

__all__ = ["InvalidDatasetError", "check_zip", "prompts_of"]


class InvalidDatasetError(Exception):
    """The zip cannot be trained on; the message names the file and line."""


def _lines(archive: zipfile.ZipFile) -> list[dict[str, object]]:
    if "data.jsonl" not in archive.namelist():
        msg = "data.jsonl not found at the top level of the zip"
        raise InvalidDatasetError(msg)
    records = []
    for number, line in enumerate(archive.read("data.jsonl").decode("utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            msg = f"data.jsonl line {number}: not valid JSON"
            raise InvalidDatasetError(msg) from exc
        if not isinstance(record, dict):
            msg = f"data.jsonl line {number}: not a JSON object"
            raise InvalidDatasetError(msg)
        record["_line"] = number
        records.append(record)
    return records


def check_zip(path: Path, *, role: str, generation_type: str) -> int:
    """Validate; return the number of lines. Raises InvalidDatasetError."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        msg = "the uploaded file is not a zip archive"
        raise InvalidDatasetError(msg) from exc
    with archive:
        names = set(archive.namelist())
        nested = sorted(n for n in names if "/" in n.rstrip("/"))
        if nested:
            msg = f"{nested[0]}: sub-folders are not allowed"
            raise InvalidDatasetError(msg)
        records = _lines(archive)
        for record in records:
            line = record["_line"]
            if not record.get("prompt"):
                msg = f"data.jsonl line {line}: prompt missing"
                raise InvalidDatasetError(msg)
            if role == "validation" and "img_path" in record:
                msg = f"data.jsonl line {line}: validation data must not contain img_path"
                raise InvalidDatasetError(msg)
            keys = ["img_path"] if role == "training" else []
            if generation_type == "i2i":
                keys.append("input_img")
            for key in keys:
                ref = str(record.get(key) or "").removeprefix("./")
                if ref not in names:
                    msg = f"data.jsonl line {line}: {key} {record.get(key)!r} not found in the zip"
                    raise InvalidDatasetError(msg)
                try:
                    with Image.open(io.BytesIO(archive.read(ref))) as image:
                        image.verify()
                except Exception as exc:
                    msg = f"{ref}: not a readable image"
                    raise InvalidDatasetError(msg) from exc
        return len(records)


def prompts_of(path: Path) -> list[dict[str, str]]:
    """Prompt lines of a zip (for validation previews); empty when unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            return [{k: str(v) for k, v in r.items() if k in ("prompt", "input_img")} for r in _lines(archive)]
    except (zipfile.BadZipFile, InvalidDatasetError, OSError):
        return []
