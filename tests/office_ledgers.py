"""Office ledgers written by hand the way offices lay them out, from seeds 002 (咸宁市) and 003 (长兴县).

Each builder returns the sheets for conftest.write_book (and its merges); `fill` fills a round's templates the
way units do, from a table of values per (task, region name).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import openpyxl

from reporter.intake.submission_schema import META_SHEET, PROGRESS
from reporter.render.fillin import PROGRESS_SHEET

XIANNING_COUNTIES = ["咸安区", "嘉鱼县", "通城县", "崇阳县", "通山县", "赤壁市"]
TASK_HEADER = ["任务编号", "领域", "任务名称", "指标名称", "计量单位", "年度目标", "牵头单位", "责任单位", "完成时限"]


def xianning_city() -> tuple[dict[str, list[list]], dict[str, list[str]]]:
    """咸宁市's own ledger: a title row, no units sheet, a wide 任务分解 sheet with a 合计 column (one 合计 off
    by 5), county governments written collectively (各县（市、区）人民政府 / 各县市区政府)."""
    tasks = [
        ["咸宁市2025年保障和改善民生工作年度任务台帐"],
        TASK_HEADER,
        ["XN-01", "就业创业", "城镇新增就业", "城镇新增就业人数", "万人", "2.5万人", "市人社局",
         "各县（市、区）人民政府", "2025年12月底"],
        ["XN-02", "住有宜居", "城镇老旧小区改造", "改造小区数", "个", "120个", "市住建局",
         "市财政局、各县（市、区）人民政府", "2025年11月底"],
        ["XN-03", "幼有善育", "普惠性幼儿园覆盖率", "普惠性幼儿园覆盖率", "%", "≥90%", "市教育局", "各县市区政府",
         "2025年12月底"],
        ["XN-04", "老有颐养", "城市社区嵌入式养老服务设施", "新建设施数", "个", "8个", "市民政局", "市财政局",
         "2025年12月底"],
    ]
    split = [
        ["咸宁市2025年民生实事任务分解表"],
        ["编号", "指标", "单位", *XIANNING_COUNTIES, "合计"],
        ["XN-01", "城镇新增就业人数", "万人", 0.6, 0.35, 0.35, 0.35, 0.3, 0.55, 2.5],
        ["XN-02", "改造小区数", "个", 40, 15, 15, 15, 10, 25, 125],  # 合计 says 125, the counties add to 120
    ]
    return {"任务台帐": tasks, "任务分解": split}, {"任务台帐": ["A1:I1"], "任务分解": ["A1:J1"]}


def xianning_task_columns() -> tuple[dict[str, list[list]], dict[str, list[str]]]:
    """The same city, its county targets written as columns of the task sheet itself."""
    header = [*TASK_HEADER[:6], *XIANNING_COUNTIES, *TASK_HEADER[6:]]
    tasks = [
        ["咸宁市2025年民生实事任务台帐"],
        header,
        ["XN-01", "就业创业", "城镇新增就业", "城镇新增就业人数", "万人", "2.5万人", 0.6, 0.35, 0.35, 0.35, 0.3, 0.55,
         "市人社局", "", "2025年12月底"],
        ["XN-02", "住有宜居", "城镇老旧小区改造", "改造小区数", "个", "120个", 40, 15, 15, 15, 10, 25,
         "市住建局", "市财政局", "2025年11月底"],
        ["XN-04", "老有颐养", "城市社区嵌入式养老服务设施", "新建设施数", "个", "8个", None, None, None, None, None,
         None, "市民政局", "", "2025年12月底"],
    ]
    return {"任务": tasks}, {}


def xianning_by_people() -> tuple[dict[str, list[list]], dict[str, list[str]]]:
    """The city as its 十件民生实事 are often tabled: 序号 for codes, the target inside the 目标任务 text, the
    county columns in the task sheet — and the counties' shares of "2.8万人" written in 人 (7000), two county
    governments in one cell sharing their 人民政府 ("咸安区、赤壁市人民政府")."""
    counties = ["咸安区", "嘉鱼县", "赤壁市", "通城县", "崇阳县", "通山县"]
    tasks = [
        ["咸宁市2025年十件民生实事任务分解台账"],
        ["填报单位：市民生实事办公室", None, None, None, None, None, "2025年3月"],
        ["序号", "民生实事", "目标任务", "牵头单位", "责任单位", "完成时限", *counties],
        [1, "稳定扩大就业", "城镇新增就业2.8万人", "市人社局", "各县（市、区）人民政府", "12月底前",
         7000, 3000, 6000, 4000, 4000, 4000],
        [2, "改善居住条件", "改造城镇老旧小区120个", "市住建局", "各县（市、区）人民政府", "11月底前", 40, 15, 25, 12, 14, 14],
        [3, "办好人民满意教育", "新建改扩建幼儿园10所", "市教育局", "咸安区、赤壁市人民政府", "9月底前",
         6, None, 4, None, None, None],
    ]
    return {"Sheet1": tasks}, {"Sheet1": ["A1:L1"]}


CHANGXING_TOWNS = ["雉城街道", "画溪街道", "太湖街道", "龙山街道", "洪桥镇", "李家巷镇", "夹浦镇", "煤山镇", "水口乡"]


def changxing_county() -> tuple[dict[str, list[list]], dict[str, list[str]]]:
    """长兴县 (浙江, not in the built-in table): its 地区 sheet lists the county and its 乡镇（街道） by name only;
    a long decomposition; 各乡镇（街道） written collectively."""
    tasks = [
        ["长兴县2025年公共服务“七优享”工程重点任务台帐"],
        TASK_HEADER,
        ["CX-01", "住有宜居", "老旧小区改造", "老旧小区累计改造个数", "个", "54个", "县住建局", "各乡镇（街道）",
         "2025年12月底"],
        ["CX-02", "弱有众扶", "残疾人之家建设", "残疾人之家覆盖率", "%", "100%", "县残联", "各乡镇人民政府、各街道办事处",
         "2025年12月底"],
        ["CX-03", "幼有善育", "普惠托育服务", "每千人口拥有3岁以下婴幼儿托位数", "个", "5.0个", "县卫生健康局", "",
         "2025年12月底"],
        ["CX-04", "弱有众扶", "培育慈善组织", "新增慈善组织数量", "个", "4个", "县民政局", "", "2025年12月底"],
    ]
    regions = [["地区名称", "上级地区"], ["长兴县", ""], *[[t, "长兴县"] for t in CHANGXING_TOWNS]]
    split = [["任务编号", "地区", "年度目标"],
             *[["CX-01", town, n] for town, n in zip(CHANGXING_TOWNS, [10, 8, 6, 6, 6, 5, 5, 5, 3])]]
    units = [["单位名称", "简称", "联系邮箱"], ["长兴县住房和城乡建设局", "县住建局", "zjj@changxing.example.gov.cn"],
             ["长兴县残疾人联合会", "县残联", ""], ["长兴县卫生健康局", "县卫生健康局", ""],
             ["长兴县民政局", "县民政局", "mzj@changxing.example.gov.cn"],
             ["雉城街道办事处", "雉城街道", "zc@changxing.example.gov.cn"]]
    return {"台帐": tasks, "地区": regions, "分地区目标": split, "通讯录": units}, {"台帐": ["A1:I1"]}


COMMUNITIES = ["长中社区", "金陵社区", "解放社区", "画溪社区"]


def zhicheng_street() -> tuple[dict[str, list[list]], dict[str, list[str]]]:
    """A 街道's own ledger (雉城街道 of 长兴县): its 社区 in the 地区 sheet with their level, 各社区 collectively."""
    tasks = [
        ["雉城街道2025年民生实事项目台帐"],
        TASK_HEADER,
        ["ZC-01", "住有宜居", "老旧小区加装电梯", "加装电梯数", "台", "12台", "街道城建办", "各社区", "2025年12月底"],
        ["ZC-02", "老有康养", "居家养老服务中心", "居家养老服务覆盖率", "%", "100%", "街道社会事务办", "各社区居委会",
         "2025年12月底"],
    ]
    regions = [["地区名称", "上级地区", "层级"], ["雉城街道", "", "街道"], *[[c, "雉城街道", "社区"] for c in COMMUNITIES]]
    split = [["任务编号", "地区", "年度目标"], *[["ZC-01", c, n] for c, n in zip(COMMUNITIES, [4, 3, 3, 2])]]
    return {"台帐": tasks, "地区": regions, "分地区目标": split}, {"台帐": ["A1:I1"]}


HUBEI_GROUPS = {"咸宁市": ["咸安区", "嘉鱼县", "通山县"], "黄石市": ["大冶市", "阳新县"]}


def hubei_province() -> tuple[dict[str, list[list]], dict[str, list[str]]]:
    """湖北省: a 附表2 with a two-row header grouping counties under their city; 各市、州、县人民政府 on a rate."""
    tasks = [
        ["湖北省2025年民生实事任务台帐"],
        TASK_HEADER,
        ["HB-01", "住有宜居", "城镇老旧小区改造", "改造小区数", "个", "100个", "省住建厅", "", "2025年11月底"],
        ["HB-02", "病有良医", "县域医共体建设", "医共体覆盖率", "%", "≥95%", "省卫生健康委", "各市、州、县人民政府",
         "2025年12月底"],
    ]
    counties = [c for group in HUBEI_GROUPS.values() for c in group]
    top = ["序号", "指标"]
    for city, group in HUBEI_GROUPS.items():
        top += [city] + [None] * (len(group) - 1)
    split = [top, [None, None, *counties], ["HB-01", "改造小区数", 30, 20, 10, 25, 15]]
    merges = ["A1:A2", "B1:B2", "C1:E1", "F1:G1"]
    return {"任务": tasks, "附表2": split}, {"附表2": merges}


def fill(templates: Path, out: Path, value: Callable[[str, str], float | None],
         skip: set[str] = frozenset(), whole: str = "") -> list[Path]:
    """Fill every template as its unit would: 累计完成 from `value(task code, region name)` ('' for the task as a
    whole, which the template may label with the office's region `whole`; None: left blank, status 未启动),
    进展状态 正常推进; the units in `skip` send nothing. Returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    col = {f.key: i + 1 for i, f in enumerate(PROGRESS.fields)}
    written = []
    for path in sorted(templates.glob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        unit = dict(wb[META_SHEET].iter_rows(values_only=True)).get("填报单位")
        if unit in skip:
            continue
        ws = wb[PROGRESS_SHEET]
        for r in range(4, ws.max_row + 1):
            code = ws.cell(r, col["code"]).value
            if not code or str(code).startswith("填表人"):
                continue
            region = ws.cell(r, col["region"]).value or ""
            v = value(code, "" if region == whole else region)
            ws.cell(r, col["value"]).value = v
            ws.cell(r, col["status"]).value = "正常推进" if v is not None else "未启动"
        target = out / path.name
        wb.save(target)
        written.append(target)
    return written
