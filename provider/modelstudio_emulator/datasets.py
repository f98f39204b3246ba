"""Checks an uploaded dataset zip the way the service does before training starts (guide: dataset format)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from PIL import Image

__all__ = ["InvalidDatasetError", "check_zip", "prompts_of"]

MAX_SIDE = 4096
MAX_IMAGE_BYTES = 20 * 1024**2
MAX_JSONL_BYTES = 20 * 1024**2
FORMATS = {"PNG", "JPEG", "WEBP", "BMP"}
EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp", ".bmp")
_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")


class InvalidDatasetError(Exception):
    """The zip cannot be trained on; the message names the file and line."""


def _lines(archive: zipfile.ZipFile) -> list[dict[str, object]]:
    if "data.jsonl" not in archive.namelist():
        msg = "data.jsonl not found at the top level of the zip"
        raise InvalidDatasetError(msg)
    if archive.getinfo("data.jsonl").file_size > MAX_JSONL_BYTES:
        msg = "data.jsonl is larger than 20 MB"
        raise InvalidDatasetError(msg)
    text = archive.read("data.jsonl").decode("utf-8-sig")
    if text.lstrip().startswith("["):
        msg = "data.jsonl must be JSON Lines (one object per line), not a JSON array"
        raise InvalidDatasetError(msg)
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
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


def _check_names(names: list[str]) -> None:
    for name in names:
        if "/" in name.rstrip("/"):
            msg = f"{name}: sub-folders are not allowed"
            raise InvalidDatasetError(msg)
        if not _NAME.match(name.rstrip("/")):
            msg = (
                f"{name}: file names may use only English letters, digits, '_', '-' and '.' "
                "(no Chinese characters, spaces or other special characters)"
            )
            raise InvalidDatasetError(msg)
        if name.lower().endswith(".gif"):
            msg = f"{name}: GIF images are not supported (use PNG, JPG, JPEG, WEBP or BMP)"
            raise InvalidDatasetError(msg)


def _check_image(archive: zipfile.ZipFile, ref: str) -> None:
    if archive.getinfo(ref).file_size > MAX_IMAGE_BYTES:
        msg = f"{ref}: image is larger than 20 MB"
        raise InvalidDatasetError(msg)
    try:
        with Image.open(io.BytesIO(archive.read(ref))) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except Exception as exc:
        msg = f"{ref}: not a readable image"
        raise InvalidDatasetError(msg) from exc
    if kind not in FORMATS:
        msg = f"{ref}: {kind} images are not supported (use PNG, JPG, JPEG, WEBP or BMP)"
        raise InvalidDatasetError(msg)
    if width > MAX_SIDE or height > MAX_SIDE:
        msg = f"{ref}: image is {width}x{height} px, larger than the {MAX_SIDE}x{MAX_SIDE} limit"
        raise InvalidDatasetError(msg)


def check_zip(path: Path, *, role: str, generation_type: str) -> int:
    """Validate; return the number of lines. Raises InvalidDatasetError."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        msg = "the uploaded file is not a zip archive"
        raise InvalidDatasetError(msg) from exc
    with archive:
        names = archive.namelist()
        _check_names(names)
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
                _check_image(archive, ref)
        return len(records)


def prompts_of(path: Path) -> list[dict[str, str]]:
    """Prompt lines of a zip (for validation previews); empty when unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            return [{k: str(v) for k, v in r.items() if k in ("prompt", "input_img")} for r in _lines(archive)]
    except (zipfile.BadZipFile, InvalidDatasetError, OSError):
        return []
