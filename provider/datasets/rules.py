"""The documented Wan image dataset rules."""

from __future__ import annotations

__all__ = [
    "DATA_FILE",
    "IMAGE_EXTENSIONS",
    "MAX_DATA_FILE_BYTES",
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_SIDE",
    "MAX_ZIP_BYTES",
    "NOISE_NAMES",
    "RECOMMENDED_IMAGES",
]

DATA_FILE = "data.jsonl"
"""The one metadata file; exactly this name."""
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp"})
"""Accepted image formats."""
MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""Largest image."""
MAX_IMAGE_SIDE = 4096
"""Largest width or height."""
MAX_DATA_FILE_BYTES = 20 * 1024 * 1024
"""Largest data.jsonl."""
MAX_ZIP_BYTES = 1024 * 1024 * 1024
"""Largest dataset zip uploaded through the API."""
RECOMMENDED_IMAGES = 25
"""Fewer training images than this work poorly (50+ is better)."""
NOISE_NAMES = frozenset({".DS_Store", "Thumbs.db", "__MACOSX", "desktop.ini"})
"""Operating-system clutter skipped when packing."""
