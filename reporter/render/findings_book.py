"""The findings workbook: every finding, with where it is and what to do, for clerks to act on."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import xlsxwriter

from ..files import atomic_path
from ..model.findings import Finding
from .excel import write_table

HEADERS = ["序号", "严重程度", "问题类型", "文件", "工作表", "单元格", "字段", "原值", "问题说明", "代码"]


def finding_row(i: int, f: Finding) -> list:
    return [i, f.severity.value, f.type.title, f.file, f.sheet, f.cell, f.field, f.value, f.message, f.code]


def write_findings(path: str | Path, findings: Iterable[Finding], sheet_name: str = "全部问题") -> Path:
    items = list(findings)
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp))
        write_table(book, sheet_name, HEADERS, [finding_row(i, f) for i, f in enumerate(items, 1)],
                    text_wrap_cols=(8,))
        book.close()
    return Path(path)
