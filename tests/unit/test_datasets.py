"""Dataset validation, packing and fingerprinting on the shipped examples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from provider.datasets.fingerprint import content_sha256
from provider.datasets.pack import pack_dataset
from provider.datasets.validate import validate_dataset
from provider.errors import DatasetError

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
