"""Dataset validation, packing and fingerprinting on the shipped examples."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pulumi_modelstudio.datasets.fingerprint import content_sha256
from pulumi_modelstudio.datasets.pack import pack_dataset
from pulumi_modelstudio.datasets.source import NotRegularFileError
from pulumi_modelstudio.datasets.validate import validate_dataset
from pulumi_modelstudio.errors import DatasetError

from tests.reliability.bad_inputs import png_header, set_encrypted

DATASETS = Path(__file__).resolve().parents[2] / "stacks" / "datasets"


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.mark.parametrize(
    ("name", "gen", "role", "images"),
    [
        ("product-t2i", "t2i", "training", 30),
        ("product-t2i-val", "t2i", "validation", 0),
        ("sketch-i2i", "i2i", "training", 52),
        ("sketch-i2i-val", "i2i", "validation", 3),
    ],
)
def test_shipped_examples_are_valid(name: str, gen: str, role: str, images: int) -> None:
    report = validate_dataset(DATASETS / name, generation_type=gen, role=role)  # type: ignore[arg-type]
    assert report.errors == []
    assert report.image_count == images


def test_packing_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    first = pack_dataset(DATASETS / "product-t2i", tmp_path / "a.zip")
    copy = tmp_path / "copy"
    shutil.copytree(DATASETS / "product-t2i", copy)
    second = pack_dataset(copy, tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    assert first.content_sha256 == second.content_sha256 == content_sha256(DATASETS / "product-t2i")
    assert content_sha256(tmp_path / "a.zip") == first.content_sha256  # a zip and its folder agree


def test_content_changes_change_the_digest(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(DATASETS / "product-t2i", copy)
    before = content_sha256(copy)
    (copy / "data.jsonl").write_text((copy / "data.jsonl").read_text().replace("mug", "cup"))
    assert content_sha256(copy) != before


def test_few_images_warn_and_errors_raise_with_every_problem(tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.mkdir()
    shutil.copy(DATASETS / "product-t2i" / "0_0.png", small)
    (small / "data.jsonl").write_text(
        '{"prompt": "a", "img_path": "./0_0.png"}\n{"prompt": "", "img_path": "./x.png"}\n'
    )
    report = validate_dataset(small, generation_type="t2i", role="training")
    assert any("only 1 training images" in str(w) for w in report.warnings)
    with pytest.raises(DatasetError) as err:
        report.raise_for_errors()
    assert len(err.value.problems) == 2
    assert "data.jsonl line 2" in str(err.value)


def _copy(tmp_path: Path, name: str = "ds") -> Path:
    dest = tmp_path / name
    shutil.copytree(DATASETS / "product-t2i", dest)
    return dest


def test_a_link_is_refused_everywhere_and_its_target_never_read(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (tmp_path / "secret.png").write_bytes((folder / "0_0.png").read_bytes())
    (folder / "0_0.png").unlink()
    (folder / "0_0.png").symlink_to(tmp_path / "secret.png")
    errors = [str(e) for e in validate_dataset(folder, generation_type="t2i", role="training").errors]
    assert errors == [
        "0_0.png: is a symbolic link (links are never followed) — replace the link with a copy of the file itself"
    ]
    with pytest.raises(DatasetError, match="symbolic link"):
        pack_dataset(folder, tmp_path / "out.zip")
    assert not (tmp_path / "out.zip").exists()
    with pytest.raises(NotRegularFileError):
        content_sha256(folder)


@pytest.mark.timeout(20)
def test_a_named_pipe_is_reported_without_ever_being_opened(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    os.mkfifo(folder / "pipe.png")
    errors = validate_dataset(folder, generation_type="t2i", role="training").errors
    assert [(e.file, e.message) for e in errors] == [("pipe.png", "is a named pipe, not a regular file")]
    with pytest.raises(NotRegularFileError):
        content_sha256(folder)


def test_image_format_is_decided_by_content(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    Image.new("RGB", (8, 8)).save(folder / "0_0.png", format="GIF")
    Image.new("RGB", (8, 8)).save(folder / "1_0.png", format="JPEG")
    report = validate_dataset(folder, generation_type="t2i", role="training")
    assert [(e.file, e.message) for e in report.errors] == [("0_0.png", "is GIF data, not an accepted image format")]
    assert any(w.file == "1_0.png" and "JPEG data" in w.message for w in report.warnings)


def test_decompression_bomb_is_a_clear_error(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "0_0.png").write_bytes(png_header(20000, 20000))
    [error] = validate_dataset(folder, generation_type="t2i", role="training").errors
    assert error.file == "0_0.png"
    assert "decompression bomb" in error.message


@pytest.mark.parametrize("name", ["5 0.png", "5@0#.png", "a.b.png", "图.png", "-.png.png"])
def test_names_hold_only_letters_digits_underscore_and_dash(tmp_path: Path, name: str) -> None:
    folder = _copy(tmp_path)
    shutil.copy(folder / "1_0.png", folder / name)
    errors = validate_dataset(folder, generation_type="t2i", role="training").errors
    assert [e.file for e in errors] == [name]


def test_names_that_differ_only_by_case_are_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    shutil.copy(folder / "1_0.png", folder / "1_0.PNG")
    [error] = validate_dataset(folder, generation_type="t2i", role="training").errors
    assert "only by upper/lower case" in error.message


def test_a_bom_is_refused_consistently(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    data = folder / "data.jsonl"
    data.write_bytes(b"\xef\xbb\xbf" + data.read_bytes())
    [error] = validate_dataset(folder, generation_type="t2i", role="training").errors
    assert (error.file, error.line) == ("data.jsonl", 1)
    assert "without BOM" in error.fix


def test_zip_structure_problems_are_named(tmp_path: Path) -> None:
    path = tmp_path / "ds.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "data.jsonl", '{"prompt": "p", "img_path": "1_0.png"}\n{"prompt": "p", "img_path": "2_0.png"}\n'
        )
        archive.writestr("1_0.png", (DATASETS / "product-t2i" / "1_0.png").read_bytes())
        archive.writestr("2_0.png", (DATASETS / "product-t2i" / "2_0.png").read_bytes())
        archive.writestr("big.png", bytes(30 * 2**20), compress_type=zipfile.ZIP_DEFLATED)
    set_encrypted(path, "2_0.png")
    errors = {(e.file, e.message) for e in validate_dataset(path, generation_type="t2i", role="training").errors}
    assert ("2_0.png", "is encrypted in the zip") in errors
    assert ("big.png", "is 30.0 MB, over the 20 MB limit") in errors
    assert not any(file == "data.jsonl" for file, _ in errors)  # the encrypted image is not also "missing"


def test_validate_never_crashes_on_a_system_folder() -> None:
    report = validate_dataset(Path("/etc"), generation_type="t2i", role="training")
    assert report.errors[0].file == "data.jsonl"
    assert report.errors[0].message == "missing"


def test_a_same_size_edit_with_the_old_mtime_is_still_seen(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    before = content_sha256(folder)
    target = folder / "data.jsonl"
    info = target.stat()
    target.write_text(target.read_text().replace("mug", "cup"))
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert target.stat().st_size == info.st_size
    assert content_sha256(folder) != before


def test_pack_refuses_before_writing(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "notes.txt").write_text("hi")
    (folder / "more").mkdir()
    (folder / "more" / "x.png").write_bytes(b"x")
    with pytest.raises(DatasetError) as err:
        pack_dataset(folder, tmp_path / "out.zip")
    assert any("notes.txt" in p for p in err.value.problems)
    assert any("more/" in p for p in err.value.problems)
    assert not (tmp_path / "out.zip").exists()


def test_cli_pack_checks_first_and_writes_nothing_for_a_bad_dataset(tmp_path: Path) -> None:
    from pulumi_modelstudio.cli.main import app
    from typer.testing import CliRunner

    folder = _copy(tmp_path)
    (folder / "notes.txt").write_text("hi")
    result = CliRunner().invoke(app, ["dataset", "pack", str(folder), "-o", str(tmp_path / "out.zip")])
    assert result.exit_code == 2
    assert "notes.txt" in result.output
    assert not (tmp_path / "out.zip").exists()
    (folder / "notes.txt").unlink()
    result = CliRunner().invoke(app, ["dataset", "pack", str(folder), "-o", str(tmp_path / "out.zip")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.zip").is_file()


def test_a_non_finite_number_in_a_line_is_refused_naming_the_line_and_entry(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    with (folder / "data.jsonl").open("a") as data:
        data.write('{"prompt": "p", "img_path": "./1_0.png", "meta": {"weight": -Infinity}}\n')
    report = validate_dataset(folder, generation_type="t2i", role="training")
    [problem] = report.errors
    assert str(problem).startswith("data.jsonl line 31: 'meta.weight' is -Infinity, which is not valid JSON")
    assert problem.field == "meta.weight"


def test_a_line_into_a_sub_folder_is_reported_once_naming_the_entry(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "sub").mkdir()
    (folder / "2_0.png").rename(folder / "sub" / "2_0.png")
    data = folder / "data.jsonl"
    data.write_text(data.read_text().replace('"./2_0.png"', '"./sub/2_0.png"').replace('"./3_0.png"', '"x/3_0.png"'))
    errors = [str(p) for p in validate_dataset(folder, generation_type="t2i", role="training").errors]
    assert errors == [
        "sub/: sub-folders are not allowed (the dataset must be flat): it holds sub/2_0.png — move the files of "
        "'sub/' to the top level and fix their paths in data.jsonl",
        "data.jsonl line 3: img_path './sub/2_0.png' is inside the sub-folder 'sub/' (the dataset must be flat) — "
        "move sub/2_0.png to the top level and write './2_0.png'",
        "data.jsonl line 4: img_path 'x/3_0.png' points into the sub-folder 'x/' (the dataset must be flat) — keep "
        "the images at the top level and reference them like './1_0.png'",
    ]
