"""The fine-tuning guide's curl examples (tests/fixtures/guide, copied verbatim by
scripts/extract_guide_examples.py) run as written against the emulator; each answer is compared field by field
with the guide's sample answer: fixed values exactly, ids, names and counts by shape, `...` meaning "more fields".

Only the host is changed (to the emulator's) and the `<replace_with_…>` placeholders are filled in with the
values the guide says to use, as a reader following it does.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi_modelstudio.datasets.pack import pack_dataset

from tests.processes import run_captured

GUIDE = Path(__file__).resolve().parents[1] / "fixtures" / "guide"
REPO = GUIDE.parents[2]
HOST = "https://dashscope.aliyuncs.com"
KEY = "sk-guide-reader"
PLACEHOLDERS = {
    "<replace_with_training_dataset_file_id>": ("01-upload-the-dataset", "data.uploaded_files.0.file_id"),
    "<replace_with_fine_tuning_job_id>": ("02-create-a-fine-tuning-job", "output.job_id"),
    "<replace_with_model_name>": ("02-create-a-fine-tuning-job", "output.finetuned_output"),
    "<replace_with_deployed_model>": ("04-deploy-the-model-as-an-online-service", "output.deployed_model"),
}
"""Placeholder -> (example whose answer holds the value, path in that answer), as the guide's text says."""
POLL_SECONDS = 600
MAX_POLLS = 100
_UUID_SAMPLE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-x+$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _examples() -> list[dict[str, str]]:
    examples: list[dict[str, str]] = json.loads((GUIDE / "index.json").read_text(encoding="utf-8"))
    return examples


def parse_sample(text: str) -> Any:
    """The guide's sample answer as JSON: `...` stands for fields the guide leaves out."""
    lines = [line for line in text.splitlines() if line.strip() != "..."]
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", "\n".join(lines)))


def shape(sample: str) -> re.Pattern[str]:
    """A pattern for values like `sample`: `xxxx` runs stand for anything, digit runs for as many digits."""
    if _UUID_SAMPLE.match(sample):
        return _UUID
    parts = []
    for token in re.findall(r"x{2,}|\d+|[^x\d]+|x", sample):
        if token.startswith("xx"):
            parts.append(r"[0-9A-Za-z._\-]+")
        elif token.isdigit():
            parts.append(rf"\d{{{len(token)}}}")
        else:
            parts.append(re.escape(token))
    return re.compile("^" + "".join(parts) + "$")


def _compare_leaf(sample: Any, actual: Any, where: str) -> list[str]:
    if isinstance(sample, int | float) and not isinstance(sample, bool):  # counts and usage are illustrative
        ok = type(actual) is type(sample) and actual >= 0
        return [] if ok else [f"{where}: expected a number like {sample!r}, got {actual!r}"]
    if isinstance(sample, str) and ("xx" in sample or _UUID_SAMPLE.match(sample)):
        ok = isinstance(actual, str) and bool(shape(sample).match(actual))
        return [] if ok else [f"{where}: {actual!r} does not look like {sample!r}"]
    return [] if sample == actual else [f"{where}: expected {sample!r}, got {actual!r}"]


def compare(sample: Any, actual: Any, where: str = "answer") -> list[str]:
    """Differences between the guide's sample and an answer (empty when the answer fits)."""
    if isinstance(sample, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r}"]
        missing = [f"{where}.{key}: missing" for key in sample if key not in actual]
        return missing + [p for k, v in sample.items() if k in actual for p in compare(v, actual[k], f"{where}.{k}")]
    if isinstance(sample, list):
        if not isinstance(actual, list) or len(actual) != len(sample):
            return [f"{where}: expected {len(sample)} item(s), got {actual!r}"]
        return [p for i, (s, a) in enumerate(zip(sample, actual, strict=True)) for p in compare(s, a, f"{where}.{i}")]
    return _compare_leaf(sample, actual, where)


def _dig(answer: Any, path: str) -> str:
    for part in path.split("."):
        answer = answer[int(part)] if part.isdigit() else answer[part]
    return str(answer)


def run_with_curl(command: str, cwd: Path) -> Any:
    """Run the command with bash and the real curl, as a reader pastes it into a terminal."""
    (cwd / ".curlrc").write_text("silent\nshow-error\n", encoding="utf-8")  # no progress meter on stderr
    env = {"PATH": os.environ.get("PATH", ""), "DASHSCOPE_API_KEY": KEY, "HOME": str(cwd)}
    proc = run_captured(["bash", "-c", command], cwd=cwd, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _form_value(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def run_with_httpx(command: str, cwd: Path) -> Any:
    """Send what curl sends for this command (method, headers, the --data bytes, the --form parts) with httpx."""
    tokens = shlex.split(command.replace("\\\n", " ").replace("$DASHSCOPE_API_KEY", KEY))
    assert tokens[0] == "curl"
    method, url, headers, data = "", "", {}, None
    files: list[tuple[str, Any]] = []
    form: dict[str, str] = {}
    index = 1
    while index < len(tokens):
        token = tokens[index]
        if token == "--location":
            index += 1
            continue
        if not token.startswith("--"):
            url, index = token, index + 1
            continue
        value = tokens[index + 1]
        index += 2
        if token == "--request":
            method = value
        elif token == "--header":
            name, _, header = value.partition(":")
            headers[name.strip()] = header.strip()
        elif token == "--data":
            data = value.encode()
        elif token == "--form":
            name, _, part = value.partition("=")
            if part.startswith("@"):
                path = cwd / _form_value(part[1:])
                files.append((name, (path.name, path.read_bytes(), "application/octet-stream")))
            else:
                form[name] = _form_value(part)
        else:
            pytest.fail(f"the guide uses a curl option this runner does not know: {token}")
    method = method or ("POST" if data is not None or files else "GET")
    response = httpx.request(
        method, url, headers=headers, content=data, files=files or None, data=form or None, timeout=60
    )
    return response.json()


RUNNERS = {"curl": run_with_curl, "httpx": run_with_httpx}


@pytest.mark.parametrize("emulator_compat", ["default", "strict"])
@pytest.mark.parametrize("runner", sorted(RUNNERS))
def test_every_curl_example_of_the_guide_works_as_written(emulator: Any, tmp_path: Path, runner: str) -> None:
    if runner == "curl" and shutil.which("curl") is None:
        pytest.skip("curl is not installed; the httpx runner sends the same requests")
    emulator.control("clock", "POST", {"speed": 0})
    pack_dataset(REPO / "stacks" / "datasets" / "product-t2i", tmp_path / "wan-image-t2i-training-dataset.zip")
    answers: dict[str, Any] = {}
    for example in _examples():
        name = example["name"]
        command = (GUIDE / f"{name}.curl").read_text(encoding="utf-8").strip().replace(HOST, emulator.url)
        for placeholder, (source, path) in PLACEHOLDERS.items():
            if placeholder in command:
                command = command.replace(placeholder, _dig(answers[source], path))
        sample = parse_sample((GUIDE / f"{name}.response").read_text(encoding="utf-8"))
        answer = RUNNERS[runner](command, tmp_path)
        wanted = sample.get("output", {}).get("status")
        for _ in range(MAX_POLLS):  # "Poll the following API until the status changes to …"
            if wanted is None or answer["output"]["status"] == wanted or "--data" in command:
                break
            emulator.control("clock", "POST", {"advance_seconds": POLL_SECONDS})
            answer = RUNNERS[runner](command, tmp_path)
        assert compare(sample, answer) == [], f"{example['step']}: {json.dumps(answer)}"
        answers[name] = answer
    job = answers["03-query-the-fine-tuning-job-status"]["output"]
    assert job["usage"] == 800 * 10 * 23220  # 2K t2i: the guide's billing table gives 232,200 tokens per step


def test_the_comparison_catches_wrong_answers() -> None:
    sample = parse_sample('{\n...\n"output": {\n"job_id": "ft-202511111122-xxxx",\n"status": "PENDING",\n...\n}\n}')
    assert compare(sample, {"output": {"job_id": "ft-202606030110-ab12", "status": "PENDING", "x": 1}}) == []
    assert compare(sample, {"output": {"job_id": "job-1", "status": "PENDING"}})
    assert compare(sample, {"output": {"job_id": "ft-202606030110-ab12", "status": "RUNNING"}})
    assert compare(sample, {"output": {"status": "PENDING"}})
    assert shape("3bff1ef7-f72d-4285-bb75-xxxxxx").match("3bff1ef7-f72d-4285-bb75-0123456789ab")
    assert shape("wan2.7-image-pro-xxxxxxxxxxxx").match("wan2.7-image-pro-ft-202606030110-ab12-1a2b3c4d")
    assert not shape("wan2.7-image-pro-xxxxxxxxxxxx").match("wan2.7-image-ft-202606030110-ab12")
