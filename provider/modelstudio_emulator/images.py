"""Deterministic PNGs drawn from a prompt and seed: previews and generated images."""

from __future__ import annotations

import colorsys
import hashlib
import io
import textwrap

from PIL import Image, ImageDraw

__all__ = ["render_png"]


def render_png(prompt: str, seed: int = 0, size: int = 256, label: str = "") -> bytes:
    """A gradient coloured by a hash of (prompt, seed) with the prompt written on it."""
    digest = hashlib.sha256(f"{prompt}\0{seed}".encode()).digest()
    hue_a, hue_b = digest[0] / 255, digest[1] / 255
    a = tuple(int(c * 255) for c in colorsys.hsv_to_rgb(hue_a, 0.55, 0.95))
    b = tuple(int(c * 255) for c in colorsys.hsv_to_rgb(hue_b, 0.65, 0.55))
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    for y in range(size):
        t = y / (size - 1)
        draw.line([(0, y), (size, y)], fill=tuple(int(a[i] * (1 - t) + b[i] * t) for i in range(3)))
    r = 30 + digest[2] % 50
    cx, cy = 60 + digest[3] % (size - 120), 60 + digest[4] % (size - 120)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(255, 255, 255), width=3)
    text = "\n".join(textwrap.wrap(prompt, 34)[:6])
    draw.multiline_text((8, size - 90), text, fill=(255, 255, 255))
    if label:
        draw.text((8, 8), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
