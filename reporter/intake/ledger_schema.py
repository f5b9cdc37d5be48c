"""Canonical headers of the annual ledger workbook and the aliases real offices use.

This table is the documentation: docs/ledger-format.md is generated from it (see tests/test_docs.py).
"""
from __future__ import annotations

from .headers import Field, Schema

# Region headers whose bracket is part of the name, not a unit: 县（市、区）. Written as headers are compared,
# after normalisation (half-width brackets).
BRACKETED_REGIONS = ("县(市、区)", "县(市区)", "县(市,区)", "市(州)", "县(市)", "区(县)", "县(区)")

MONTHS = tuple(f"{m}月" for m in range(1, 13))
QUARTERS = ("一季度", "二季度", "三季度", "四季度")
# 计划进度 by month or quarter: in a 计划进度 sheet, or as columns of the task sheet itself
PLAN_FIELDS = (
    *(Field(f"m{m}", f"{m}月", (f"{m}月底", f"{m}月末", f"{m}月份")) for m in range(1, 13)),
    *(Field(f"q{q}", name, (f"第{name}", f"{name}末", f"Q{q}")) for q, name in enumerate(QUARTERS, 1)),
)

TASKS = Schema(
    "任务表",
    (
        # 序号 only when nothing names the code better: many ledgers number their tasks in a 序号 column
        Field("code", "任务编号", ("编号", "台账编号", "台帐编号", "任务序号", "项目编号", "序号编码"), loose=("序号",)),
        Field("domain", "领域", ("所属领域", "类别", "任务类别", "分类", "板块", "民生领域")),
        Field("name", "任务名称", ("重点任务", "工作任务", "民生实事", "实事名称", "项目名称", "实事项目", "民生实事项目",
                                       "民生项目", "实事项目名称", "任务")),
        Field("content", "任务内容", ("主要内容", "具体内容", "工作内容", "建设内容", "主要任务", "目标任务内容")),
        Field("indicator", "指标名称", ("指标", "考核指标", "主要指标", "绩效指标")),
        Field("unit", "计量单位", ("单位", "指标单位", "计算单位")),
        Field("target", "年度目标", ("目标值", "年度目标值", "全年目标", "目标任务", "年度任务", "目标"),
              (r"\d{4}年度?目标值?", r"\d{4}年度?任务", r"\d{4}年度?目标任务")),
        Field("nature", "指标属性", ("属性", "指标性质", "指标类型")),
        Field("direction", "指标方向", ("方向", "指标极性")),
        Field("aggregation", "汇总方式", ("汇总规则", "汇总方法", "合计方式")),
        Field("basis", "汇总依据", ("分子分母", "权重", "权重依据")),
        Field("lead", "牵头单位", ("牵头部门", "主责单位", "牵头责任单位", "责任牵头单位", "主办单位", "牵头")),
        Field("responsible", "责任单位", ("配合单位", "责任部门", "参与单位", "协同单位", "协办单位", "配合部门")),
        Field("deadline", "完成时限", ("时间节点", "完成时间", "时限要求", "完成期限", "时限", "完成时间节点")),
        Field("decomposed", "分解到地区", ("是否分解", "分解到市州", "是否分解到地区")),
        Field("source", "来源文件", ("来源", "文件依据", "政策依据")),
        Field("note", "备注", ("说明",)),
        *PLAN_FIELDS,
    ),
    required=("code", "name"),
    sheet_names=("任务", "任务表", "台帐", "台账", "任务台帐", "任务台账", "民生实事"),
)

REGION_TARGETS = Schema(
    "分地区目标",
    (
        Field("code", "任务编号", TASKS.field("code").aliases),
        Field("region", "地区", ("地区名称", "市州", "县市区", "区域", "行政区划", *BRACKETED_REGIONS)),
        Field("target", "年度目标", TASKS.field("target").aliases, TASKS.field("target").patterns),
        Field("unit", "责任单位", ("填报单位", "责任主体")),
    ),
    required=("code", "region", "target"),
    sheet_names=("分地区目标", "分解目标", "地区分解", "目标分解"),
)

WIDE_TARGETS = Schema(
    "分地区目标（宽表）",
    (
        Field("code", "任务编号", TASKS.field("code").aliases),
        Field("name", "任务名称", TASKS.field("name").aliases),
        Field("indicator", "指标名称", TASKS.field("indicator").aliases + ("任务（指标）", "任务(指标)", "指标任务")),
        Field("unit", "计量单位", TASKS.field("unit").aliases),
        Field("target", "年度目标", TASKS.field("target").aliases, TASKS.field("target").patterns),
        Field("lead", "牵头单位", TASKS.field("lead").aliases),
        Field("note", "备注", ("说明",)),
    ),
    required=(),
    sheet_names=("任务分解", "分解表", "目标分解表", "任务分解表", "分地区目标", "分解目标", "附表2", "县市区任务分解",
                 "分县市区目标", "地区分解"),
    any_of=("code", "name", "indicator"),
)

PLAN = Schema(
    "计划进度",
    (
        Field("code", "任务编号", TASKS.field("code").aliases),
        Field("kind", "计划类型", ("计划方式", "进度类型")),
        *PLAN_FIELDS,
    ),
    required=("code",),
    sheet_names=("计划进度", "进度计划", "序时计划", "计划"),
)

UNITS = Schema(
    "责任单位",
    (
        Field("name", "单位名称", ("单位全称", "名称", "责任单位", "单位")),
        Field("short", "简称", ("单位简称",)),
        Field("aliases", "别名", ("其他名称", "又称")),
        Field("kind", "单位类型", ("类型", "单位类别")),
        Field("group", "所属工作组", ("工作组", "专班", "所属专班")),
        Field("contact", "联系人", ("联络员",)),
        Field("email", "联系邮箱", ("邮箱", "电子邮箱", "E-mail", "Email", "email")),
        Field("region", "地区", ("所属地区", "地区名称")),
    ),
    required=("name",),
    sheet_names=("责任单位", "单位", "单位表", "通讯录"),
)

REGIONS = Schema(
    "地区",
    (
        Field("code", "地区代码", ("代码", "行政区划代码", "区划代码")),
        Field("name", "地区名称", ("名称", "地区", "行政区划")),
        Field("parent", "上级代码", ("上级", "上级地区代码", "上级区划代码", "上级地区", "上级名称", "所属地区", "所属")),
        Field("level", "层级", ("级别", "行政级别")),
        Field("short", "简称", ()),
        Field("aliases", "别名", ()),
    ),
    required=("name",),
    any_of=("code", "parent", "level"),
    sheet_names=("地区", "地区表", "行政区划"),
)

# A 地区 sheet that only lists names (a county's 乡镇), read only from a sheet with a usual 地区 sheet name: they
# are the children of the office's region.
REGION_NAMES = Schema("地区（仅名称）", (REGIONS.field("name"),), required=("name",), sheet_names=REGIONS.sheet_names)

ROUNDS = Schema(
    "填报轮次",
    (
        Field("round", "轮次", ("填报轮次", "月份", "期次")),
        Field("deadline", "截止日期", ("报送截止", "报送时间", "截止时间")),
    ),
    required=("round", "deadline"),
    sheet_names=("填报轮次", "轮次", "报送安排"),
)

ALL = (TASKS, REGION_TARGETS, WIDE_TARGETS, PLAN, UNITS, REGIONS, ROUNDS)
