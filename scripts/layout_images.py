"""Draw the pictures of docs/ledger-format.md: a small long and a small wide decomposition sheet (咸宁市, seed
002), drawn as a spreadsheet (column letters, row numbers, grid) by WeasyPrint and cut to PNG by pdftoppm.

Run: python scripts/layout_images.py   (needs pdftoppm, from poppler-utils: scripts/system-deps.sh installs it)
"""
from __future__ import annotations

import html
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
COUNTIES = ["咸安区", "嘉鱼县", "通城县", "崇阳县", "通山县", "赤壁市"]
LONG = [["任务编号", "地区", "年度目标", "责任单位"],
        *[["XN-01", c, t, f"{c}人民政府"] for c, t in zip(COUNTIES, ["0.6万人", "0.35万人", "0.35万人", "0.35万人",
                                                                   "0.3万人", "0.55万人"])],
        ["XN-02", "咸安区", "40个", ""], ["XN-02", "嘉鱼县", "15个", ""]]
WIDE = [["咸宁市2025年民生实事任务分解表"],
        ["编号", "指标", "单位", *COUNTIES, "合计"],
        ["XN-01", "城镇新增就业人数", "万人", 0.6, 0.35, 0.35, 0.35, 0.3, 0.55, 2.5],
        ["XN-02", "改造老旧小区数", "个", 40, 15, 15, 15, 10, 25, 120]]
CSS = """
@page { size: auto; margin: 4mm; }
body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 10pt; }
table { border-collapse: collapse; }
td, th { border: 1px solid #bfbfbf; padding: 2px 6px; white-space: nowrap; }
th { background: #efefef; color: #555; font-weight: normal; text-align: center; }
td.head { background: #ddebf7; font-weight: bold; text-align: center; }
td.num { text-align: right; }
td.title { font-weight: bold; text-align: center; font-size: 11pt; }
"""


def page(rows: list[list], header_row: int) -> str:
    """The rows as a spreadsheet page: A B C … over the columns, 1 2 3 … before the rows."""
    width = max(len(r) for r in rows)
    letters = "".join(f"<th>{chr(65 + c)}</th>" for c in range(width))
    body = []
    for i, row in enumerate(rows, 1):
        if len(row) == 1:  # a title merged over the table
            body.append(f'<tr><th>{i}</th><td class="title" colspan="{width}">{html.escape(row[0])}</td></tr>')
            continue
        cells = []
        for value in row + [""] * (width - len(row)):
            kind = "head" if i == header_row else "num" if isinstance(value, (int, float)) else ""
            cells.append(f'<td class="{kind}">{html.escape(str(value))}</td>')
        body.append(f"<tr><th>{i}</th>{''.join(cells)}</tr>")
    return (f'<html lang="zh-CN"><head><style>{CSS}</style></head><body><table><tr><th></th>{letters}</tr>'
            f"{''.join(body)}</table></body></html>")


def render(rows: list[list], header_row: int, name: str) -> Path:
    from weasyprint import HTML

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / f"{name}.pdf"
        HTML(string=page(rows, header_row)).write_pdf(str(pdf))
        target = IMAGES / name
        subprocess.run(["pdftoppm", "-r", "110", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf), str(target)],
                       check=True, timeout=60)
    png = target.with_suffix(".png")
    _crop(png)
    return png


def _crop(png: Path) -> None:
    """Cut the page down to the table and a small white margin."""
    from PIL import Image, ImageOps

    image = Image.open(png).convert("RGB")
    box = ImageOps.invert(image).getbbox()
    if box:
        margin = 8
        image.crop((max(0, box[0] - margin), max(0, box[1] - margin), min(image.width, box[2] + margin),
                    min(image.height, box[3] + margin))).save(png, optimize=True)


def main() -> int:
    IMAGES.mkdir(parents=True, exist_ok=True)
    print(render(LONG, 1, "layout-long"))
    print(render(WIDE, 2, "layout-wide"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
