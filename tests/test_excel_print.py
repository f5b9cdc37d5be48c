"""Workbooks a clerk prints or fills in: numbers stored as numbers, one page wide, header rows repeated, rows
tall enough for their wrapped text (LibreOffice and WPS do not grow a row xlsxwriter wrote)."""
import re

import openpyxl
import pytest

from reporter import api
from reporter.render.excel import display_width

from .conftest import SAMPLE_LEDGER


def fit_one_page_wide(ws):
    assert ws.page_setup.orientation == "landscape", ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None), ws.title
    assert ws.page_setup.fitToHeight == 0, ws.title


def test_round_ledger_prints_one_page_wide(sample_round):
    ws = openpyxl.load_workbook(sample_round / "2025-05" / "本轮台帐.xlsx")["本轮台帐"]
    fit_one_page_wide(ws)
    assert ws.print_title_rows == "$1:$1"
    headers = [c.value for c in ws[1]]
    area = str(ws.print_area)
    last = re.findall(r"\$([A-Z]+)\$\d+", area)[-1]
    assert headers[openpyxl.utils.column_index_from_string(last) - 1] == "备注"  # 来源文件 … 原值 not printed


def test_return_guide_prints_one_page_wide(sample_round):
    books = sorted((sample_round / "2025-05" / "退回修改").glob("*.xlsx"))
    assert books
    ws = openpyxl.load_workbook(books[0])["修改说明"]
    fit_one_page_wide(ws)
    for row in ws.iter_rows(min_row=4):
        message = row[3].value or ""
        assert ws.row_dimensions[row[0].row].height >= 15 * (display_width(message) // 80 + 1)


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    out = tmp_path_factory.mktemp("ws")
    return api.template(SAMPLE_LEDGER, "2025-05", out).files


def test_fill_in_targets_are_numbers_and_rows_fit_their_text(templates):
    numbers = 0
    for path in templates:
        ws = openpyxl.load_workbook(path)["进展填报"]
        headers = {c.value: c.column for c in ws[3]}
        for row in ws.iter_rows(min_row=4):
            target = row[headers["年度目标"] - 1]
            if isinstance(target.value, str):
                assert not re.fullmatch(r"-?\d+(\.\d+)?", target.value.strip()), f"{path.name} {target.coordinate}"
            elif isinstance(target.value, (int, float)):
                numbers += 1
            name = row[headers["任务名称"] - 1].value
            if name:
                width = ws.column_dimensions[openpyxl.utils.get_column_letter(headers["任务名称"])].width
                lines = -(-display_width(name) // (width - 1))
                assert ws.row_dimensions[row[0].row].height >= 14 * lines, f"{path.name} 第{row[0].row}行"
    assert numbers > 100


def test_bare_number_targets_are_numbers_in_the_round_books(sample_round, sample_rollup, tmp_path):
    from reporter.render.rollup_book import write_rollup_book

    ws = openpyxl.load_workbook(sample_round / "2025-05" / "本轮台帐.xlsx")["本轮台帐"]
    column = [c.value for c in ws[1]].index("年度目标")
    values = [row[column].value for row in ws.iter_rows(min_row=2)]
    assert not [v for v in values if isinstance(v, str) and re.fullmatch(r"-?\d+(\.\d+)?", v)]
    assert sum(isinstance(v, (int, float)) for v in values) > 50
    assert any(isinstance(v, str) and v for v in values)  # '1200户'-style targets stay as written
    book = openpyxl.load_workbook(write_rollup_book(sample_rollup, tmp_path / "汇总分析表.xlsx"))["滞后任务"]
    column = [c.value for c in book[1]].index("年度目标")
    assert not [r[column].value for r in book.iter_rows(min_row=2)
                if isinstance(r[column].value, str) and re.fullmatch(r"-?\d+(\.\d+)?", r[column].value)]
