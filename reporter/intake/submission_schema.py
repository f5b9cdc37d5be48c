"""Columns of a monthly progress submission (月度进展填报表) and the fill-in template's metadata sheet.

The fill-in template (render.fillin) writes these headers; intake reads them back by name, with the
aliases offices use when they build their own sheet instead of filling the template.
"""
from __future__ import annotations

from .headers import Field, Schema
from .ledger_schema import BRACKETED_REGIONS, TASKS

PROGRESS = Schema(
    "进展填报表",
    (
        Field("code", "任务编号", TASKS.field("code").aliases),
        Field("name", "任务名称", TASKS.field("name").aliases),
        Field("region", "地区", ("县市区", "市州", "区域", "地区名称", "所属地区", *BRACKETED_REGIONS)),
        Field("indicator", "指标名称", TASKS.field("indicator").aliases),
        Field("unit", "计量单位", TASKS.field("unit").aliases),
        Field("target", "年度目标", TASKS.field("target").aliases, TASKS.field("target").patterns),
        Field("previous", "上月累计完成", ("上期累计", "上月累计", "上期累计完成", "上月完成"),
              (r".{0,8}(上月|上期|上个月|上一月)(底|末)?累计(完成)?(值|数|量|数量|数值)?",)),
        # any header saying 累计完成 (1-5月累计完成, 本年累计完成, 累计完成量) but for an earlier period, a
        # rate (累计完成率) or a title (…累计完成情况表); a month span or 截至… with 完成 or 累计 (1-5月完成,
        # 1-5月累计, 截至5月底完成数); 完成数, 完成情况 or 完成值 only when nothing better is there
        Field("value", "累计完成", ("本月累计完成", "累计完成值", "截至本月累计完成", "累计完成数", "累计完成情况",
                                   "截至目前完成", "本期累计", "累计数", "累计值", "累计量", "累计数量"),
              (r"(?!.*(上月|上期|上个月|上一月|上年|去年|同期|计划|目标|序时|应|预计))[^表]{0,16}累计完成"
               r"(值|数|量|数量|数值|额|金额|总量|总数|情况|投资)?",
               # 1-5月完成, 2025年1—5月累计, 截至5月底完成数, 截至目前完成情况
               r"(?!.*(上月|上期|上个月|上一月|上年|去年|同期|计划|目标))(\d{4}年度?)?"
               r"(([1-9]|1[0-2]|[一二三四五六七八九十]{1,2})月?[-—–~～至到]([1-9]|1[0-2]|[一二三四五六七八九十]{1,2})月份?"
               r"(底|末)?(份)?|(截至|截止|截止到)[^表率]{0,10}?)"
               r"(累计(完成)?|完成|实际完成)(值|数|量|数量|数值|额|金额|总量|总数|情况|投资)?",),
              loose=("完成值", "实际完成", "完成情况", "完成数", "完成量", "完成数量", "实际完成值", "实际完成数",
                     "实际完成量")),
        # 比率 rows: the two counts the rate is made of, named in the ledger's 汇总依据 (分子：入学人数); 加权平均
        # rows: the weight (常住人口). Parents recompute their rate from these, never from the rates.
        Field("numerator", "分子", ("分子数", "分子值", "分子数值"), (r"分子[:：(（].{1,40}",)),
        Field("denominator", "分母", ("分母数", "分母值", "分母数值"), (r"分母[:：(（].{1,40}",)),
        Field("weight", "权重", ("权数", "权重数", "权重值"), (r"权重[:：(（].{1,40}",)),
        Field("status", "进展状态", ("推进状态", "状态", "完成状态", "进度状态", "进展情况评价")),
        Field("progress", "工作进展", ("进展情况", "主要进展", "工作推进情况", "推进情况", "进展描述")),
        Field("problems", "存在问题", ("存在的问题", "主要问题", "困难问题", "问题及困难")),
        Field("measures", "下步措施", ("下一步措施", "下步打算", "下一步工作", "整改措施")),
        Field("finish_date", "完成日期", ("实际完成时间", "完成时间")),
    ),
    required=("value",),
    sheet_names=("进展填报", "填报表", "月度进展", "进度表"),
    any_of=("code", "name", "indicator"),
    monthly=("value", "previous"),
)

# Sheets that explain how to fill in the table: never data, even when they list its headers.
GUIDE_SHEETS = ("填报说明", "填表说明", "说明", "指标解释", "填报要求", "填表要求", "填报须知", "指标说明")

# Columns a unit may not change: the ledger stays authoritative for them.
LOCKED = ("code", "name", "region", "indicator", "unit", "target", "previous")
# Columns a unit fills in.
FILLED = ("value", "status", "progress", "problems", "measures", "finish_date")
# Columns a unit fills in on the rows that need them: 分子 and 分母 of a 比率 task, 权重 of a 加权平均 one.
PARTS = ("numerator", "denominator", "weight")

STATUSES = ("已完成", "正常推进", "滞后", "未启动")

# The hidden metadata sheet of a fill-in template: key/value rows.
META_SHEET = "_reporter"
META_KEYS = {
    "template": "模板",  # always TEMPLATE_ID
    "version": "模板版本",
    "unit": "填报单位",
    "unit_kind": "单位类型",
    "round": "填报轮次",
    "ledger": "台帐",
    "generated": "生成时间",
}
TEMPLATE_ID = "reporter-fillin"
TEMPLATE_VERSION = "1"
