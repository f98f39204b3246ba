"""Pack a dataset into a byte-for-byte reproducible zip, hashing while writing."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from provider.datasets.fingerprint import CHUNK
from provider.datasets.rules import IMAGE_EXTENSIONS
from provider.datasets.source import open_entry, scan

__all__ = ["PackResult", "pack_dataset"]

_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class PackResult:
    """The zip written and its facts."""

    path: Path
    sha256: str
    size_bytes: int
    image_count: int


def pack_dataset(source: Path, dest: Path) -> PackResult:
    """Write `source` (folder or zip) to `dest` canonically: sorted names, fixed times and modes, stored."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    images = 0
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for entry in scan(source):
            if entry.is_dir:
                continue
            info = zipfile.ZipInfo(entry.name, date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_STORED
            info.file_size = entry.size
            with (
                open_entry(source, entry.name) as src,
                archive.open(info, "w", force_zip64=entry.size > 2**31) as out,
            ):
                while chunk := src.read(CHUNK):
                    out.write(chunk)
            if Path(entry.name).suffix.lower() in IMAGE_EXTENSIONS:
                images += 1
    digest = hashlib.sha256()
    with dest.open("rb") as packed:
        while chunk := packed.read(CHUNK):
            digest.update(chunk)
    return PackResult(dest, digest.hexdigest(), dest.stat().st_size, images)
