"""Pack a dataset into a byte-for-byte reproducible zip, hashing while writing."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pulumi_modelstudio.datasets.fingerprint import CHUNK, Digests, entry_key
from pulumi_modelstudio.datasets.layout import inspect_layout
from pulumi_modelstudio.datasets.rules import IMAGE_EXTENSIONS
from pulumi_modelstudio.datasets.source import open_entry

__all__ = ["PackResult", "pack_dataset"]

_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class PackResult:
    """The zip written and its facts."""

    path: Path
    content_sha256: str
    """Content digest of the packed files (the same as `content_sha256(source)`), computed while copying."""
    size_bytes: int
    image_count: int


def pack_dataset(source: Path, dest: Path) -> PackResult:
    """Write `source` (folder or zip) to `dest` canonically: sorted names, fixed times and modes, stored.

    The layout rules (names, file types, links, sizes, zip structure) are checked first and DatasetError is
    raised before anything is written; check the content with `validate_dataset` before packing. Each file is
    read once: the same pass copies it, checksums it for the zip and hashes it for the content digest.
    """
    layout = inspect_layout(source)
    layout.report.raise_for_errors()
    dest.parent.mkdir(parents=True, exist_ok=True)
    images = 0
    digests = Digests(source)
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name in sorted(layout.files):
            entry = layout.files[name]
            key = entry_key(source, entry)
            info = zipfile.ZipInfo(entry.name, date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_STORED
            info.file_size = entry.size
            file_hash = hashlib.sha256()
            with (
                open_entry(source, entry.name) as src,
                archive.open(info, "w", force_zip64=entry.size > 2**31) as out,
            ):
                while chunk := src.read(CHUNK):
                    file_hash.update(chunk)
                    out.write(chunk)
            digests.add(entry, file_hash.hexdigest(), key)
            if Path(entry.name).suffix.lower() in IMAGE_EXTENSIONS:
                images += 1
    return PackResult(dest, digests.finish(), dest.stat().st_size, images)
