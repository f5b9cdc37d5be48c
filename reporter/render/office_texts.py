"""An office's fixed texts (发文机关, 主送, 落款, 发文字号) derived from its ledger, for an office with no
office.toml of its own yet: `reporter init` writes them into the workspace for the clerk to correct, and a
render without an office file uses them rather than the sample office's (湖北省民生工作领导小组办公室).

Derived words are guesses from the region's name and level (咸宁市 → 咸宁市民生工作领导小组办公室, 咸民生办〔2025〕5号,
主送 各县（市、区）人民政府，市直有关单位); `reporter check` lists them with a 提示 until the clerk has an office file.
"""
from __future__ import annotations

from typing import Any

from ..model.office import Office as Region

# 主送机关 by the office's level: the governments below it, then the departments at its own level.
_ADDRESSEES = {
    "省": "各市、州、县人民政府，省直有关单位：",
    "市": "各县（市、区）人民政府，市直有关单位：",
    "县": "各乡镇人民政府、街道办事处，县直有关单位：",
    "乡": "各村（社区），{short}各有关单位：",
}
# The level's one-character prefix of 直有关单位 and of the short name: 省民生办 / 市民生办 / 县民生办.
_LEVEL_WORD = {"省": "省", "市": "市", "县": "县", "乡": "镇"}

REQUIREMENTS = [
    "强化统筹调度。各牵头单位要对照年度任务台帐，逐项细化任务目标、责任单位、实施计划和完成时限，压实牵头和配合责任；"
    "各地各部门要按月如实报送推进情况，确保数据真实准确、进展可查可考。",
    "加快滞后任务推进。对本期通报的滞后任务，牵头单位要深入分析原因，逐项制定整改措施，倒排工期、挂图作战，确保尽快赶上"
    "序时进度；严重滞后和连续滞后的任务，由{name}挂牌督办。",
    "强化考核督办。{name}将对民生实事推进情况进行闭环跟踪，推进情况纳入年度绩效目标考核，对工作不力、进度滞后的责任单位"
    "予以通报。",
]


def level_word(region: Region) -> str:
    if region.name.endswith("街道"):
        return "街道"
    if region.name.endswith("乡"):
        return "乡"
    return _LEVEL_WORD.get(region.level, region.scope.removeprefix("全") or "本级")


def derived_texts(region: Region, name: str | None = None) -> dict[str, dict[str, Any]]:
    """The [office] and [notices] tables for the office of `region`; `name` the office's full name if known."""
    word = level_word(region)
    name = name or f"{region.name}民生工作领导小组办公室"
    short = f"{word}民生办"
    initial = (region.name[:1] or word)
    addressee = _ADDRESSEES.get(region.level, "各有关单位：").format(short=word)
    if region.level == "市" and region.children_word == "区":
        addressee = "各区人民政府，市直有关单位："
    elif region.level == "县" and region.children_word in ("乡镇", "街道"):  # 通山县: no 街道 to address
        addressee = "各乡镇人民政府，县直有关单位：" if region.children_word == "乡镇" else "各街道办事处，县直有关单位："
    elif region.level == "乡":  # a 街道 or 镇: its 社区居委会 and 村委会, then its own offices
        addressee = {"社区": "各社区居委会", "村": "各村委会"}.get(region.children_word, "各村（社区）") + f"，{word}各有关单位："
    office = {
        "name": name, "short": short, "issuer": name, "doc_number": f"{initial}民生办〔{{year}}〕{{seq}}号",
        "addressee": addressee, "signature": name, "cc": "", "printed_by": name, "note": "",
        "scope": region.scope, "region_word": region.children_word,
        "requirements": [r.format(name=name) for r in REQUIREMENTS],
    }
    notices = {"number": f"{initial}民生督〔{{year}}〕{{seq}}号", "first": 1, "days": 10,
               "reply_to": f"报送{short}", "contact": "", "phone": "", "email": "", "cc": ""}
    return {"office": office, "notices": notices}


GUESSED = ("name", "doc_number", "addressee")
_SAID = {"name": "发文机关", "doc_number": "发文字号", "addressee": "主送机关"}


def guessed_note(region: Region | None, office: dict[str, Any] | None) -> str:
    """Why the documents would carry guessed texts ('' when they would not): no office file for an office other
    than the sample's (`office` None), or a file still holding init's guesses."""
    if region is None:
        return ""
    derived = derived_texts(region)["office"]
    if office is None:
        shown = "、".join(f"{_SAID[k]}“{derived[k]}”" for k in GUESSED)
        return f"没有本单位的发文机关配置（office.toml），公文将使用按台帐所属地区推定的{shown}：请用 reporter init 生成后核对。"
    same = [_SAID[k] for k in GUESSED if office.get(k) == derived[k]]
    if same:
        return f"发文机关配置中的{'、'.join(same)}仍是 reporter init 按台帐所属地区推定的写法，请核对（核对无误可忽略本提示）。"
    return ""
