"""The documented Wan image dataset rules."""

from __future__ import annotations

import re

__all__ = [
    "DATA_FILE",
    "EXTENSION_FORMATS",
    "IMAGE_EXTENSIONS",
    "IMAGE_FORMATS",
    "MAX_DATA_FILE_BYTES",
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_SIDE",
    "MAX_ZIP_BYTES",
    "NAME_PATTERN",
    "NOISE_NAMES",
    "RECOMMENDED_IMAGES",
    "RULES_VERSION",
]

DATA_FILE = "data.jsonl"
"""The one metadata file; exactly this name."""
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp"})
"""Accepted image file extensions."""
EXTENSION_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP", ".bmp": "BMP"}
"""The image format each accepted extension names."""
IMAGE_FORMATS = ("PNG", "JPEG", "WEBP", "BMP")
"""Accepted image formats, decided by the file's content (Pillow format names)."""
NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9]+")
"""A file name: English letters, digits, '_' and '-', then one extension."""
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
RULES_VERSION = 3
"""Bumped whenever a content rule changes, so cached check results of older rules are not reused."""
