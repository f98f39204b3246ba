"""Copy every curl example of the Wan image fine-tuning guide, and its sample response, into test fixtures.

    python scripts/extract_guide_examples.py GUIDE.txt tests/fixtures/guide

Writes `NN-<step>.curl` (the command exactly as printed) and `NN-<step>.response` (the sample answer exactly as
printed, `...` included) for each example, plus `index.json` listing them in order with the guide's step title.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

STEP = re.compile(r"^Step (\d+(?:\.\d+)?): (.+)$")


def _quotes_open(text: str) -> bool:
    """Whether a shell single- or double-quoted string is still open at the end of `text`."""
    quote = ""
    for char in text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
    return bool(quote)


def _command(lines: list[str], start: int) -> tuple[str, int]:
    """The curl command starting at `start` (continued lines and open quotes included) and the next index."""
    taken = [lines[start]]
    index = start + 1
    while taken[-1].endswith("\\") or _quotes_open("\n".join(taken)):
        taken.append(lines[index])
        index += 1
    return "\n".join(taken), index


def _response(lines: list[str], start: int) -> tuple[str, int]:
    """The JSON-like sample after `Response example` (balanced braces) and the next index."""
    index = start
    while not lines[index].lstrip().startswith("{"):
        index += 1
    taken: list[str] = []
    depth = 0
    while True:
        line = lines[index]
        taken.append(line)
        depth += line.count("{") - line.count("}")
        index += 1
        if depth == 0:
            return "\n".join(taken), index


def extract(guide: str) -> list[dict[str, str]]:
    """Every (step, curl, response) of the guide, in order."""
    lines = guide.splitlines()
    examples: list[dict[str, str]] = []
    step = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        match = STEP.match(line)
        if match:
            step = f"Step {match.group(1)}: {match.group(2)}"
        if line.startswith("curl "):
            command, index = _command(lines, index)
            while lines[index].strip() != "Response example":
                index += 1
            response, index = _response(lines, index + 1)
            examples.append({"step": step, "curl": command, "response": response})
            continue
        index += 1
    return examples


def _slug(step: str) -> str:
    title = step.split(": ", 1)[-1].lower()
    return re.sub(r"[^a-z0-9]+", "-", title).strip("-")


def main(argv: list[str]) -> int:
    """Write the fixtures."""
    guide, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    index = []
    for number, example in enumerate(extract(guide.read_text(encoding="utf-8")), start=1):
        name = f"{number:02d}-{_slug(example['step'])}"
        (out / f"{name}.curl").write_text(example["curl"] + "\n", encoding="utf-8")
        (out / f"{name}.response").write_text(example["response"] + "\n", encoding="utf-8")
        index.append({"name": name, "step": example["step"]})
    (out / "index.json").write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(index)} examples to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
