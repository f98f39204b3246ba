"""A corpus of malformed datasets, hyper-parameters, stack and provider configs, each with what its error must name."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
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
    provider_config: dict[str, str] = field(default_factory=dict)
    """`modelstudio:*` settings that replace the stack's own for this case."""
    program: str | None = None
    """A stack program (`stacks/__main__.py`) that replaces the example program for this case."""

    def missing_from(self, output: str) -> list[str]:
        """The words the error must contain that `output` lacks."""
        return [word for word in self.expect if word not in output]


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


def _export(checkpoint: str, **hp: Any) -> Builder:
    def build(root: Path) -> dict[str, Any]:
        del root
        return model(T2I, hyperParameters=hp, exportCheckpoint=checkpoint)

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


def _image_in_subfolder(folder: Path) -> None:
    (folder / "sub").mkdir()
    (folder / "0_0.png").rename(folder / "sub" / "0_0.png")
    _edit_line(folder, 0, img_path="./sub/0_0.png")


def _non_finite_line(folder: Path) -> None:
    with (folder / "data.jsonl").open("a", encoding="utf-8") as data:
        data.write('{"prompt": "a mug", "img_path": "./1_0.png", "weight": NaN}\n')


def _mistyped_folder(root: Path) -> dict[str, Any]:
    _copy(T2I, root, "product-t2i")
    return model(root / "prodcut-t2i")


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares `width` x `height` pixels but holds none (what a decompression bomb looks like)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def _symlink_outside(folder: Path) -> None:
    outside = folder.parent / "outside.png"
    shutil.copy(folder / "1_0.png", outside)
    (folder / "0_0.png").unlink()
    (folder / "0_0.png").symlink_to(outside)


def _dangling_symlink(folder: Path) -> None:
    (folder / "0_0.png").unlink()
    (folder / "0_0.png").symlink_to(folder.parent / "gone.png")


def _gif_named_png(folder: Path) -> None:
    Image.new("RGB", (64, 64)).save(folder / "0_0.png", format="GIF")


def _copy_image_as(name: str) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        shutil.copy(folder / "1_0.png", folder / name)

    return mutate


def _with_bom(folder: Path) -> None:
    data = folder / "data.jsonl"
    data.write_bytes(b"\xef\xbb\xbf" + data.read_bytes())


def _fifo_source(root: Path) -> dict[str, Any]:
    os.mkfifo(root / "ds.zip")
    return model(root / "ds.zip")


def set_encrypted(path: Path, name: str) -> None:
    """Mark `name` in the zip at `path` as encrypted (flag bit 0) in its local and central headers."""
    with zipfile.ZipFile(path) as archive:
        offset = archive.getinfo(name).header_offset
        central = archive.start_dir
    data = bytearray(path.read_bytes())
    data[offset + 6] |= 1
    while data[central : central + 4] == b"PK\x01\x02":
        size, extra, comment = struct.unpack("<HHH", data[central + 28 : central + 34])
        if data[central + 46 : central + 46 + size].decode() == name:
            data[central + 8] |= 1
        central += 46 + size + extra + comment
    path.write_bytes(bytes(data))


def _small_zip(archive: zipfile.ZipFile) -> None:
    archive.writestr("data.jsonl", '{"prompt":"p","img_path":"1_0.png"}\n')
    archive.writestr("1_0.png", (T2I / "1_0.png").read_bytes())


def _encrypted_zip(root: Path) -> dict[str, Any]:
    path = root / "ds.zip"
    with zipfile.ZipFile(path, "w") as archive:
        _small_zip(archive)
    set_encrypted(path, "1_0.png")
    return model(path)


def _duplicate_entry(archive: zipfile.ZipFile) -> None:
    _small_zip(archive)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name it is asked to write
        archive.writestr("1_0.png", (T2I / "2_0.png").read_bytes())


def _symlink_entry(archive: zipfile.ZipFile) -> None:
    archive.writestr("data.jsonl", '{"prompt":"p","img_path":"1_0.png"}\n')
    link = zipfile.ZipInfo("1_0.png")
    link.create_system = 3
    link.external_attr = 0o120777 << 16
    archive.writestr(link, "/etc/passwd")


def _bomb_entry(archive: zipfile.ZipFile) -> None:
    archive.writestr("data.jsonl", '{"prompt":"p","img_path":"1_0.png"}\n')
    archive.writestr("1_0.png", bytes(64 * 2**20), compress_type=zipfile.ZIP_DEFLATED)


def _entry_outside(archive: zipfile.ZipFile) -> None:
    archive.writestr("data.jsonl", '{"prompt":"p","img_path":"1_0.png"}\n')
    archive.writestr("../1_0.png", (T2I / "1_0.png").read_bytes())


def _zip_over_limit(root: Path) -> dict[str, Any]:
    """The valid example set, zipped, after 1.1 GB of (sparse) leading bytes: its files match a checked set."""
    from pulumi_modelstudio.datasets.pack import pack_dataset

    packed = pack_dataset(T2I, root / "small.zip").path.read_bytes()
    path = root / "ds.zip"
    with path.open("wb") as out:
        out.seek(1100 * 2**20)
        out.write(packed)
    return model(path)


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
    BadInput("sub-folder", _dataset(_subfolder), ("more/", "sub-folders are not allowed", "move the files")),
    BadInput("non-ascii-name", _dataset(_copy_image_as("图片.png")), ("图片.png", "only English letters", "rename it")),
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
        ("a/", "sub-folders are not allowed"),
    ),
    BadInput(
        "zip-missing-image",
        _zip(lambda z: z.writestr("data.jsonl", '{"prompt":"p","img_path":"./9.png"}\n')),
        ("line 1", "./9.png", "does not exist"),
    ),
    BadInput(
        "symlink-to-outside-image", _dataset(_symlink_outside), ("0_0.png", "symbolic link", "copy of the file itself")
    ),
    BadInput("dangling-symlink", _dataset(_dangling_symlink), ("0_0.png", "symbolic link")),
    BadInput("named-pipe", _dataset(lambda d: os.mkfifo(d / "pipe.png")), ("pipe.png", "named pipe", "remove it")),
    BadInput(
        "decompression-bomb-png",
        _dataset(lambda d: (d / "0_0.png").write_bytes(png_header(20000, 20000))),
        ("0_0.png", "decompression bomb", "downscale it"),
    ),
    BadInput("gif-named-png", _dataset(_gif_named_png), ("0_0.png", "GIF data", "re-export it")),
    BadInput("space-in-name", _dataset(_copy_image_as("5 0.png")), ("5 0.png", "only English letters", "rename it")),
    BadInput("symbols-in-name", _dataset(_copy_image_as("5@0#.png")), ("5@0#.png", "only English letters")),
    BadInput(
        "names-differ-by-case",
        _dataset(_copy_image_as("1_0.PNG")),
        ("only by upper/lower case", "distinct name"),
    ),
    BadInput("data-jsonl-bom", _dataset(_with_bom), ("data.jsonl", "byte-order mark", "without BOM")),
    BadInput("source-is-system-folder", lambda _root: model("/etc"), ("/etc", "data.jsonl: missing", "more problem")),
    BadInput("source-is-named-pipe", _fifo_source, ("ds.zip", "is a pipe, not a folder or a .zip")),
    BadInput("zip-encrypted-entry", _encrypted_zip, ("1_0.png", "encrypted", "without a password")),
    BadInput("zip-duplicate-entry", _zip(_duplicate_entry), ("1_0.png", "appears 2 times", "each file once")),
    BadInput("zip-symlink-entry", _zip(_symlink_entry), ("1_0.png", "symbolic link")),
    BadInput("zip-bomb-entry", _zip(_bomb_entry), ("1_0.png", "64.0 MB, over the 20 MB limit")),
    BadInput("zip-entry-outside", _zip(_entry_outside), ("../1_0.png", "points outside the dataset")),
    BadInput("zip-over-1gb-known-content", _zip_over_limit, ("ds.zip", "over the 1 GB upload limit")),
    BadInput(
        "img-path-into-existing-sub-folder",
        _dataset(_image_in_subfolder),
        ("data.jsonl line 1", "img_path './sub/0_0.png'", "move sub/0_0.png to the top level", "sub/: sub-folders"),
    ),
    BadInput(
        "data-line-nan", _dataset(_non_finite_line), ("data.jsonl line 31", "'weight' is NaN", "write a finite number")
    ),
    BadInput("source-mistyped", _mistyped_folder, ("prodcut-t2i: no such folder", "did you mean", "/product-t2i?")),
]

HYPER_PARAMETERS: list[BadInput] = [
    BadInput("lora-rank-not-power-of-two", _hp(lora_rank=48), ("hyper_parameters.lora_rank", "power of two")),
    BadInput("lora-rank-zero", _hp(lora_rank=0), ("hyper_parameters.lora_rank", "16, 32 or 64")),
    BadInput("lora-alpha-not-power-of-two", _hp(lora_alpha=48), ("hyper_parameters.lora_alpha", "power of two")),
    BadInput("lora-alpha-text", _hp(lora_alpha="big"), ("hyper_parameters.lora_alpha", "32 (the default)")),
    BadInput("max-steps-zero", _hp(max_steps=0), ("hyper_parameters.max_steps", "whole number of steps")),
    BadInput("max-steps-fraction", _hp(max_steps=800.5), ("hyper_parameters.max_steps", "fractional")),
    BadInput("max-steps-boolean", _hp(max_steps=True), ("hyper_parameters.max_steps", "true/false")),
    BadInput("eval-steps-negative", _hp(eval_steps=-1), ("hyper_parameters.eval_steps", "at least 0")),
    BadInput("learning-rate-zero", _hp(learning_rate=0), ("hyper_parameters.learning_rate", "small positive")),
    BadInput("learning-rate-negative", _hp(learning_rate=-3e-5), ("hyper_parameters.learning_rate", "3e-5")),
    BadInput("split-over-one", _hp(split=1.5), ("hyper_parameters.split", "between 0 and 1")),
    BadInput("split-zero", _hp(split=0), ("hyper_parameters.split", "between 0 and 1")),
    BadInput("weight-decay-negative", _hp(weight_decay=-0.1), ("hyper_parameters.weight_decay", "at least 0")),
    BadInput("unknown-key", _hp(n_epochs=3), ("hyper_parameters.n_epochs", "not a Wan image hyper-parameter")),
    BadInput("size-4k", _hp(max_pixels="4k"), ("hyper_parameters.max_pixels", "'1k' or '2k'")),
    BadInput("gradient-clip-zero", _hp(gradient_clip=0), ("hyper_parameters.gradient_clip", "-1 to disable")),
    BadInput("save-limit-zero", _hp(save_total_limit=0), ("hyper_parameters.save_total_limit", "at least 1")),
    BadInput(
        "generation-type-mismatch", _hp(generation_type="i2i"), ("generation_type is 'i2i'", "make them the same")
    ),
    BadInput(
        "learning-rate-infinity",
        _hp(learning_rate="Infinity"),
        ("hyper_parameters.learning_rate", "'Infinity' is not a finite number", "3e-5"),
    ),
    BadInput(
        "weight-decay-nan", _hp(weight_decay="NaN"), ("hyper_parameters.weight_decay", "'NaN' is not a finite number")
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
    BadInput(
        "export-checkpoint-past-max-steps",
        _export("checkpoint-850", max_steps=800),
        ("lora:models.0.exportCheckpoint", "checkpoint-850 is past the last step (max_steps 800)", "checkpoint-800"),
    ),
    BadInput(
        "export-checkpoint-not-kept",
        _export("checkpoint-200", max_steps=800, save_total_limit=2),
        ("lora:models.0.exportCheckpoint", "save_total_limit (2)", "checkpoint-600"),
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
    BadInput(
        "timeout-infinity",
        lambda _root: model(T2I, timeoutMinutes="Infinity"),
        ("lora:models.0.timeoutMinutes", "finite number"),
    ),
]


def _valid(_root: Path) -> dict[str, Any]:
    return model(T2I)


_CONFIG_CASES: list[tuple[str, str, str, tuple[str, ...]]] = [
    # (case, setting, value, what the preview must say besides the setting's name)
    (
        "endpoint-plain-http-remote",
        "endpoint",
        "http://dashscope.aliyuncs.com/api/v1",
        ("plain http", "unencrypted", "use https"),
    ),
    (
        "endpoint-not-http",
        "endpoint",
        "ftp://dashscope.aliyuncs.com/api/v1",
        ("not an http(s) URL", "https://dashscope.aliyuncs.com/api/v1"),
    ),
    ("endpoint-without-scheme", "endpoint", "dashscope.aliyuncs.com/api/v1", ("not an http(s) URL",)),
    ("endpoint-with-space", "endpoint", "https://dashscope .aliyuncs.com/api/v1", ("spaces or control characters",)),
    ("region-unknown", "region", "us-east-1", ("does not offer fine-tuning", "cn-beijing, ap-southeast-1")),
    ("api-key-with-line-break", "apiKey", "sk-e2e-secret\r\nX-Injected: 1", ("control character", "set it again")),
    ("workspace-with-control-character", "workspace", "llm-ws\u0007", ("control character",)),
    ("time-scale-not-a-number", "timeScale", "fast", ("not a positive number",)),
]
PROVIDER_CONFIGS: list[BadInput] = [
    BadInput(case, _valid, (f"modelstudio:{key}", *says), provider_config={f"modelstudio:{key}": value})
    for case, key, value, says in _CONFIG_CASES
]

PLAIN_JOB_PROGRAM = '''"""A plain Dataset and FineTuneJob whose generation types contradict each other."""

from pulumi_modelstudio import Dataset, FineTuneJob

sketches = Dataset("sketches", source="stacks/datasets/sketch-i2i", generation_type="i2i")
FineTuneJob(
    "job",
    model="wan2.7-image-pro",
    training_file_ids=[sketches.file_id],
    hyper_parameters={"generation_type": "t2i"},
)
'''

NON_FINITE_PROGRAM = '''"""A plain FineTuneJob declared with numbers JSON cannot carry."""

from pulumi_modelstudio import FineTuneJob

FineTuneJob(
    "job",
    model="wan2.7-image-pro",
    training_file_ids=["file-declared-by-hand"],
    hyper_parameters={"generation_type": "t2i", "learning_rate": float("nan")},
    timeout_minutes=float("inf"),
)
'''

LORA_MODEL_CHECKPOINT_PROGRAM = '''"""A LoraModel that would export a checkpoint its job never saves."""

from pulumi_modelstudio import LoraModel

LoraModel(
    "shots",
    model="wan2.7-image-pro",
    training_data="stacks/datasets/product-t2i",
    hyper_parameters={"max_steps": 800},
    export_checkpoint="checkpoint-850",
)
'''

PROGRAMS: list[BadInput] = [
    BadInput(
        "job-contradicts-its-dataset",
        _valid,
        ("hyper_parameters.generation_type", "'sketches' is 'i2i'", "make them the same"),
        program=PLAIN_JOB_PROGRAM,
    ),
    BadInput(
        "non-finite-numbers-in-a-program",
        _valid,
        ("hyper_parameters.learning_rate: NaN is not a finite number", "timeout_minutes", "Infinity is not a finite"),
        program=NON_FINITE_PROGRAM,
    ),
    BadInput(
        "lora-model-exports-a-checkpoint-never-saved",
        _valid,
        ("shots-export", "checkpoint-850 is past the last step (max_steps 800)", "export 'latest'"),
        program=LORA_MODEL_CHECKPOINT_PROGRAM,
    ),
]

ALL: list[BadInput] = DATASETS + HYPER_PARAMETERS + CONFIGS + PROVIDER_CONFIGS + PROGRAMS

THROUGH_THE_ENGINE: tuple[tuple[str, str], ...] = (
    ("unknown-base-model", "a stack-config error: the program raises before it declares anything"),
    ("training-in-prod", "a stack-level boolean (lora:allowTraining) as the engine hands config to the program"),
    ("img-path-not-found", "a Dataset check failure on a top-level input, which the engine prints with its value"),
    ("lora-rank-not-power-of-two", "a FineTuneJob check failure, after its Dataset's preview outputs reached it"),
    ("api-key-with-line-break", "a provider-config error: a line break through the stack file and Configure"),
    ("job-contradicts-its-dataset", "a replacement program of plain resources: the job reads its dataset's outputs"),
)
"""The cases `make test` also previews through the real CLI (ident, the path its failure takes through the engine):
one per path, besides the non-finite numbers of `tests/reliability`. Every case is previewed in process by
`tests/program/test_bad_inputs.py`, and through the real CLI by `make reliability`."""


def stack_config(case: BadInput, root: Path) -> dict[str, Any]:
    """The `lora:*` config of a stack declaring this case."""
    built = case.build(root)
    return built if case.whole_config else {"models": [built]}


@contextmanager
def applied(case: BadInput, project_root: Path, stack: str) -> Iterator[None]:
    """Put the case's provider settings and program in place for one run; restore the project afterwards."""
    stack_file = project_root / "stacks" / f"Pulumi.{stack}.yaml"
    program = project_root / "stacks" / "__main__.py"
    saved_config, saved_program = stack_file.read_text(encoding="utf-8"), program.read_text(encoding="utf-8")
    try:
        if case.provider_config:
            data = yaml.safe_load(saved_config)
            data["config"].update(case.provider_config)
            stack_file.write_text(yaml.safe_dump(data), encoding="utf-8")
        if case.program is not None:
            program.write_text(case.program, encoding="utf-8")
        yield
    finally:
        stack_file.write_text(saved_config, encoding="utf-8")
        program.write_text(saved_program, encoding="utf-8")


_OUR_FRAME = re.compile(r'File "(?![^"]*site-packages)[^"]*/(provider|stacks|emulator)/')


def crashed(output: str) -> bool:
    """Whether the output shows a Python traceback through our code (a crash, not a clear error)."""
    return bool(_OUR_FRAME.search(output)) or "Program failed with an unhandled exception" in output


def shutdown_traceback(output: str) -> bool:
    """Whether the engine's shutdown interrupted the program after the failure (a traceback outside our code)."""
    return "Traceback" in output and "Resource monitor has terminated" in output and not crashed(output)
