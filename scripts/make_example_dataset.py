"""Generate the small example datasets under stacks/datasets/ (deterministic: same bytes every run)."""

from __future__ import annotations

import colorsys
import json
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1] / "stacks" / "datasets"
TRIGGER = "s86b5p"
OBJECTS = ["mug", "sneaker", "watch", "lamp", "backpack", "headphones", "bottle", "chair", "camera", "vase"]
SETTINGS = ["on a marble table", "in soft studio light", "on a wooden shelf"]


def _image(index: int, size: int = 256, *, sketch: bool = False) -> Image.Image:
    hue = (index * 0.137) % 1.0
    r, g, b = (int(c * 255) for c in colorsys.hsv_to_rgb(hue, 0.35 if sketch else 0.6, 0.95))
    image = Image.new("RGB", (size, size), (255, 255, 255) if sketch else (r, g, b))
    draw = ImageDraw.Draw(image)
    pad = 40 + (index % 5) * 6
    box = (pad, pad + 20, size - pad, size - pad + 10)
    if index % 2:
        draw.ellipse(box, outline=(30, 30, 30), width=4, fill=None if sketch else (255 - r, 255 - g, 255 - b))
    else:
        draw.rectangle(box, outline=(30, 30, 30), width=4, fill=None if sketch else (255 - r, 255 - g, 255 - b))
    draw.text((10, 10), f"#{index:02d}", fill=(20, 20, 20))
    return image


def _write(folder: Path, lines: list[dict[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(line, ensure_ascii=True) + "\n" for line in lines)
    (folder / "data.jsonl").write_text(text, encoding="utf-8")


def _prompt(index: int) -> str:
    return f"{TRIGGER}, a {OBJECTS[index % len(OBJECTS)]} {SETTINGS[index % len(SETTINGS)]}, product photo"


def make_t2i(count: int = 30) -> None:
    """Text-to-image training set and its validation prompts."""
    folder = ROOT / "product-t2i"
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(count):
        _image(i).save(folder / f"{i}_0.png", optimize=True)
        lines.append({"prompt": _prompt(i), "img_path": f"./{i}_0.png"})
    _write(folder, lines)
    _write(ROOT / "product-t2i-val", [{"prompt": _prompt(100 + i)} for i in range(4)])


def make_i2i(count: int = 26) -> None:
    """Image-to-image (sketch -> product) training set and its validation inputs."""
    folder = ROOT / "sketch-i2i"
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(count):
        _image(i, 192, sketch=True).save(folder / f"{i}_1.png", optimize=True)
        _image(i, 192).save(folder / f"{i}_0.png", optimize=True)
        lines.append({"prompt": _prompt(i), "input_img": f"./{i}_1.png", "img_path": f"./{i}_0.png"})
    _write(folder, lines)
    val = ROOT / "sketch-i2i-val"
    val.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        _image(200 + i, 192, sketch=True).save(val / f"input_{i:03d}.png", optimize=True)
    _write(val, [{"prompt": _prompt(200 + i), "input_img": f"./input_{i:03d}.png"} for i in range(3)])


if __name__ == "__main__":
    make_t2i()
    make_i2i()
    print(f"wrote example datasets under {ROOT}")
