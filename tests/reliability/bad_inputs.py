"""A corpus of malformed datasets, hyper-parameters and stack configs, each with what its error must name."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

REPO = Path(__file__).resolve().parents[2]
T2I = REPO / "stacks" / "datasets" / "product-t2i"
I2I = REPO / "stacks" / "datasets" / "sketch-i2i"
VAL = REPO / "stacks" / "datasets" / "product-t2i-val"

Builder = Callable[[Path], dict[str, Any]]
"""Builds whatever files the case needs under a folder and returns one `lora:models` entry (or the whole config)."""


@dataclass(frozen=True)
class BadInput:
    """One malformed input and the words its preview error must contain."""

    ident: str
    build: Builder
    expect: tuple[str, ...]
    whole_config: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def model(training: Path | str, **overrides: Any) -> dict[str, Any]:
    """A valid t2i model entry pointing at `training`."""
    entry: dict[str, Any] = {
        "name": "bad",
        "baseModel": "wan2.7-image-pro",
        "generationType": "t2i",
        "trainingData": str(training),
        "hyperParameters": {"max_steps": 800},
    }
    entry.update(overrides)
    return entry


def _copy(src: Path, root: Path, name: str = "ds") -> Path:
    dest = root / name
    shutil.copytree(src, dest)
    return dest


def _lines(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / "data.jsonl").read_text(encoding="utf-8").splitlines()]


def _write_lines(folder: Path, lines: list[Any]) -> None:
    (folder / "data.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")


def _edit_line(folder: Path, index: int, **changes: Any) -> None:
    lines = _lines(folder)
    lines[index].update(changes)
    lines[index] = {k: v for k, v in lines[index].items() if v is not None}
    _write_lines(folder, lines)


def _dataset(mutate: Callable[[Path], object], src: Path = T2I, **overrides: Any) -> Builder:
    def build(root: Path) -> dict[str, Any]:
        folder = _copy(src, root)
        mutate(folder)
        return model(folder, **overrides)

    return build


def _zip(mutate: Callable[[zipfile.ZipFile], object]) -> Builder:
    def build(root: Path) -> dict[str, Any]:
        path = root / "ds.zip"
        with zipfile.ZipFile(path, "w") as archive:
            mutate(archive)
        return model(path)

    return build


def _hp(**hp: Any) -> Builder:
    def build(root: Path) -> dict[str, Any]:
        del root
        return model(T2I, hyperParameters=hp)

    return build


def _config(raw: dict[str, Any]) -> Builder:
    def build(root: Path) -> dict[str, Any]:
        del root
        return raw

    return build


def _file_source(name: str, content: bytes) -> Builder:
    def build(root: Path) -> dict[str, Any]:
        (root / name).write_bytes(content)
        return model(root / name)

    return build


def _zip_with_folder(archive: zipfile.ZipFile) -> None:
    archive.writestr("data.jsonl", '{"prompt":"p","img_path":"a/1.png"}\n')
    archive.writestr("a/1.png", (T2I / "1_0.png").read_bytes())


def _big_png(folder: Path) -> None:
    Image.new("RGB", (4100, 16)).save(folder / "0_0.png")


def _huge_file(folder: Path) -> None:
    with (folder / "0_0.png").open("wb") as out:
        out.truncate(21 * 1024 * 1024)


def _subfolder(folder: Path) -> None:
    (folder / "more").mkdir()
    shutil.copy(folder / "1_0.png", folder / "more" / "1_0.png")


DATASETS: list[BadInput] = [
    BadInput("no-data-jsonl", _dataset(lambda d: (d / "data.jsonl").unlink()), ("data.jsonl", "missing", "add a")),
    BadInput(
        "data-jsonl-wrong-case",
        _dataset(lambda d: (d / "data.jsonl").rename(d / "Data.jsonl")),
        ("Data.jsonl", "rename it"),
    ),
    BadInput(
        "json-array",
        _dataset(lambda d: (d / "data.jsonl").write_text(json.dumps(_lines(d)))),
        ("JSON array", "one JSON object per line"),
    ),
    BadInput(
        "broken-json-line",
        _dataset(lambda d: (d / "data.jsonl").write_text('{"prompt": "x", img_path}\n')),
        ("data.jsonl line 1", "not valid JSON"),
    ),
    BadInput(
        "line-not-object",
        _dataset(lambda d: _write_lines(d, [_lines(d)[0], ["prompt", "x"]])),
        ("data.jsonl line 2", "not a JSON object"),
    ),
    BadInput("missing-prompt", _dataset(lambda d: _edit_line(d, 2, prompt=None)), ("line 3", "has no 'prompt'")),
    BadInput("empty-prompt", _dataset(lambda d: _edit_line(d, 4, prompt="  ")), ("line 5", "'prompt' is empty")),
    BadInput("missing-img-path", _dataset(lambda d: _edit_line(d, 0, img_path=None)), ("line 1", "has no 'img_path'")),
    BadInput(
        "img-path-not-found",
        _dataset(lambda d: _edit_line(d, 6, img_path="./missing.png")),
        ("line 7", "./missing.png", "add the image or remove the line"),
    ),
    BadInput(
        "img-path-traversal",
        _dataset(lambda d: _edit_line(d, 1, img_path="../1_0.png")),
        ("line 2", "outside the dataset folder"),
    ),
    BadInput(
        "img-path-subfolder", _dataset(lambda d: _edit_line(d, 1, img_path="./sub/1_0.png")), ("line 2", "sub-folder")
    ),
    BadInput("sub-folder", _dataset(_subfolder), ("more/1_0.png", "sub-folders are not allowed")),
    BadInput(
        "non-ascii-name", _dataset(lambda d: shutil.copy(d / "1_0.png", d / "图片.png")), ("not ASCII", "rename it")
    ),
    BadInput(
        "gif-image",
        _dataset(lambda d: Image.new("RGB", (8, 8)).save(d / "x.gif")),
        ("x.gif", "not an accepted file type"),
    ),
    BadInput(
        "stray-text-file", _dataset(lambda d: (d / "notes.txt").write_text("hi")), ("notes.txt", "keep only data.jsonl")
    ),
    BadInput(
        "corrupt-image",
        _dataset(lambda d: (d / "3_0.png").write_bytes(b"not a png")),
        ("3_0.png", "not a readable image", "re-export"),
    ),
    BadInput("image-too-wide", _dataset(_big_png), ("0_0.png", "4100x16", "downscale")),
    BadInput("image-over-20mb", _dataset(_huge_file), ("0_0.png", "over the 20 MB limit")),
    BadInput(
        "data-not-utf8",
        _dataset(lambda d: (d / "data.jsonl").write_bytes(b"\xff\xfe\x00bad")),
        ("data.jsonl", "not UTF-8"),
    ),
    BadInput("empty-data-jsonl", _dataset(lambda d: (d / "data.jsonl").write_text("")), ("data.jsonl", "has no lines")),
    BadInput(
        "i2i-missing-input-img",
        _dataset(
            lambda d: _edit_line(d, 0, input_img=None),
            I2I,
            generationType="i2i",
            hyperParameters={"generation_type": "i2i"},
        ),
        ("line 1", "has no 'input_img'"),
    ),
    BadInput(
        "i2i-input-img-not-found",
        _dataset(lambda d: _edit_line(d, 3, input_img="./nope.png"), I2I, generationType="i2i"),
        ("line 4", "./nope.png"),
    ),
    BadInput(
        "t2i-with-input-img",
        _dataset(lambda d: _edit_line(d, 0, input_img="./1_0.png")),
        ("line 1", "'input_img' in a t2i dataset", "generation_type='i2i'"),
    ),
    BadInput(
        "validation-with-img-path",
        lambda root: model(T2I, validationData=str(_copy(T2I, root, "val"))),
        ("validation lines must not have 'img_path'",),
    ),
    BadInput("source-missing", lambda root: model(root / "does-not-exist"), ("does-not-exist", "no such folder")),
    BadInput(
        "source-not-zip",
        _file_source("data.txt", b"x"),
        ("data.txt", "neither a folder nor a .zip"),
    ),
    BadInput(
        "corrupt-zip",
        _file_source("d.zip", b"PK\x03\x04broken"),
        ("d.zip", "not a readable zip"),
    ),
    BadInput(
        "zip-without-data",
        _zip(lambda z: z.writestr("1_0.png", (T2I / "1_0.png").read_bytes())),
        ("data.jsonl", "missing"),
    ),
    BadInput(
        "zip-with-folder",
        _zip(_zip_with_folder),
        ("a/1.png", "sub-folders are not allowed"),
    ),
    BadInput(
        "zip-missing-image",
        _zip(lambda z: z.writestr("data.jsonl", '{"prompt":"p","img_path":"./9.png"}\n')),
        ("line 1", "./9.png", "does not exist"),
    ),
]

HYPER_PARAMETERS: list[BadInput] = [
    BadInput("lora-rank-not-power-of-two", _hp(lora_rank=48), ("hyper_parameters.lora_rank", "power of two")),
    BadInput("lora-rank-too-big", _hp(lora_rank=256), ("hyper_parameters.lora_rank", "8 to 128")),
    BadInput("max-steps-zero", _hp(max_steps=0), ("hyper_parameters.max_steps", "whole number of steps")),
    BadInput("max-steps-fraction", _hp(max_steps=800.5), ("hyper_parameters.max_steps", "fractional")),
    BadInput("max-steps-huge", _hp(max_steps=100000), ("hyper_parameters.max_steps", "20000")),
    BadInput("eval-after-end", _hp(max_steps=500, eval_steps=600), ("hyper_parameters.eval_steps", "larger than")),
    BadInput("learning-rate-zero", _hp(learning_rate=0), ("hyper_parameters.learning_rate", "small positive")),
    BadInput("learning-rate-huge", _hp(learning_rate=1), ("hyper_parameters.learning_rate", "3e-5")),
    BadInput("split-over-one", _hp(split=1.5), ("hyper_parameters.split", "between 0 and 1")),
    BadInput("weight-decay-over-one", _hp(weight_decay=2), ("hyper_parameters.weight_decay", "from 0 to 1")),
    BadInput("unknown-key", _hp(n_epochs=3), ("hyper_parameters.n_epochs", "not a Wan image hyper-parameter")),
    BadInput("size-4k", _hp(max_pixels="4k"), ("hyper_parameters.max_pixels", "'1k' or '2k'")),
    BadInput("sizes-differ", _hp(max_pixels="1k", max_token_length="2k"), ("max_token_length", "expects them equal")),
    BadInput("gradient-clip-zero", _hp(gradient_clip=0), ("hyper_parameters.gradient_clip", "-1 to disable")),
    BadInput("save-limit-zero", _hp(save_total_limit=0), ("hyper_parameters.save_total_limit", "1 to 40")),
    BadInput(
        "generation-type-mismatch", _hp(generation_type="i2i"), ("generation_type is 'i2i'", "make them the same")
    ),
]

CONFIGS: list[BadInput] = [
    BadInput("unknown-base-model", lambda _root: model(T2I, baseModel="wan9-image"), ("lora:models.0.baseModel",)),
    BadInput("qwen-base-model", lambda _root: model(T2I, baseModel="qwen-image-2.0"), ("lora:models.0.baseModel",)),
    BadInput("bad-model-name", lambda _root: model(T2I, name="Bad Name"), ("lora:models.0.name",)),
    BadInput(
        "negative-capacity", lambda _root: model(T2I, deploy={"capacity": -1}), ("lora:models.0.deploy.capacity",)
    ),
    BadInput(
        "upper-case-suffix", lambda _root: model(T2I, deploy={"suffix": "PROD"}), ("lora:models.0.deploy.suffix",)
    ),
    BadInput(
        "unknown-checkpoint", lambda _root: model(T2I, exportCheckpoint="best"), ("lora:models.0.exportCheckpoint",)
    ),
    BadInput("typo-key", lambda _root: model(T2I, trainingdata="x"), ("lora:models.0.trainingdata",)),
    BadInput(
        "training-in-prod",
        _config({"allowTraining": False, "models": [model(T2I)]}),
        ("lora:allowTraining is false", "lora:promote"),
        whole_config=True,
    ),
    BadInput("duplicate-names", _config({"models": [model(T2I), model(T2I)]}), ("duplicate names",), whole_config=True),
    BadInput(
        "promote-without-source", _config({"promote": {"models": {}}}), ("lora:promote.fromStack",), whole_config=True
    ),
]

ALL: list[BadInput] = DATASETS + HYPER_PARAMETERS + CONFIGS


def stack_config(case: BadInput, root: Path) -> dict[str, Any]:
    """The `lora:*` config of a stack declaring this case."""
    built = case.build(root)
    return built if case.whole_config else {"models": [built]}
