"""Contact sheets of validation previews: a self-contained HTML page and a PNG grid."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from PIL import Image, ImageDraw

from pulumi_modelstudio.client import ModelStudioClient

__all__ = ["write_gallery"]

THUMB = 192


def write_gallery(client: ModelStudioClient, job_id: str, out: Path) -> Path:
    """Write `out` (HTML, images embedded) and `out` with .png (grid: rows = checkpoints); return the PNG path."""
    rows: list[tuple[str, list[tuple[str, bytes]]]] = []
    for checkpoint in client.fine_tunes.validation_results(job_id):
        details = client.fine_tunes.validation_details(job_id, checkpoint)
        rows.append(
            (checkpoint, [(d.prompt or "", client.images.download(d.img_path)) for d in details.items if d.img_path])
        )
    parts = [
        f"<!doctype html><meta charset='utf-8'><title>{html.escape(job_id)} previews</title>",
        "<style>body{font-family:sans-serif} td{vertical-align:top;width:200px;font-size:12px}</style>",
        f"<h1>Validation previews of {html.escape(job_id)}</h1><table>",
    ]
    for checkpoint, images in rows:
        cells = "".join(
            f"<td><img width='{THUMB}' src='data:image/png;base64,{base64.b64encode(data).decode()}'>"
            f"<br>{html.escape(prompt)}</td>"
            for prompt, data in images
        )
        parts.append(f"<tr><th>{html.escape(checkpoint)}</th>{cells}</tr>")
    parts.append("</table>")
    out.write_text("".join(parts), encoding="utf-8")

    columns = max((len(images) for _, images in rows), default=1)
    sheet = Image.new("RGB", (140 + columns * THUMB, max(1, len(rows)) * (THUMB + 10)), "white")
    draw = ImageDraw.Draw(sheet)
    for r, (checkpoint, images) in enumerate(rows):
        top = r * (THUMB + 10)
        draw.text((8, top + THUMB // 2), checkpoint, fill="black")
        for c, (_, data) in enumerate(images):
            with Image.open(io.BytesIO(data)) as image:
                sheet.paste(image.convert("RGB").resize((THUMB, THUMB)), (140 + c * THUMB, top))
    png = out.with_suffix(".png")
    sheet.save(png)
    return png
