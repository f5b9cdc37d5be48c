"""Content of the bundled sample ledger: 2025年民生实事任务台帐 (provincial, 湖北省民生办).

Everything here is plain data; ``reporter.sample.build_ledger`` turns it into the workbook.

Where the tasks come from
-------------------------
Every task is taken from one of five public documents (see ``SOURCES``).  Task wording follows
the source text.  In 备注 the text after ``原文`` inside “…” is copied from the source
document; targets marked ``（派生）`` are 2025 annual targets derived from a multi-year or
end-of-period target in the source (the derivation is stated in the note).

Regional decomposition
----------------------
* Tasks from the Hubei measures are decomposed to the 17 市州 (``HUBEI_CITIES``); additive
  targets were split roughly in proportion to resident population (第七次人口普查 orders of
  magnitude), rounded to the precision shown and balanced with the largest-remainder method so
  the regional numbers add up exactly to the provincial target.  A few tasks fix 武汉市's share
  first (noted in 备注).
* Tasks from the Wuhan implementing opinion are decomposed to Wuhan's districts and the two
  functional zones (``WUHAN_DISTRICTS``).
* Indicators from the Xianning plan are decomposed to Xianning's six county-level areas
  (``XIANNING_COUNTIES``).
The regional numbers are illustrative only; they are not targets any government has issued.
"""
from __future__ import annotations

from datetime import date, datetime

YEAR = 2025
LEDGER_TITLE = "2025年民生实事任务台帐"
FILE_NAME = "2025年民生实事任务台帐.xlsx"
OFFICE = "湖北省民生工作领导小组办公室"
OFFICE_SHORT = "省民生办"
# Fixed document timestamp so rebuilding gives (nearly) identical bytes.
CREATED = datetime(2025, 1, 6, 9, 0, 0)

# --------------------------------------------------------------------------------------------
# Source documents (the seed texts).  Values are written into 来源文件 as-is.
# --------------------------------------------------------------------------------------------
SRC_HUBEI = "《关于进一步保障和改善民生的若干措施》（经省人民政府同意印发，2023年11月26日）"
SRC_WUHAN = "《市人民政府关于进一步推进民生保障提效公共服务提质的实施意见》（武政〔2022〕2号）"
SRC_XIANNING = "《咸宁市公共服务“十四五”规划》（咸发改社会〔2022〕14号）"
SRC_CENTRAL = "中办、国办《关于进一步保障和改善民生 着力解决群众急难愁盼的意见》"
SRC_CHANGXING = "参照《长兴县公共服务“七优享”工程实施方案（2023—2027年）》"

SOURCES = [SRC_HUBEI, SRC_WUHAN, SRC_XIANNING, SRC_CENTRAL, SRC_CHANGXING]

# --------------------------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------------------------
HUBEI_CITIES = [
    "武汉市", "黄石市", "十堰市", "宜昌市", "襄阳市", "鄂州市", "荆门市", "孝感市", "荆州市",
    "黄冈市", "咸宁市", "随州市", "恩施州", "仙桃市", "潜江市", "天门市", "神农架林区",
]
WUHAN_DISTRICTS = [
    "江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区", "东西湖区", "汉南区",
    "蔡甸区", "江夏区", "黄陂区", "新洲区", "东湖高新区", "武汉经开区",
]
XIANNING_COUNTIES = ["咸安区", "嘉鱼县", "通城县", "崇阳县", "通山县", "赤壁市"]

# Region name (as written in 分地区目标.地区) → the government that fills it in.
REGION_GOVERNMENTS = {
    **{name: f"{name}人民政府" for name in HUBEI_CITIES if name != "恩施州"},
    "恩施州": "恩施土家族苗族自治州人民政府",
    **{name: f"{name}人民政府" for name in WUHAN_DISTRICTS[:13]},
    "东湖高新区": "东湖新技术开发区管理委员会",
    "武汉经开区": "武汉经济技术开发区管理委员会",
    **{name: f"{name}人民政府" for name in XIANNING_COUNTIES},
}

# Collective wording allowed in 责任单位 besides named units.
COLLECTIVE_UNITS = ["各市州人民政府"]

# --------------------------------------------------------------------------------------------
# Sheet 任务
# --------------------------------------------------------------------------------------------
TASK_COLUMNS = [
    ("id", "任务编号"),
    ("domain", "领域"),
    ("name", "任务名称"),
    ("content", "任务内容"),
    ("indicator", "指标名称"),
    ("unit", "计量单位"),
    ("target", "年度目标"),
    ("attribute", "指标属性"),
    ("direction", "指标方向"),
    ("aggregation", "汇总方式"),
    ("basis", "汇总依据"),
    ("lead", "牵头单位"),
    ("responsible", "责任单位"),
    ("deadline", "完成时限"),
    ("decomposed", "分解到地区"),
    ("source", "来源文件"),
    ("note", "备注"),
]

_MID_YEAR = "2025年6月根据中办、国办意见增补"

TASKS = [
    # ---------------------------------------------------------------- 就业创业
    {
        "id": "MS2025-001", "domain": "就业创业", "name": "促进高校毕业生留鄂来鄂就业创业",
        "content": "深入实施“才聚荆楚”“技兴荆楚”工程，实施稳岗支持和扩岗激励系列措施，加大就业创业培训和创业贷款支持力度，促进高校毕业生留鄂来鄂就业创业。",
        "indicator": "新增高校毕业生留鄂来鄂就业创业人数", "unit": "万人", "target": 40,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省人社厅", "responsible": "省人社厅、省教育厅、省财政厅、省发改委、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“每年新增高校毕业生留鄂来鄂就业创业40万人以上”。武汉市先行分解30万人，其余按常住人口比例分解。",
    },
    {
        "id": "MS2025-002", "domain": "就业创业", "name": "支持返乡创业",
        "content": "支持引导县（市、区）建设一批特色返乡创业园，加大返乡创业支持力度，提升创业担保贷款申领便利度。",
        "indicator": "新增返乡创业人数", "unit": "万人", "target": 5,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省人社厅", "responsible": "省人社厅、省农业农村厅、省财政厅、人行湖北省分行、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“力争每年新增返乡创业5万人以上”。",
    },
    {
        "id": "MS2025-003", "domain": "就业创业", "name": "根治拖欠农民工工资",
        "content": "常态化开展涉薪隐患排查整治，加大欠薪案件查处力度，强化工程建设领域涉薪纠纷源头治理，欠薪线索及时受理、限时办结。",
        "indicator": "欠薪线索动态清零", "unit": "", "target": "动态清零",
        "attribute": "约束性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省人社厅", "responsible": "省人社厅、省住建厅、省交通运输厅、省公安厅、各市州人民政府",
        "deadline": "年底前", "decomposed": False, "source": SRC_CHANGXING,
        "note": "借鉴长兴县“欠薪线索动态化解率”指标；年度目标以动态清零表述，为本台帐设定。",
    },
    {
        "id": "MS2025-004", "domain": "就业创业", "name": "武汉市城镇新增就业",
        "content": "深入实施就业优先战略，落实系列减负、稳岗、扩就业政策，促进高校毕业生、农村劳动力、失业人员、就业困难人员、退役军人、残疾人等群体就业。",
        "indicator": "城镇新增就业人数", "unit": "万人", "target": 27.5,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省人社厅", "responsible": "武汉市人民政府、省人社厅",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_WUHAN,
        "note": "原文“到2025年，实现城镇新增就业110万人以上”，为规划期累计目标；按年均四分之一测算2025年目标27.5万人（派生）。",
    },
    {
        "id": "MS2025-005", "domain": "就业创业", "name": "武汉市城镇登记失业率控制",
        "content": "完善就业联动机制，鼓励多渠道灵活就业，落实灵活就业人员社保制度，强化困难群体就业兜底帮扶。",
        "indicator": "城镇登记失业率", "unit": "%", "target": "≤5",
        "attribute": "预期性", "direction": "逆向", "aggregation": "比率",
        "basis": "分子:城镇登记失业人数;分母:城镇从业人员与城镇登记失业人数之和",
        "lead": "省人社厅", "responsible": "武汉市人民政府、省人社厅",
        "deadline": "年底前", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“城镇登记失业率控制在5%以内”。",
    },
    {
        "id": "MS2025-006", "domain": "就业创业", "name": "咸宁市城镇新增就业",
        "content": "完善覆盖城乡的公共就业创业服务体系，持续释放就业补贴政策红利，加大对就业困难人员的就业援助力度，拓展公益性岗位安置就业困难人员就业。",
        "indicator": "城镇新增就业人数", "unit": "万人", "target": 3.6,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省人社厅", "responsible": "咸宁市人民政府、省人社厅",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_XIANNING,
        "note": "据规划表1第15项“城镇新增就业人数（万人次）”，2025年栏为18（“十四五”期间累计）；按五年平均测算2025年目标3.6万人（派生）。",
    },
    {
        "id": "MS2025-007", "domain": "就业创业", "name": "咸宁市零就业家庭动态清零",
        "content": "加大对就业困难人员的就业援助力度，及时认定零就业家庭并实施一对一帮扶，确保零就业家庭至少一人就业。",
        "indicator": "零就业家庭动态清零", "unit": "", "target": "动态清零",
        "attribute": "约束性", "direction": "正向", "aggregation": "达标个数", "basis": "",
        "lead": "省人社厅", "responsible": "咸宁市人民政府、省人社厅",
        "deadline": "年底前", "decomposed": True, "source": SRC_XIANNING,
        "note": "据规划表1第14项“零就业家庭动态清零”2025年目标（约束性）。",
    },
    {
        "id": "MS2025-008", "domain": "就业创业", "name": "咸宁市城镇登记失业率控制",
        "content": "健全城乡均等的公共就业创业服务制度，拓宽就业补贴政策覆盖率，将各县（市、区）城镇登记失业率控制在目标以内。",
        "indicator": "城镇登记失业率", "unit": "%", "target": "≤5.5",
        "attribute": "预期性", "direction": "逆向", "aggregation": "最大值", "basis": "",
        "lead": "省人社厅", "responsible": "咸宁市人民政府、省人社厅",
        "deadline": "年底前", "decomposed": True, "source": SRC_XIANNING,
        "note": "据规划表1第16项“城镇登记失业率（%）”2025年目标5.5，各县（市、区）均不高于5.5%，按最大值汇总。",
    },
    {
        "id": "MS2025-009", "domain": "就业创业", "name": "咸宁市零工驿站建设",
        "content": "在全市各县（市、区）建设零工驿站实体场所，加强零工驿站功能建设，为灵活就业人员提供岗位信息、技能培训和权益保障服务。",
        "indicator": "零工驿站实体场所数", "unit": "所", "target": 7,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省人社厅", "responsible": "咸宁市人民政府、省人社厅",
        "deadline": "6月底前", "decomposed": False, "source": SRC_XIANNING,
        "note": "原文“在全市各县（市、区）建设7所零工驿站实体场所”；专栏3为“建设咸宁市及6县区临工驿站7所”，含市本级1所。",
    },
    # ---------------------------------------------------------------- 教育
    {
        "id": "MS2025-010", "domain": "教育", "name": "推进教联体扩优提质",
        "content": "推进教联体扩优提质，加快义务教育优质均衡发展和城乡一体化；通过发放生活补助、职称倾斜、购房补助等措施激励中小学教师到乡村学校服务。",
        "indicator": "纳入教联体建设的义务教育学校占比", "unit": "%", "target": "≥80",
        "attribute": "预期性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:纳入教联体建设的义务教育学校数;分母:义务教育学校总数",
        "lead": "省教育厅", "responsible": "省教育厅、省自然资源厅、省发改委、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“2025年全省80%以上的义务教育学校纳入教联体建设”。",
    },
    {
        "id": "MS2025-011", "domain": "教育", "name": "武汉市新增公办学前教育学位",
        "content": "推进学前教育普及普惠发展，充分考虑户籍制度改革、三孩生育政策实施等政策因素，持续加大公办学前教育学位供给。",
        "indicator": "新增公办学前教育学位数", "unit": "个", "target": 17500,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省教育厅", "responsible": "武汉市人民政府、省教育厅、省发改委",
        "deadline": "9月底前", "decomposed": True, "source": SRC_WUHAN,
        "note": "原文“新增公办学前教育学位不少于7万个”，为规划期累计目标；按年均四分之一测算2025年目标1.75万个（派生），秋季学期开学前到位。",
    },
    {
        "id": "MS2025-012", "domain": "教育", "name": "武汉市新改扩建公办幼儿园",
        "content": "新改扩建公办幼儿园，扩大公办学前教育资源，重点补齐新城区和人口集中区域学位缺口。",
        "indicator": "新改扩建公办幼儿园数", "unit": "所", "target": 63,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省教育厅", "responsible": "武汉市人民政府、省教育厅、省自然资源厅",
        "deadline": "9月底前", "decomposed": True, "source": SRC_WUHAN,
        "note": "原文“新改扩建公办幼儿园不少于250所”，为规划期累计目标；按年均四分之一测算2025年目标63所（派生）。",
    },
    {
        "id": "MS2025-013", "domain": "教育", "name": "武汉市新改扩建中小学",
        "content": "推进义务教育优质均衡发展，合理布局新改扩建中小学，保障进城务工人员随迁子女享受“同城待遇”。",
        "indicator": "新改扩建中小学数", "unit": "所", "target": 38,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省教育厅", "responsible": "武汉市人民政府、省教育厅、省自然资源厅",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“新改扩建中小学不少于150所”，为规划期累计目标；按年均四分之一测算2025年目标38所（派生）。",
    },
    {
        "id": "MS2025-014", "domain": "教育", "name": "武汉市新增中小学学位",
        "content": "充分考虑户籍制度改革、三孩生育政策实施等政策因素，持续加大中小学学位供给。",
        "indicator": "新增中小学学位数", "unit": "万个", "target": 5,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省教育厅", "responsible": "武汉市人民政府、省教育厅",
        "deadline": "9月底前", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“新增中小学学位不少于20万个”，为规划期累计目标；按年均四分之一测算2025年目标5万个（派生）。",
    },
    {
        "id": "MS2025-015", "domain": "教育", "name": "武汉市学前教育普惠发展",
        "content": "推进学前教育普及普惠发展，保持公办幼儿园和普惠性民办幼儿园在园幼儿占比，提高等级园占比。",
        "indicator": "公办园和普惠性民办园在园幼儿占比", "unit": "%", "target": "≥80",
        "attribute": "约束性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:公办园和普惠性民办园在园幼儿数;分母:在园幼儿总数",
        "lead": "省教育厅", "responsible": "武汉市人民政府、省教育厅",
        "deadline": "年底前", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“全市公办幼儿园和普惠性民办幼儿园在园幼儿占比保持在80%以上，等级园占比达到75%”。",
    },
    {
        "id": "MS2025-016", "domain": "教育", "name": "咸宁市学前三年毛入园率",
        "content": "加大普惠性幼儿园的建设力度，落实“公办幼儿园学位扩充行动计划”，每个乡镇设立1-2所公办中心幼儿园。",
        "indicator": "学前三年毛入园率", "unit": "%", "target": 95,
        "attribute": "预期性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:在园幼儿数;分母:3—5周岁适龄儿童数",
        "lead": "省教育厅", "responsible": "咸宁市人民政府、省教育厅",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_XIANNING,
        "note": "据规划表1第1项“学前三年毛入园率（%）”2025年目标95。",
    },
    {
        "id": "MS2025-017", "domain": "教育", "name": "咸宁市九年义务教育巩固率",
        "content": "完善义务教育学籍管理制度和信息系统，建立针对性的控辍保学机制，巩固义务教育普及成果。",
        "indicator": "九年义务教育巩固率", "unit": "%", "target": 99.6,
        "attribute": "约束性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:初中毕业班学生数;分母:该年级入小学一年级时学生数",
        "lead": "省教育厅", "responsible": "咸宁市人民政府、省教育厅",
        "deadline": "年底前", "decomposed": False, "source": SRC_XIANNING,
        "note": "据规划表1第8项“九年义务教育巩固率（%）”2025年目标99.6（约束性）。",
    },
    {
        "id": "MS2025-018", "domain": "教育", "name": "咸宁市残疾少年儿童义务教育入学",
        "content": "提高残疾儿童少年义务教育普及水平，形成以特殊教育学校为骨干、普通学校随班就读为主体、送教上门和医教结合为补充的特殊教育办学格局。",
        "indicator": "残疾少年儿童义务教育入学率", "unit": "%", "target": 96,
        "attribute": "预期性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:接受义务教育的适龄残疾少年儿童数;分母:适龄残疾少年儿童数",
        "lead": "省教育厅", "responsible": "咸宁市人民政府、省教育厅、省残联",
        "deadline": "9月底前", "decomposed": False, "source": SRC_XIANNING,
        "note": "据规划表1第9项“残疾少年儿童义务教育入学率（%）”2025年目标96。",
    },
    # ---------------------------------------------------------------- 医疗卫生
    {
        "id": "MS2025-019", "domain": "医疗卫生", "name": "提升县域医疗服务能力",
        "content": "健全县域医疗服务体系，支持各地利用闲置低效房产建设社区卫生服务中心，搭建全省病理数据库等公共服务平台，推进检查检验结果互通共享。",
        "indicator": "至少建成一所三级医院的县（市）占比", "unit": "%", "target": "≥75",
        "attribute": "预期性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:至少建成一所三级医院的县（市）数;分母:县（市）总数",
        "lead": "省卫健委", "responsible": "省卫健委、省发改委、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“力争2025年底75%的县（市）至少建成一所三级医院”；2027年全省所有县（市）均建成1所三级医院。",
    },
    {
        "id": "MS2025-020", "domain": "医疗卫生", "name": "推进紧密型县域医共体建设",
        "content": "持续推进医共体建设，每个县（市）至少组建1个紧密型医共体，推动城市优质医疗资源向县级医院和基层下沉。",
        "indicator": "县（市）紧密型医共体组建", "unit": "", "target": "全覆盖",
        "attribute": "约束性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省卫健委", "responsible": "省卫健委、省医保局、各市州人民政府",
        "deadline": "年底前", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“每个县（市）至少组建1个以县级医院为龙头、其他医院及乡镇卫生院为成员单位的紧密型医共体”。",
    },
    {
        "id": "MS2025-021", "domain": "医疗卫生", "name": "提高优生优育服务水平",
        "content": "提高优生优育服务水平，市级妇幼保健院全部达到三级水平，县级妇幼保健院全部达到二级水平，推进妇幼保健院等级提升。",
        "indicator": "达到三级甲等水平的市级妇幼保健院占比", "unit": "%", "target": "≥60",
        "attribute": "预期性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:达到三级甲等水平的市级妇幼保健院数;分母:市级妇幼保健院总数",
        "lead": "省卫健委", "responsible": "省卫健委、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“市级妇幼保健院全部达到三级水平”，其中60%以上达到三级甲等水平。",
    },
    {
        "id": "MS2025-022", "domain": "医疗卫生", "name": "武汉市院前急救站点建设",
        "content": "推进院前急救等公共卫生体系建设，基本形成中心城区10分钟、新城区建成区12分钟医疗急救圈。",
        "indicator": "急救站点数", "unit": "个", "target": 140,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省卫健委", "responsible": "武汉市人民政府、省卫健委",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_WUHAN,
        "note": "原文“急救站点达到140个”，为2025年末总量目标。",
    },
    {
        "id": "MS2025-023", "domain": "医疗卫生", "name": "武汉市公共场所AED配置",
        "content": "在交通枢纽、学校、体育场馆、商圈等公共场所配置自动体外除颤器（AED），提升公众自救互救能力。",
        "indicator": "公共场所配置自动体外除颤器数", "unit": "台", "target": 4000,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省卫健委", "responsible": "武汉市人民政府、省卫健委",
        "deadline": "年底前", "decomposed": True, "source": SRC_WUHAN,
        "note": "原文“公共场所配置自动体外除颤器4000台”，按2025年末累计配置数考核。",
    },
    {
        "id": "MS2025-024", "domain": "医疗卫生", "name": "武汉市孕产妇死亡率控制",
        "content": "提高妇女、儿童等人群健康服务水平，加强危重孕产妇救治中心建设，落实高危孕产妇管理。",
        "indicator": "孕产妇死亡率", "unit": "", "target": "9/10万",
        "attribute": "约束性", "direction": "逆向", "aggregation": "比率",
        "basis": "分子:孕产妇死亡数;分母:活产数",
        "lead": "省卫健委", "responsible": "武汉市人民政府、省卫健委",
        "deadline": "年底前", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“孕产妇和婴儿死亡率分别控制在9/10万、2.5‰以下”。",
    },
    {
        "id": "MS2025-025", "domain": "医疗卫生", "name": "武汉市婴儿死亡率控制",
        "content": "加强危重新生儿救治中心建设，拓展新生儿疾病筛查范围，全面实施免费五项新生儿遗传代谢病筛查以及听力筛查。",
        "indicator": "婴儿死亡率", "unit": "‰", "target": 2.5,
        "attribute": "约束性", "direction": "逆向", "aggregation": "比率",
        "basis": "分子:婴儿死亡数;分母:活产数",
        "lead": "省卫健委", "responsible": "武汉市人民政府、省卫健委",
        "deadline": "年底前", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“孕产妇和婴儿死亡率分别控制在9/10万、2.5‰以下”。",
    },
    {
        "id": "MS2025-026", "domain": "医疗卫生", "name": "武汉市重大慢性病防控",
        "content": "落实扩大国家免疫规划策略，实施健康知识普及行动，加强重大疾病防控。",
        "indicator": "重大慢性病过早死亡率", "unit": "%", "target": "≤10.5",
        "attribute": "预期性", "direction": "逆向", "aggregation": "不汇总", "basis": "",
        "lead": "省卫健委", "responsible": "武汉市人民政府、省卫健委",
        "deadline": "年底前", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“重大慢性病过早死亡率下降到10.5%以下”。",
    },
    {
        "id": "MS2025-027", "domain": "医疗卫生", "name": "咸宁市卫生人才队伍建设",
        "content": "加大基层卫生人才培养力度，优化区域卫生资源布局，提高优质医疗服务供给，打造15分钟城市基本医疗卫生服务圈和农村30分钟基本医疗卫生服务圈。",
        "indicator": "每千常住人口执业（助理）医师数", "unit": "人", "target": 3.2,
        "attribute": "约束性", "direction": "正向", "aggregation": "加权平均", "basis": "常住人口",
        "lead": "省卫健委", "responsible": "咸宁市人民政府、省卫健委",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_XIANNING,
        "note": "原文“到2025年，全市每千常住人口执业（助理）医师数达到3.2人”；咸安区含市直医疗机构，分解值按常住人口加权平均不低于3.2人。",
    },
    {
        "id": "MS2025-028", "domain": "医疗卫生", "name": "咸宁市免疫规划疫苗接种",
        "content": "规范、保障免疫规划疫苗供应，提升预防接种管理质量，推进新生儿访视和婴幼儿定期健康检查。",
        "indicator": "国家免疫规划疫苗接种率（以乡镇为单位）", "unit": "%", "target": "≥90",
        "attribute": "约束性", "direction": "正向", "aggregation": "最小值", "basis": "",
        "lead": "省卫健委", "responsible": "咸宁市人民政府、省卫健委",
        "deadline": "年底前", "decomposed": True, "source": SRC_XIANNING,
        "note": "原文“国家免疫规划疫苗接种率以乡（镇）为单位达到90%以上”，按各地最小值汇总。",
    },
    # ---------------------------------------------------------------- 养老服务
    {
        "id": "MS2025-029", "domain": "养老服务", "name": "特殊困难老年人居家适老化改造",
        "content": "加强失能、独居、空巢等老年群体关爱服务，对纳入分散供养特困人员范围的高龄、失能、残疾老年人住所实施居家适老化改造。",
        "indicator": "完成居家适老化改造户数", "unit": "万户", "target": 2.5,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省民政厅", "responsible": "省民政厅、省卫健委、省住建厅、省发改委、省财政厅、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“力争2024年和2025年每年改造2.5万户以上”。",
    },
    {
        "id": "MS2025-030", "domain": "养老服务", "name": "老年助餐“幸福食堂”建设",
        "content": "统筹现有资源，加强社区居家养老服务设施建设，实施一批老年助餐的“幸福食堂”项目，推进市、县两级中心城区社区老年助餐服务全覆盖。",
        "indicator": "市、县两级中心城区社区老年助餐服务覆盖", "unit": "", "target": "全覆盖",
        "attribute": "预期性", "direction": "正向", "aggregation": "达标个数", "basis": "",
        "lead": "省民政厅", "responsible": "省民政厅、省卫健委、省财政厅、各市州人民政府",
        "deadline": "年底前", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“到2025年老年助餐服务实现市、县两级中心城区社区全覆盖”。",
    },
    {
        "id": "MS2025-031", "domain": "养老服务", "name": "社区日间照料中心建设运营",
        "content": "因地制宜、就近规划，通过政府购买服务等多种形式，加快发展城市社区嵌入式养老服务，推进社区日间照料中心建设运营。",
        "indicator": "社区日间照料中心建设运营覆盖", "unit": "", "target": "全覆盖",
        "attribute": "约束性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省民政厅", "responsible": "省民政厅、省住建厅、省财政厅、各市州人民政府",
        "deadline": "年底前", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“到2025年社区日间照料中心实现建设运营全覆盖”。",
    },
    {
        "id": "MS2025-032", "domain": "养老服务", "name": "街道（乡镇）养老服务综合体建设",
        "content": "推进街道（乡镇）养老服务综合体建设；鼓励社会力量利用农村地区闲置的校舍、厂房、村部等资源，开展农村邻里互助养老服务点建设。",
        "indicator": "建有养老服务综合体的街道（乡镇）占比", "unit": "%", "target": "≥60",
        "attribute": "预期性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:建有养老服务综合体的街道（乡镇）数;分母:街道（乡镇）总数",
        "lead": "省民政厅", "responsible": "省民政厅、省发改委、省财政厅、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“街道（乡镇）养老服务综合体达到60%以上”。",
    },
    {
        "id": "MS2025-033", "domain": "养老服务", "name": "建设基层骨干老年学校",
        "content": "大力推进老年大学向基层延伸，创新老年大学办学模式，带动扩大老年教育供给，提升运营服务能力。",
        "indicator": "新建基层骨干老年学校数", "unit": "所", "target": 100,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省委老干部局", "responsible": "省委老干部局、省教育厅、省民政厅、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“到2025年每年建设100所基层骨干老年学校”。",
    },
    {
        "id": "MS2025-034", "domain": "养老服务", "name": "失智老人养护院（专区）建设",
        "content": "大力发展普惠型机构养老服务，每个市（州）建有1所失智老人养护院或失智老人专区。",
        "indicator": "建有失智老人养护院或专区的市州数", "unit": "个", "target": 17,
        "attribute": "约束性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省民政厅", "responsible": "省民政厅、省卫健委、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“每个市（州）建有1所失智老人养护院或失智老人专区”，按17个市州各1所分解。",
    },
    {
        "id": "MS2025-035", "domain": "养老服务", "name": "县级失能特困供养机构建设",
        "content": "推动特困供养机构改造提升，县（市、区）至少建有1所失能特困供养机构，推广乡镇卫生院与福利院“一院两区”发展模式。",
        "indicator": "县（市、区）失能特困供养机构覆盖", "unit": "", "target": "全覆盖",
        "attribute": "约束性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省民政厅", "responsible": "省民政厅、省卫健委、省财政厅、各市州人民政府",
        "deadline": "2025年6月30日", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“县（市、区）至少建有1所失能特困供养机构”。",
    },
    {
        "id": "MS2025-036", "domain": "养老服务", "name": "提高机构养老护理服务能力",
        "content": "支持医疗资源富余的医疗卫生机构转型开展康复、护理以及医养结合服务，简化养老机构内设医疗机构审批手续，提高养老机构护理型床位占比。",
        "indicator": "养老机构护理型床位占比", "unit": "%", "target": "≥60",
        "attribute": "约束性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:养老机构护理型床位数;分母:养老机构床位总数",
        "lead": "省民政厅", "responsible": "省民政厅、省卫健委、省医保局、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“养老机构护理型床位占比达到60%以上”；武汉市按武政〔2022〕2号“全市养老机构护理型床位占比达到65%以上”分解。",
    },
    {
        "id": "MS2025-037", "domain": "养老服务", "name": "新建养老机构护理型床位",
        "content": "以失能老人照护为重点，提高养老机构医养结合能力，增加护理型床位，发展家庭养老床位。",
        "indicator": "新建养老机构护理型床位占比", "unit": "%", "target": "不低于80%",
        "attribute": "预期性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:新建养老机构护理型床位数;分母:新建养老机构床位总数",
        "lead": "省民政厅", "responsible": "省民政厅、省卫健委、省发改委、各市州人民政府",
        "deadline": "年底前", "decomposed": False, "source": SRC_CENTRAL,
        "note": f"原文“新建机构护理型床位占比不低于80%”；{_MID_YEAR}。",
    },
    {
        "id": "MS2025-038", "domain": "养老服务", "name": "武汉市家庭养老床位建设",
        "content": "优化市、区两级智慧养老服务平台，探索“平台、机构、社区、居家”联动的人工智能养老模式，发展家庭养老床位。",
        "indicator": "累计建成家庭养老床位数", "unit": "张", "target": 3000,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省民政厅", "responsible": "武汉市人民政府、省民政厅",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_WUHAN,
        "note": "原文“3000张家庭养老床位”，按2025年末累计建成数考核。",
    },
    {
        "id": "MS2025-039", "domain": "养老服务", "name": "咸宁市特殊困难老年人适老化改造",
        "content": "实施好老年人居家适老化改造、老年食堂、老年人家庭喘息服务、养老机构延伸服务等项目。",
        "indicator": "特殊困难老年人适老化改造", "unit": "", "target": "全覆盖",
        "attribute": "预期性", "direction": "正向", "aggregation": "达标个数", "basis": "",
        "lead": "省民政厅", "responsible": "咸宁市人民政府、省民政厅",
        "deadline": "年底前", "decomposed": True, "source": SRC_XIANNING,
        "note": "据规划表1第39项“特殊困难老年人适老化改造（%）”2025年目标“全覆盖”。",
    },
    # ---------------------------------------------------------------- 托育服务
    {
        "id": "MS2025-040", "domain": "托育服务", "name": "扩大普惠托育服务供给",
        "content": "大力开展普惠托育服务专项行动和托育建设工程，完善社区、产业园区嵌入式托育基础设施，鼓励和支持有条件的幼儿园招收2—3岁幼儿，规范家庭托育点发展。",
        "indicator": "全省婴幼儿托位数", "unit": "万个", "target": 26,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省卫健委", "responsible": "省卫健委、省教育厅、省民政厅、省住建厅、省发改委、省财政厅、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“到2025年全省婴幼儿托位数达到26万个”，为2025年末总量目标。",
    },
    {
        "id": "MS2025-041", "domain": "托育服务", "name": "公办示范性托育服务中心建设",
        "content": "鼓励各地建立托育机构建设运营奖补机制，省、市、县分别建立公办示范性托育服务中心。",
        "indicator": "市、县两级公办示范性托育服务中心覆盖", "unit": "", "target": "全覆盖",
        "attribute": "预期性", "direction": "正向", "aggregation": "达标个数", "basis": "",
        "lead": "省卫健委", "responsible": "省卫健委、省发改委、省财政厅、各市州人民政府",
        "deadline": "三季度末", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“到2025年省、市、县分别建立公办示范性托育服务中心”。",
    },
    {
        "id": "MS2025-042", "domain": "托育服务", "name": "乡镇（街道）普惠托育机构建设",
        "content": "推进就业人群密集的产业聚集区、工业园区、公立医疗机构、高等院校、大型国有企事业单位提供托育服务，乡镇（街道）建立普惠托育服务机构。",
        "indicator": "乡镇（街道）普惠托育服务机构覆盖", "unit": "", "target": "全覆盖",
        "attribute": "预期性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省卫健委", "responsible": "省卫健委、省教育厅、省民政厅、各市州人民政府",
        "deadline": "年底前", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“乡镇（街道）建立至少一所普惠托育服务机构”。",
    },
    {
        "id": "MS2025-043", "domain": "托育服务", "name": "儿童友好社区建设",
        "content": "鼓励各地因地制宜推进小区活动场地、公园、道路等公共空间“适儿化”改造，将儿童优先理念融入城市规划实际工作中。",
        "indicator": "儿童友好社区建设县（市、区）覆盖", "unit": "", "target": "全覆盖",
        "attribute": "预期性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省妇儿工委办", "responsible": "省妇儿工委办、省发改委、省住建厅、省教育厅、省自然资源厅、各市州人民政府",
        "deadline": "年底前", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“到2025年实现儿童友好社区建设县（市、区）全覆盖”。",
    },
    {
        "id": "MS2025-044", "domain": "托育服务", "name": "武汉市婴幼儿照护服务供给",
        "content": "扩大多方参与、多种方式的婴幼儿照护服务供给，支持和引导用人单位、产业园区、社会力量提供普惠性婴幼儿照护服务，发展集中管理运营的社区托育服务网络。",
        "indicator": "每千人口拥有3岁以下婴幼儿托位数", "unit": "个", "target": 4.5,
        "attribute": "预期性", "direction": "正向", "aggregation": "加权平均", "basis": "常住人口",
        "lead": "省卫健委", "responsible": "武汉市人民政府、省卫健委",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_WUHAN,
        "note": "原文“每千人口拥有3岁以下婴幼儿托位数达到4.5个以上”。",
    },
    {
        "id": "MS2025-045", "domain": "托育服务", "name": "咸宁市普惠托育服务发展",
        "content": "每个县（市、区）至少建立1所公办示范性托育服务中心，每个乡镇至少办1所普惠性托育机构，合理引导社会资本举办普惠托育机构。",
        "indicator": "每千人口拥有3岁以下婴幼儿托位数", "unit": "个", "target": 4.5,
        "attribute": "预期性", "direction": "正向", "aggregation": "加权平均", "basis": "常住人口",
        "lead": "省卫健委", "responsible": "咸宁市人民政府、省卫健委",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_XIANNING,
        "note": "原文“2025年，每千人口拥有3岁以下婴幼儿托位数达到4.5个”；分解值按常住人口加权平均不低于4.5个。",
    },
    # ---------------------------------------------------------------- 住房保障
    {
        "id": "MS2025-046", "domain": "住房保障", "name": "筹集保障性租赁住房",
        "content": "缓解住房租赁市场结构性供给不足，支持各地通过购买、改建、改造、租赁、新建等多种方式筹集保障性租赁住房。",
        "indicator": "新增保障性租赁住房套数", "unit": "万套", "target": 5,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省住建厅", "responsible": "省住建厅、省财政厅、省自然资源厅、人行湖北省分行、国家金融监管总局湖北监管局、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“力争2025年以前全省每年新增5万套以上”。武汉市先行分解3.5万套，与MS2025-048衔接；其余按常住人口比例分解。",
    },
    {
        "id": "MS2025-047", "domain": "住房保障", "name": "筹集人才住房",
        "content": "推动各地新建、筹集一批人才住房、保障房、青年社区等，支持科研机构、产业园区、大专院校、企事业等单位集中团购商品房解决职工住房问题。",
        "indicator": "全省人才住房房源数量", "unit": "万套", "target": ">5",
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省住建厅", "responsible": "省住建厅、省委组织部、省人社厅、省财政厅、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“力争到2025年全省人才住房房源数量超过5万套”，为累计总量目标。",
    },
    {
        "id": "MS2025-048", "domain": "住房保障", "name": "武汉市建设筹集保障性租赁住房",
        "content": "持续增加保障性租赁住房供给，促进解决新市民、青年人等群体住房困难问题。",
        "indicator": "建设筹集保障性租赁住房套（间）数", "unit": "套（间）", "target": 35000,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省住建厅", "responsible": "武汉市人民政府、省住建厅",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_WUHAN,
        "note": "原文“建设筹集保障性租赁住房25万套（间）”，为规划期累计目标；2025年度任务按MS2025-046分解给武汉市的3.5万套安排（派生）。",
    },
    {
        "id": "MS2025-049", "domain": "住房保障", "name": "武汉市公租房保障",
        "content": "坚持公租房制度定位，对符合条件的城镇低保低收入住房困难家庭应保尽保，实施公租房保障支出型贫困家庭救助措施。",
        "indicator": "新增公租房保障套（户）数", "unit": "套（户）", "target": 2500,
        "attribute": "约束性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省住建厅", "responsible": "武汉市人民政府、省住建厅、省民政厅",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“新增公租房保障1万套（户）”，为规划期累计目标；按年均四分之一测算2025年目标2500套（户）（派生）。",
    },
    {
        "id": "MS2025-050", "domain": "住房保障", "name": "武汉市棚户区改造",
        "content": "稳步实施棚户区改造，加强配套基础设施建设和工程质量安全监管，加快工程进度和回迁安置。",
        "indicator": "开工棚户区改造住房套（户）数", "unit": "套（户）", "target": 15000,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省住建厅", "responsible": "武汉市人民政府、省住建厅、省自然资源厅",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“开工棚户区改造住房6万套（户）”，为规划期累计目标；按年均四分之一测算2025年目标1.5万套（户）（派生）。",
    },
    {
        "id": "MS2025-051", "domain": "住房保障", "name": "咸宁市城镇困难家庭公租房保障",
        "content": "在实施好城镇中等偏下及以下收入家庭住房保障的同时，通过租赁保障、产权保障、补贴保障等多种形式解决住房困难。",
        "indicator": "城镇户籍低保、低收入家庭申请公租房的保障率", "unit": "%", "target": 100,
        "attribute": "约束性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:获得公租房保障的申请家庭数;分母:符合条件的申请家庭数",
        "lead": "省住建厅", "responsible": "咸宁市人民政府、省住建厅、省民政厅",
        "deadline": "年底前", "decomposed": True, "source": SRC_XIANNING,
        "note": "据规划表1第34项“城镇户籍低保、低收入家庭申请公租房的保障率（%）”2025年目标100（约束性）。",
    },
    {
        "id": "MS2025-052", "domain": "住房保障", "name": "咸宁市农村低收入群体住房安全保障",
        "content": "持续做好农村低收入群体等重点对象住房安全保障工作，继续实施农村危房改造，对符合条件的农村低收入群众等重点对象实现应保尽保。",
        "indicator": "符合条件的农村低收入群体住房安全保障", "unit": "", "target": "应保尽保",
        "attribute": "约束性", "direction": "正向", "aggregation": "达标个数", "basis": "",
        "lead": "省住建厅", "responsible": "咸宁市人民政府、省住建厅、省民政厅、省农业农村厅",
        "deadline": "年底前", "decomposed": True, "source": SRC_XIANNING,
        "note": "据规划表1第35项“符合条件的农村低收入群体住房安全保障率（%）”2025年目标“应保尽保”（约束性）。",
    },
    # ---------------------------------------------------------------- 社会保障
    {
        "id": "MS2025-053", "domain": "社会保障", "name": "武汉市基本养老保险扩面",
        "content": "全面实施全民参保计划，促进职工基本养老由制度全覆盖到法定人群全覆盖，实现城乡居民养老保险适龄人员应保尽保。",
        "indicator": "基本养老保险参保人数", "unit": "万人", "target": 720,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省人社厅", "responsible": "武汉市人民政府、省人社厅",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“工伤保险、失业保险、基本养老保险参保人数分别达到380万人、305万人、720万人”，为2025年末参保人数。",
    },
    {
        "id": "MS2025-054", "domain": "社会保障", "name": "武汉市工伤保险扩面",
        "content": "推动失业保险和工伤保障政策向职业劳动者广覆盖，推进工伤、失业保险市级统筹，完善工伤保险“三位一体”制度。",
        "indicator": "工伤保险参保人数", "unit": "万人", "target": 380,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省人社厅", "responsible": "武汉市人民政府、省人社厅",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“工伤保险、失业保险、基本养老保险参保人数分别达到380万人、305万人、720万人”，为2025年末参保人数。",
    },
    {
        "id": "MS2025-055", "domain": "社会保障", "name": "武汉市基本医疗保险扩面",
        "content": "统筹推进基本医疗保险、职工大额医疗保险和居民大病保险、医疗救助三重保障制度建设，稳步提升居民医保筹资水平。",
        "indicator": "基本医疗保险参保人数", "unit": "万人", "target": 1050,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省医保局", "responsible": "武汉市人民政府、省医保局",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“基本医疗保险和生育保险参保人数分别达到1050万人、335万人”，为2025年末参保人数。",
    },
    {
        "id": "MS2025-056", "domain": "社会保障", "name": "产前检查费用纳入门诊统筹",
        "content": "提高住院分娩医疗待遇，将产前检查费用纳入基本医保普通门诊统筹保障范围，保障灵活就业人员享受生育医疗费用待遇。",
        "indicator": "产前检查费用纳入普通门诊统筹的统筹区覆盖", "unit": "", "target": "全覆盖",
        "attribute": "约束性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省医保局", "responsible": "省医保局、省卫健委、各市州人民政府",
        "deadline": "2025年6月30日", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“将产前检查费用纳入基本医保普通门诊统筹保障范围”，各统筹区全面落实。",
    },
    {
        "id": "MS2025-057", "domain": "社会保障", "name": "咸宁市基本医疗保险参保",
        "content": "完善基本医疗保险制度，统一基本医疗保险统筹层次、医保目录和政策框架，落实异地就医结算，巩固基本医疗保险参保覆盖面。",
        "indicator": "基本医疗保险参保率", "unit": "%", "target": ">95",
        "attribute": "约束性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:基本医疗保险参保人数;分母:应参保人数",
        "lead": "省医保局", "responsible": "咸宁市人民政府、省医保局",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_XIANNING,
        "note": "据规划表1第24项“基本医疗保险参保率（%）”2025年目标>95（约束性）。",
    },
    {
        "id": "MS2025-058", "domain": "社会保障", "name": "咸宁市基本养老保险参保",
        "content": "落实城乡居民基本养老保险待遇确定和基础养老金正常调整机制，确保退休人员按时足额领取养老金，推动法定人群应保尽保。",
        "indicator": "基本养老保险法定人群参保率", "unit": "%", "target": ">95",
        "attribute": "预期性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:基本养老保险参保人数;分母:法定参保人群数",
        "lead": "省人社厅", "responsible": "咸宁市人民政府、省人社厅",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_XIANNING,
        "note": "据规划表1第41项“基本养老保险法定人群参保率（%）”2025年目标>95。",
    },
    {
        "id": "MS2025-059", "domain": "社会保障", "name": "健全居民医保参保激励机制",
        "content": "健全城乡居民基本医疗保险筹资机制，对连续参保和零报销人员提高次年大病保险最高支付限额，推进职工医保个人账户跨省共济。",
        "indicator": "连续参保和零报销人员大病保险激励政策落实", "unit": "", "target": "完成省定任务",
        "attribute": "预期性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省医保局", "responsible": "省医保局、省财政厅、各市州人民政府",
        "deadline": "年底前", "decomposed": False, "source": SRC_CENTRAL,
        "note": f"原文“对连续参保和零报销人员提高次年大病保险最高支付限额”；{_MID_YEAR}。",
    },
    # ---------------------------------------------------------------- 社会救助
    {
        "id": "MS2025-060", "domain": "社会救助", "name": "武汉市城乡低保标准统筹",
        "content": "建立与经济社会发展水平相适应的社会救助标准动态调整机制，健全分层分类的社会救助体系，缩小城乡低保标准差距。",
        "indicator": "农村低保标准占城市低保标准比例", "unit": "%", "target": "不低于90%",
        "attribute": "约束性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:农村低保标准;分母:城市低保标准",
        "lead": "省民政厅", "responsible": "武汉市人民政府、省民政厅、省财政厅",
        "deadline": "年底前", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“农村低保标准占城市低保标准比例不低于90%”。",
    },
    {
        "id": "MS2025-061", "domain": "社会救助", "name": "武汉市延长未成年人特困供养年龄",
        "content": "强化底线民生保障，将特困救助供养覆盖的未成年人年龄从16周岁延长至18周岁，及时将符合条件的脱贫人口纳入政策性兜底保障范围。",
        "indicator": "16至18周岁符合条件未成年人纳入特困救助供养", "unit": "", "target": "应保尽保",
        "attribute": "约束性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省民政厅", "responsible": "武汉市人民政府、省民政厅",
        "deadline": "年底前", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“将特困救助供养覆盖的未成年人年龄从16周岁延长至18周岁”。",
    },
    {
        "id": "MS2025-062", "domain": "社会救助", "name": "武汉市临时救助和流浪乞讨人员救助",
        "content": "推进由急难发生地实施临时救助，大力发展“物质+服务”救助方式，对城市生活无著的流浪乞讨人员及时救助。",
        "indicator": "城市生活无着流浪乞讨人员救助", "unit": "", "target": "应救尽救",
        "attribute": "约束性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省民政厅", "responsible": "武汉市人民政府、省民政厅、省公安厅",
        "deadline": "年底前", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“对城市生活无著的流浪乞讨人员应救尽救”。",
    },
    {
        "id": "MS2025-063", "domain": "社会救助", "name": "武汉市无障碍环境建设",
        "content": "强化无障碍生态系统建设，新建项目同步规划、同步建设无障碍设施。",
        "indicator": "新建项目无障碍设施建设率", "unit": "%", "target": 100,
        "attribute": "约束性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:按标准建设无障碍设施的新建项目数;分母:新建项目总数",
        "lead": "省住建厅", "responsible": "武汉市人民政府、省住建厅、省残联",
        "deadline": "年底前", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“新建项目无障碍设施建设率达到100%”。",
    },
    {
        "id": "MS2025-064", "domain": "社会救助", "name": "咸宁市孤儿和事实无人抚养儿童保障",
        "content": "健全孤儿养育标准自然增长机制，建立与孤儿供养保障标准相衔接的事实无人抚养儿童基本生活补贴制度，完善困境儿童救助保障工作体系。",
        "indicator": "孤儿和事实无人抚养儿童保障覆盖", "unit": "", "target": "应保尽保",
        "attribute": "约束性", "direction": "正向", "aggregation": "达标个数", "basis": "",
        "lead": "省民政厅", "responsible": "咸宁市人民政府、省民政厅",
        "deadline": "年底前", "decomposed": True, "source": SRC_XIANNING,
        "note": "据规划表1第6项“孤儿和事实无人抚养儿童保障覆盖率（%）”2025年目标“应保尽保”（约束性）。",
    },
    {
        "id": "MS2025-065", "domain": "社会救助", "name": "咸宁市特困人员集中供养",
        "content": "推动特困人员供养服务设施改造提升，实行农村中心福利院、区域性失能半失能特困供养服务中心县级直管。",
        "indicator": "生活不能自理特困人员集中供养率", "unit": "%", "target": 65,
        "attribute": "约束性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:集中供养的生活不能自理特困人员数;分母:生活不能自理特困人员总数",
        "lead": "省民政厅", "responsible": "咸宁市人民政府、省民政厅",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_XIANNING,
        "note": "据规划表1第44项“生活不能自理特困人员集中供养率（%）”2025年目标65（约束性）。",
    },
    {
        "id": "MS2025-066", "domain": "社会救助", "name": "咸宁市有意愿特困人员集中供养",
        "content": "提升特困人员救助供养照料服务水平，有集中供养意愿的特困人员全部实行集中供养。",
        "indicator": "有集中供养意愿特困人员集中供养率", "unit": "%", "target": 100,
        "attribute": "约束性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:已集中供养的有意愿特困人员数;分母:有集中供养意愿的特困人员数",
        "lead": "省民政厅", "responsible": "咸宁市人民政府、省民政厅",
        "deadline": "年底前", "decomposed": False, "source": SRC_XIANNING,
        "note": "据规划表1第43项“有集中供养意愿特困人员集中供养率（%）”2025年目标100（约束性）。",
    },
    {
        "id": "MS2025-067", "domain": "社会救助", "name": "咸宁市残疾人两项补贴发放",
        "content": "逐步完善困难残疾人生活补贴制度和重度残疾人护理补贴制度，建立补贴标准动态调整机制。",
        "indicator": "困难残疾人生活补贴和重度残疾人护理补贴目标人群覆盖率", "unit": "%", "target": 100,
        "attribute": "约束性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:享受两项补贴人数;分母:两项补贴目标人群数",
        "lead": "省残联", "responsible": "咸宁市人民政府、省残联、省民政厅、省财政厅",
        "deadline": "年底前", "decomposed": False, "source": SRC_XIANNING,
        "note": "据规划表1第45项2025年目标100（约束性）。",
    },
    {
        "id": "MS2025-068", "domain": "社会救助", "name": "低收入人口动态监测和认定",
        "content": "运用大数据比对与实地摸排结合方式，加强动态监测预警，及时纳入社会救助范围；开展低保边缘家庭、刚性支出困难家庭认定。",
        "indicator": "低收入人口动态监测和认定", "unit": "", "target": "完成省定任务",
        "attribute": "预期性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省民政厅", "responsible": "省民政厅、省人社厅、省医保局、省住建厅、各市州人民政府",
        "deadline": "年底前", "decomposed": False, "source": SRC_CENTRAL,
        "note": f"原文“开展低保边缘家庭、刚性支出困难家庭认定”；{_MID_YEAR}。",
    },
    {
        "id": "MS2025-069", "domain": "社会救助", "name": "困难职工帮扶",
        "content": "加强对困难残疾人、困难退役军人、困境儿童、困难职工等弱势群体的救助帮扶，做到救助对象精准、措施精准、成效精准。",
        "indicator": "在档困难职工帮扶资金覆盖率", "unit": "%", "target": 100,
        "attribute": "约束性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:获得帮扶资金的在档困难职工数;分母:在档困难职工数",
        "lead": "省总工会", "responsible": "省总工会、省人社厅、省民政厅、各市州人民政府",
        "deadline": "年底前", "decomposed": False, "source": SRC_CHANGXING,
        "note": "参照长兴县“在档困难职工帮扶资金覆盖率”保持100%的做法设定。",
    },
    # ---------------------------------------------------------------- 城乡建设
    {
        "id": "MS2025-070", "domain": "城乡建设", "name": "武汉市老旧小区改造",
        "content": "加快推进老旧小区改造，加强养老、托育、助餐、家政、便民市场等社区专项服务设施改造建设，推进有条件的楼栋加装电梯。",
        "indicator": "完成老旧小区改造个数", "unit": "个", "target": 404,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省住建厅", "responsible": "武汉市人民政府、省住建厅、省发改委、省财政厅",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_WUHAN,
        "note": "原文“完成老旧小区改造1616个”，为规划期累计目标；按年均四分之一测算2025年目标404个（派生）。",
    },
    {
        "id": "MS2025-071", "domain": "城乡建设", "name": "咸宁市老旧小区改造",
        "content": "重点改造2000年底前建成的老旧小区，将水、电、路、气，雨污分流，垃圾分类设施等民生类项目优先纳入改造。",
        "indicator": "完成老旧小区改造个数", "unit": "个", "target": 278,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省住建厅", "responsible": "咸宁市人民政府、省住建厅",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_XIANNING,
        "note": "据规划专栏6，咸宁市城区464个、嘉鱼县156个、赤壁市306个、通城县90个、崇阳县224个、通山县152个小区纳入“十四五”改造项目；按约五分之一安排2025年任务（派生），咸宁市城区任务计入咸安区。",
    },
    {
        "id": "MS2025-072", "domain": "城乡建设", "name": "咸宁市物业管理全覆盖",
        "content": "加强党建引领，落实物业服务规范，积极拓展物业服务内容，打造物业服务品牌，提升服务精细化水平。",
        "indicator": "市场化物业管理的住宅小区占比", "unit": "%", "target": 100,
        "attribute": "预期性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:实行市场化物业管理的住宅小区数;分母:住宅小区总数",
        "lead": "省住建厅", "responsible": "咸宁市人民政府、省住建厅",
        "deadline": "三季度末", "decomposed": False, "source": SRC_XIANNING,
        "note": "原文“力争到2025年，全市市场化物业管理的住宅小区占比100%”。",
    },
    {
        "id": "MS2025-073", "domain": "城乡建设", "name": "咸宁市城市房屋安全排查",
        "content": "扎实开展城市老楼危楼安全排查工作，建立完善危险房屋管理台账，督促责任人对危险房屋进行整改，逐步消除城市危险房屋。",
        "indicator": "城市老旧小区房屋安全排查", "unit": "", "target": "全覆盖",
        "attribute": "约束性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省住建厅", "responsible": "咸宁市人民政府、省住建厅",
        "deadline": "9月底前", "decomposed": False, "source": SRC_XIANNING,
        "note": "原文“到2025年，力争对城市老旧小区全覆盖排查”。",
    },
    {
        "id": "MS2025-074", "domain": "城乡建设", "name": "城市老旧管网改造",
        "content": "实施城市更新行动，推动武汉等城市设立城市更新基金，鼓励民间资本参与改造，加快推进城市老旧管网改造。",
        "indicator": "城市老旧管网改造年度计划完成", "unit": "", "target": "完成省定任务",
        "attribute": "预期性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省住建厅", "responsible": "省住建厅、省发改委、省财政厅、各市州人民政府",
        "deadline": "年底前", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“加快推进城市老旧管网改造”；年度改造任务以省住建厅下达计划为准。",
    },
    # ---------------------------------------------------------------- 交通出行
    {
        "id": "MS2025-075", "domain": "交通出行", "name": "新建充电基础设施",
        "content": "加快推进城乡充电基础设施建设，结合城市更新和社区服务设施建设布局公共充电设施。",
        "indicator": "新建充电桩数", "unit": "万个", "target": 15,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省能源局", "responsible": "省能源局、省住建厅、省自然资源厅、国网省电力公司、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“力争到2025年新建充电桩30万个”，按2024—2025年两年测算2025年目标15万个（派生）。",
    },
    {
        "id": "MS2025-076", "domain": "交通出行", "name": "增加停车泊位供给",
        "content": "在轨道交通外围站点、城市公共交通枢纽、公路客运站等重点区域建设“停车+换乘”停车设施，利用闲置地块、边角地带等建设公共停车场或临时停车场。",
        "indicator": "新建停车位数", "unit": "万个", "target": 15,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省住建厅", "responsible": "省住建厅、省自然资源厅、省发改委、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“力争到2025年全省新建停车位30万个，其中公共停车位15万个”，按2024—2025年两年测算2025年新建停车位15万个（派生）。",
    },
    {
        "id": "MS2025-077", "domain": "交通出行", "name": "新建公共停车位",
        "content": "新（改、扩）建项目按标准配建停车位；鼓励机关事业单位、国有企业在有条件的情况下，将停车位在节假日期间向社会开放共享，推进智慧停车。",
        "indicator": "新建公共停车位数", "unit": "万个", "target": 7.5,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省住建厅", "responsible": "省住建厅、省机关事务局、省政府国资委、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“其中公共停车位15万个”，按2024—2025年两年测算2025年新建公共停车位7.5万个（派生）。",
    },
    {
        "id": "MS2025-078", "domain": "交通出行", "name": "武汉市精致交通示范路口",
        "content": "推动精致交通创建，集中整治交通危险路点，打造精致交通示范路口，治理一批突出堵点。",
        "indicator": "打造精致交通示范路口数", "unit": "个", "target": 30,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省公安厅", "responsible": "武汉市人民政府、省公安厅、省住建厅",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“每年至少创建10个精致片区、打造30个精致交通示范路口”。",
    },
    {
        "id": "MS2025-079", "domain": "交通出行", "name": "武汉市精致片区创建",
        "content": "推动精致交通创建，以片区为单元统筹交通组织、慢行系统和停车治理，创建精致片区。",
        "indicator": "创建精致片区数", "unit": "个", "target": 10,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省公安厅", "responsible": "武汉市人民政府、省公安厅、省住建厅",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“每年至少创建10个精致片区、打造30个精致交通示范路口”。",
    },
    # ---------------------------------------------------------------- 文化体育
    {
        "id": "MS2025-080", "domain": "文化体育", "name": "全民健身设施补短板",
        "content": "持续完善社区体育设施，加快“一场两馆”（体育场、体育馆、游泳馆）项目建设，实施全民健身设施补短板工程。",
        "indicator": "完成全民健身设施补短板工程项目数", "unit": "个", "target": 100,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省体育局", "responsible": "省体育局、省发改委、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“到2025年力争每年完成全民健身设施补短板工程项目100个以上”。",
    },
    {
        "id": "MS2025-081", "domain": "文化体育", "name": "新建多元融合体育综合体",
        "content": "推动现有商业综合体、闲置废旧厂房、旅游景区等转型升级，增设运动体验项目。",
        "indicator": "新建多元融合体育综合体数", "unit": "个", "target": 10,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省体育局", "responsible": "省体育局、省发改委、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“到2025年新建20个多元融合的体育综合体”，按2024—2025年两年测算2025年目标10个（派生）。",
    },
    {
        "id": "MS2025-082", "domain": "文化体育", "name": "扶持重点社会文艺团队",
        "content": "实施社会文艺团队“百千万”扶持工程，以“共同缔造”理念扶持重点社会文艺团队，线上线下培训基层文艺骨干。",
        "indicator": "扶持重点社会文艺团队数", "unit": "个", "target": 200,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省文旅厅", "responsible": "省文旅厅、省发改委、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“每年扶持200个重点社会文艺团队”。",
    },
    {
        "id": "MS2025-083", "domain": "文化体育", "name": "开展基层文艺演出活动",
        "content": "持续丰富城乡文化内容供给，加强文艺人才培养，组织社会文艺团队开展文艺演出或活动。",
        "indicator": "开展文艺演出或活动场次", "unit": "万场", "target": 1,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省文旅厅", "responsible": "省文旅厅、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“开展万场以上文艺演出或活动”。",
    },
    {
        "id": "MS2025-084", "domain": "文化体育", "name": "新改建县级文化场馆",
        "content": "实施文化惠民工程，推进县级文化馆、图书馆等文化场馆新建和改造提升。",
        "indicator": "新改建县级文化场馆数", "unit": "个", "target": 10,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省文旅厅", "responsible": "省文旅厅、省发改委、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_HUBEI,
        "note": "原文“力争到2025年新改建县级文化场馆20个、示范文化广场200个”，按2024—2025年两年测算2025年县级文化场馆10个（派生）。",
    },
    {
        "id": "MS2025-085", "domain": "文化体育", "name": "新改建示范文化广场",
        "content": "实施文化惠民工程，新改建一批示范文化广场，为群众文化活动提供场地。",
        "indicator": "新改建示范文化广场数", "unit": "个", "target": 100,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省文旅厅", "responsible": "省文旅厅、省发改委、各市州人民政府",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_HUBEI,
        "note": "原文“力争到2025年新改建县级文化场馆20个、示范文化广场200个”，按2024—2025年两年测算2025年示范文化广场100个（派生）。",
    },
    {
        "id": "MS2025-086", "domain": "文化体育", "name": "武汉市文化惠民活动",
        "content": "深入实施公共文化提质增效工程，推动优质公共文化服务向基层延伸，打造群众性文化活动品牌。",
        "indicator": "举办各类文化惠民活动场次", "unit": "场", "target": 1500,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省文旅厅", "responsible": "武汉市人民政府、省文旅厅",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“全市每年举办各类文化惠民活动1500场以上”。",
    },
    {
        "id": "MS2025-087", "domain": "文化体育", "name": "武汉市全民健身活动",
        "content": "深入实施全民健身示范工程，市、区两级每年举办一届全民健身运动会，打造体育品牌赛事。",
        "indicator": "组织各级各类全民健身活动场次", "unit": "场次", "target": 1000,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省体育局", "responsible": "武汉市人民政府、省体育局",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“全市每年组织各级各类全民健身活动1000场次以上”。",
    },
    {
        "id": "MS2025-088", "domain": "文化体育", "name": "咸宁市城乡体育设施升级",
        "content": "盘活城市空闲土地、闲置厂房等存量资源，促进各县（市、区）“一场两馆”建设，加强社区体育场地建设。",
        "indicator": "人均体育场地面积", "unit": "平方米", "target": ">2.6",
        "attribute": "预期性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:体育场地面积;分母:常住人口",
        "lead": "省体育局", "responsible": "咸宁市人民政府、省体育局",
        "deadline": "年底前", "decomposed": False, "source": SRC_XIANNING,
        "note": "据规划表1第32项“人均体育场地面积（平方米）”2025年目标>2.6（规划正文为2.5平方米，按表列目标填报）。",
    },
    # ---------------------------------------------------------------- 食品药品安全
    {
        "id": "MS2025-089", "domain": "食品药品安全", "name": "武汉市食品安全抽检",
        "content": "健全食品安全治理体系，完善抽检监测机制，开展农村假冒伪劣食品治理、保健食品虚假宣传整治，保持对食品安全犯罪的严打高压态势。",
        "indicator": "食品抽检合格率", "unit": "%", "target": "≥98",
        "attribute": "约束性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:抽检合格批次;分母:抽检总批次",
        "lead": "省市场监管局", "responsible": "武汉市人民政府、省市场监管局",
        "deadline": "年底前", "decomposed": True, "source": SRC_WUHAN,
        "note": "原文“食用农产品质量安全监测总体合格率、食品抽检合格率均达到98%以上”；各区含功能区。",
    },
    {
        "id": "MS2025-090", "domain": "食品药品安全", "name": "武汉市食用农产品质量安全监测",
        "content": "严格把好食品安全关口，探索建立粮食质量追溯制度，加强食用农产品质量安全监测。",
        "indicator": "食用农产品质量安全监测总体合格率", "unit": "%", "target": "≥98",
        "attribute": "约束性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:监测合格样品数;分母:监测样品总数",
        "lead": "省农业农村厅", "responsible": "武汉市人民政府、省农业农村厅、省市场监管局",
        "deadline": "年底前", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“食用农产品质量安全监测总体合格率、食品抽检合格率均达到98%以上”。",
    },
    {
        "id": "MS2025-091", "domain": "食品药品安全", "name": "武汉市农产品质量安全区创建",
        "content": "各区达到国家“双安双创”标准，创建国家级或者省级农产品质量安全区。",
        "indicator": "各区创成国家级或省级农产品质量安全区", "unit": "", "target": "全覆盖",
        "attribute": "预期性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省农业农村厅", "responsible": "武汉市人民政府、省农业农村厅、省市场监管局",
        "deadline": "年底前", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“均创成国家级或者省级农产品质量安全区”。",
    },
    {
        "id": "MS2025-092", "domain": "食品药品安全", "name": "咸宁市“放心粮油”质量安全监测",
        "content": "强化农产品源头监管，严把粮食收储质量关，完善粮食产后服务体系和粮食检验监测体系。",
        "indicator": "“放心粮油”质量安全监测合格率", "unit": "%", "target": "≥97.5",
        "attribute": "预期性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:监测合格样品数;分母:监测样品总数",
        "lead": "省粮食局", "responsible": "咸宁市人民政府、省粮食局、省市场监管局",
        "deadline": "年底前", "decomposed": False, "source": SRC_XIANNING,
        "note": "原文“质量安全监测合格率达到97.5%以上”。",
    },
    {
        "id": "MS2025-093", "domain": "食品药品安全", "name": "咸宁市食品生产企业自查报告",
        "content": "建立食品追溯体系，加强生产经营过程控制，严格落实自查报告制度。",
        "indicator": "食品生产企业自查报告率", "unit": "%", "target": "≥90",
        "attribute": "预期性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:提交自查报告的食品生产企业数;分母:食品生产企业总数",
        "lead": "省市场监管局", "responsible": "咸宁市人民政府、省市场监管局",
        "deadline": "年底前", "decomposed": False, "source": SRC_XIANNING,
        "note": "原文“食品生产企业自查报告率90%以上”。",
    },
    {
        "id": "MS2025-094", "domain": "食品药品安全", "name": "咸宁市婴幼儿配方乳粉企业自查报告",
        "content": "督促食品生产经营者准确理解和应用食品安全标准，婴幼儿配方乳粉生产企业全部落实自查报告制度。",
        "indicator": "婴幼儿配方乳粉生产企业自查报告率", "unit": "%", "target": 100,
        "attribute": "约束性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:提交自查报告的婴幼儿配方乳粉生产企业数;分母:婴幼儿配方乳粉生产企业总数",
        "lead": "省市场监管局", "responsible": "咸宁市人民政府、省市场监管局",
        "deadline": "年底前", "decomposed": False, "source": SRC_XIANNING,
        "note": "原文“婴幼儿配方乳粉生产企业自查报告率达到100%”。",
    },
    # ---------------------------------------------------------------- 公共安全
    {
        "id": "MS2025-095", "domain": "公共安全", "name": "武汉市民生安全物联感知体系建设",
        "content": "结合智慧城市“一网统管”工作，建立民生安全物联感知体系，织密立体防控网络。",
        "indicator": "新增智能感知前端设备路数", "unit": "路", "target": 5000,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省公安厅", "responsible": "武汉市人民政府、省公安厅",
        "deadline": "2025年12月31日", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“新增智能感知前端设备2万路”，为规划期累计目标；按年均四分之一测算2025年目标5000路（派生）。",
    },
    {
        "id": "MS2025-096", "domain": "公共安全", "name": "武汉市智慧平安小区建设",
        "content": "开展平安商圈、平安景区、平安站点等系列平安创建，建设智慧平安小区。",
        "indicator": "新建智慧平安小区数", "unit": "个", "target": 500,
        "attribute": "预期性", "direction": "正向", "aggregation": "求和", "basis": "",
        "lead": "省公安厅", "responsible": "武汉市人民政府、省公安厅",
        "deadline": "2025年12月31日", "decomposed": True, "source": SRC_WUHAN,
        "note": "原文“新建2000个智慧平安小区”，为规划期累计目标；按年均四分之一测算2025年目标500个（派生）。",
    },
    {
        "id": "MS2025-097", "domain": "公共安全", "name": "武汉市基层矛盾纠纷调处化解",
        "content": "打造一站式化解矛盾平台，完善多途径调解方式，健全群防群治工作网络。",
        "indicator": "基层矛盾纠纷调处化解中心覆盖率", "unit": "%", "target": "≥80",
        "attribute": "预期性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:建成矛盾纠纷调处化解中心的街道（乡镇）数;分母:街道（乡镇）总数",
        "lead": "省委政法委", "responsible": "武汉市人民政府、省委政法委、省司法厅",
        "deadline": "年底前", "decomposed": False, "source": SRC_WUHAN,
        "note": "原文“基层矛盾纠纷调处化解中心覆盖率达到80%以上”。",
    },
    {
        "id": "MS2025-098", "domain": "公共安全", "name": "咸宁市森林火灾防控",
        "content": "森林防灭火实行县、乡、村、组四级包保责任制，加强森林防灭火专业救援队伍建设，配齐配强救援装备。",
        "indicator": "森林火灾24小时扑灭率", "unit": "%", "target": ">95",
        "attribute": "预期性", "direction": "正向", "aggregation": "比率",
        "basis": "分子:24小时内扑灭的森林火灾起数;分母:森林火灾总起数",
        "lead": "省林业局", "responsible": "咸宁市人民政府、省林业局、省应急厅",
        "deadline": "年底前", "decomposed": False, "source": SRC_XIANNING,
        "note": "据规划表1第52项“森林火灾24小时扑灭率（%）”2025年目标>95。",
    },
    {
        "id": "MS2025-099", "domain": "公共安全", "name": "咸宁市灾害性天气预警",
        "content": "优化灾害监测站点布局，完善突发事件预警信息发布机制，提升预警信息发布的覆盖面、精准度和时效性。",
        "indicator": "灾害性天气预警平均提前量", "unit": "分钟", "target": 70,
        "attribute": "预期性", "direction": "正向", "aggregation": "不汇总", "basis": "",
        "lead": "省气象局", "responsible": "咸宁市人民政府、省气象局、省应急厅",
        "deadline": "年底前", "decomposed": False, "source": SRC_XIANNING,
        "note": "据规划表1第51项“灾害性天气预警平均提前量（分钟）”2025年目标70。",
    },
]

# --------------------------------------------------------------------------------------------
# Sheet 分地区目标: task id → {region: target}.  Region order follows the region lists above.
# Additive targets add up exactly to the task's 年度目标.
# --------------------------------------------------------------------------------------------
REGIONAL_TARGETS = {
    # ---- 17 市州
    "MS2025-001": {
        "武汉市": 30, "黄石市": 0.54, "十堰市": 0.71, "宜昌市": 0.88, "襄阳市": 1.16, "鄂州市": 0.24,
        "荆门市": 0.57, "孝感市": 0.94, "荆州市": 1.15, "黄冈市": 1.29, "咸宁市": 0.59, "随州市": 0.45,
        "恩施州": 0.76, "仙桃市": 0.25, "潜江市": 0.2, "天门市": 0.26, "神农架林区": 0.01,
    },
    "MS2025-002": {
        "武汉市": 0.6, "黄石市": 0.24, "十堰市": 0.31, "宜昌市": 0.39, "襄阳市": 0.51, "鄂州市": 0.1,
        "荆门市": 0.25, "孝感市": 0.41, "荆州市": 0.51, "黄冈市": 0.57, "咸宁市": 0.26, "随州市": 0.2,
        "恩施州": 0.33, "仙桃市": 0.11, "潜江市": 0.08, "天门市": 0.11, "神农架林区": 0.02,
    },
    "MS2025-010": {city: "≥80" for city in HUBEI_CITIES},
    "MS2025-029": {
        "武汉市": 0.3, "黄石市": 0.12, "十堰市": 0.16, "宜昌市": 0.19, "襄阳市": 0.25, "鄂州市": 0.05,
        "荆门市": 0.13, "孝感市": 0.21, "荆州市": 0.25, "黄冈市": 0.28, "咸宁市": 0.13, "随州市": 0.1,
        "恩施州": 0.17, "仙桃市": 0.05, "潜江市": 0.04, "天门市": 0.06, "神农架林区": 0.01,
    },
    "MS2025-030": {city: "全覆盖" for city in HUBEI_CITIES},
    "MS2025-033": {
        "武汉市": 16, "黄石市": 4, "十堰市": 6, "宜昌市": 7, "襄阳市": 10, "鄂州市": 2, "荆门市": 5,
        "孝感市": 8, "荆州市": 10, "黄冈市": 11, "咸宁市": 5, "随州市": 4, "恩施州": 6, "仙桃市": 2,
        "潜江市": 1, "天门市": 2, "神农架林区": 1,
    },
    "MS2025-034": {city: 1 for city in HUBEI_CITIES},
    "MS2025-036": {city: ("≥65" if city == "武汉市" else "≥60") for city in HUBEI_CITIES},
    "MS2025-040": {
        "武汉市": 5.55, "黄石市": 1.11, "十堰市": 1.44, "宜昌市": 1.81, "襄阳市": 2.37, "鄂州市": 0.49,
        "荆门市": 1.17, "孝感市": 1.92, "荆州市": 2.35, "黄冈市": 2.65, "咸宁市": 1.2, "随州市": 0.92,
        "恩施州": 1.56, "仙桃市": 0.51, "潜江市": 0.4, "天门市": 0.52, "神农架林区": 0.03,
    },
    "MS2025-041": {city: "全覆盖" for city in HUBEI_CITIES},
    "MS2025-046": {
        "武汉市": 3.5, "黄石市": 0.08, "十堰市": 0.11, "宜昌市": 0.13, "襄阳市": 0.17, "鄂州市": 0.03,
        "荆门市": 0.09, "孝感市": 0.14, "荆州市": 0.17, "黄冈市": 0.19, "咸宁市": 0.09, "随州市": 0.07,
        "恩施州": 0.11, "仙桃市": 0.04, "潜江市": 0.03, "天门市": 0.04, "神农架林区": 0.01,
    },
    "MS2025-075": {
        "武汉市": 4.34, "黄石市": 0.58, "十堰市": 0.75, "宜昌市": 0.94, "襄阳市": 1.24, "鄂州市": 0.25,
        "荆门市": 0.61, "孝感市": 1.0, "荆州市": 1.23, "黄冈市": 1.38, "咸宁市": 0.62, "随州市": 0.48,
        "恩施州": 0.81, "仙桃市": 0.27, "潜江市": 0.21, "天门市": 0.27, "神农架林区": 0.02,
    },
    "MS2025-076": {
        "武汉市": 3.68, "黄石市": 0.62, "十堰市": 0.8, "宜昌市": 1.0, "襄阳市": 1.31, "鄂州市": 0.27,
        "荆门市": 0.65, "孝感市": 1.06, "荆州市": 1.3, "黄冈市": 1.47, "咸宁市": 0.66, "随州市": 0.51,
        "恩施州": 0.86, "仙桃市": 0.28, "潜江市": 0.22, "天门市": 0.29, "神农架林区": 0.02,
    },
    "MS2025-080": {
        "武汉市": 24, "黄石市": 4, "十堰市": 5, "宜昌市": 7, "襄阳市": 9, "鄂州市": 2, "荆门市": 4,
        "孝感市": 7, "荆州市": 9, "黄冈市": 10, "咸宁市": 4, "随州市": 3, "恩施州": 6, "仙桃市": 2,
        "潜江市": 1, "天门市": 2, "神农架林区": 1,
    },
    "MS2025-085": {
        "武汉市": 12, "黄石市": 5, "十堰市": 6, "宜昌市": 8, "襄阳市": 10, "鄂州市": 2, "荆门市": 5,
        "孝感市": 8, "荆州市": 10, "黄冈市": 11, "咸宁市": 5, "随州市": 4, "恩施州": 7, "仙桃市": 2,
        "潜江市": 2, "天门市": 2, "神农架林区": 1,
    },
    # ---- 武汉市各区（含东湖高新区、武汉经开区）
    "MS2025-004": {
        "江岸区": 2.11, "江汉区": 1.42, "硚口区": 1.46, "汉阳区": 1.83, "武昌区": 2.79, "青山区": 1.13,
        "洪山区": 2.57, "东西湖区": 1.9, "汉南区": 0.31, "蔡甸区": 1.22, "江夏区": 1.74, "黄陂区": 2.51,
        "新洲区": 1.87, "东湖高新区": 2.9, "武汉经开区": 1.74,
    },
    "MS2025-011": {
        "江岸区": 1400, "江汉区": 900, "硚口区": 900, "汉阳区": 1200, "武昌区": 1800, "青山区": 700,
        "洪山区": 1600, "东西湖区": 1200, "汉南区": 200, "蔡甸区": 800, "江夏区": 1100, "黄陂区": 1600,
        "新洲区": 1200, "东湖高新区": 1800, "武汉经开区": 1100,
    },
    "MS2025-012": {
        "江岸区": 3, "江汉区": 2, "硚口区": 2, "汉阳区": 3, "武昌区": 5, "青山区": 2, "洪山区": 7,
        "东西湖区": 5, "汉南区": 1, "蔡甸区": 3, "江夏区": 5, "黄陂区": 7, "新洲区": 5, "东湖高新区": 8,
        "武汉经开区": 5,
    },
    "MS2025-022": {
        "江岸区": 11, "江汉区": 7, "硚口区": 7, "汉阳区": 9, "武昌区": 14, "青山区": 6, "洪山区": 13,
        "东西湖区": 9, "汉南区": 4, "蔡甸区": 6, "江夏区": 9, "黄陂区": 13, "新洲区": 9, "东湖高新区": 14,
        "武汉经开区": 9,
    },
    "MS2025-023": {
        "江岸区": 310, "江汉区": 210, "硚口区": 210, "汉阳区": 270, "武昌区": 410, "青山区": 170,
        "洪山区": 370, "东西湖区": 280, "汉南区": 40, "蔡甸区": 180, "江夏区": 250, "黄陂区": 360,
        "新洲区": 270, "东湖高新区": 420, "武汉经开区": 250,
    },
    "MS2025-038": {
        "江岸区": 230, "江汉区": 160, "硚口区": 160, "汉阳区": 200, "武昌区": 300, "青山区": 120,
        "洪山区": 280, "东西湖区": 210, "汉南区": 30, "蔡甸区": 130, "江夏区": 190, "黄陂区": 270,
        "新洲区": 210, "东湖高新区": 320, "武汉经开区": 190,
    },
    "MS2025-044": {district: 4.5 for district in WUHAN_DISTRICTS},
    "MS2025-048": {
        "江岸区": 2000, "江汉区": 1300, "硚口区": 1300, "汉阳区": 1700, "武昌区": 2600, "青山区": 1000,
        "洪山区": 3900, "东西湖区": 2800, "汉南区": 400, "蔡甸区": 1800, "江夏区": 2600, "黄陂区": 3800,
        "新洲区": 2800, "东湖高新区": 4400, "武汉经开区": 2600,
    },
    "MS2025-070": {
        "江岸区": 43, "江汉区": 29, "硚口区": 30, "汉阳区": 38, "武昌区": 57, "青山区": 23, "洪山区": 33,
        "东西湖区": 24, "汉南区": 3, "蔡甸区": 16, "江夏区": 22, "黄陂区": 32, "新洲区": 24,
        "东湖高新区": 19, "武汉经开区": 11,
    },
    "MS2025-089": {district: "≥98" for district in WUHAN_DISTRICTS},
    "MS2025-096": {
        "江岸区": 38, "江汉区": 26, "硚口区": 26, "汉阳区": 33, "武昌区": 51, "青山区": 21, "洪山区": 47,
        "东西湖区": 34, "汉南区": 5, "蔡甸区": 22, "江夏区": 32, "黄陂区": 46, "新洲区": 34,
        "东湖高新区": 53, "武汉经开区": 32,
    },
    # ---- 咸宁市各县（市、区）
    "MS2025-006": {
        "咸安区": 0.93, "嘉鱼县": 0.44, "通城县": 0.54, "崇阳县": 0.56, "通山县": 0.46, "赤壁市": 0.67,
    },
    "MS2025-007": {county: "动态清零" for county in XIANNING_COUNTIES},
    "MS2025-008": {county: "≤5.5" for county in XIANNING_COUNTIES},
    "MS2025-016": {county: 95 for county in XIANNING_COUNTIES},
    "MS2025-027": {
        "咸安区": 3.9, "嘉鱼县": 2.9, "通城县": 2.9, "崇阳县": 2.9, "通山县": 2.8, "赤壁市": 3.2,
    },
    "MS2025-028": {county: "≥90" for county in XIANNING_COUNTIES},
    "MS2025-039": {county: "全覆盖" for county in XIANNING_COUNTIES},
    "MS2025-045": {
        "咸安区": 4.8, "嘉鱼县": 4.5, "通城县": 4.3, "崇阳县": 4.3, "通山县": 4.3, "赤壁市": 4.6,
    },
    "MS2025-051": {county: 100 for county in XIANNING_COUNTIES},
    "MS2025-052": {county: "应保尽保" for county in XIANNING_COUNTIES},
    "MS2025-057": {county: ">95" for county in XIANNING_COUNTIES},
    "MS2025-064": {county: "应保尽保" for county in XIANNING_COUNTIES},
    "MS2025-065": {county: 65 for county in XIANNING_COUNTIES},
    "MS2025-071": {
        "咸安区": 93, "嘉鱼县": 31, "通城县": 18, "崇阳县": 45, "通山县": 30, "赤壁市": 61,
    },
}

# --------------------------------------------------------------------------------------------
# Sheet 计划进度: planned cumulative progress, percent of the annual target.
# Tasks without a plan are expected to progress linearly to their deadline.
# --------------------------------------------------------------------------------------------
MONTHS = [f"{m}月" for m in range(1, 13)]
QUARTERS = ["一季度", "二季度", "三季度", "四季度"]

PLANS = [
    # 月度计划
    {"task_id": "MS2025-001", "kind": "月度", "values": [3, 6, 10, 14, 20, 30, 50, 68, 80, 88, 95, 100]},
    {"task_id": "MS2025-004", "kind": "月度", "values": [8, 16, 26, 34, 43, 52, 60, 68, 77, 85, 93, 100]},
    {"task_id": "MS2025-009", "kind": "月度", "values": [0, 0, 29, 43, 71, 100, 100, 100, 100, 100, 100, 100]},
    {"task_id": "MS2025-048", "kind": "月度", "values": [5, 10, 18, 26, 35, 45, 55, 65, 75, 85, 93, 100]},
    {"task_id": "MS2025-070", "kind": "月度", "values": [0, 3, 10, 20, 32, 45, 58, 70, 80, 90, 96, 100]},
    {"task_id": "MS2025-075", "kind": "月度", "values": [6, 12, 20, 28, 36, 45, 54, 63, 72, 81, 90, 100]},
    {"task_id": "MS2025-083", "kind": "月度", "values": [12, 18, 25, 32, 40, 48, 55, 62, 70, 78, 88, 100]},
    # 季度计划
    {"task_id": "MS2025-002", "kind": "季度", "values": [20, 50, 80, 100]},
    {"task_id": "MS2025-006", "kind": "季度", "values": [25, 55, 80, 100]},
    {"task_id": "MS2025-012", "kind": "季度", "values": [20, 60, 100, 100]},
    {"task_id": "MS2025-029", "kind": "季度", "values": [15, 45, 80, 100]},
    {"task_id": "MS2025-033", "kind": "季度", "values": [10, 40, 70, 100]},
    {"task_id": "MS2025-046", "kind": "季度", "values": [20, 50, 75, 100]},
    {"task_id": "MS2025-071", "kind": "季度", "values": [10, 35, 70, 100]},
    {"task_id": "MS2025-080", "kind": "季度", "values": [10, 35, 70, 100]},
]

# --------------------------------------------------------------------------------------------
# Sheet 责任单位
# --------------------------------------------------------------------------------------------
UNIT_COLUMNS = [
    ("name", "单位名称"),
    ("short", "简称"),
    ("aliases", "别名"),
    ("kind", "单位类型"),
    ("group", "所属工作组"),
    ("contact", "联系人"),
    ("email", "联系邮箱"),
]

_DEPT_DOMAIN = "hubei.example.gov.cn"


def _dept(name, short, aliases, group, slug):
    return {
        "name": name, "short": short, "aliases": aliases, "kind": "部门", "group": group,
        "contact": "办公室", "email": f"{slug}@{_DEPT_DOMAIN}",
    }


DEPARTMENTS = [
    _dept("湖北省发展和改革委员会", "省发改委", "发改委、省发展改革委", "综合协调组", "fgw"),
    _dept("湖北省财政厅", "省财政厅", "财政厅", "综合协调组", "czt"),
    _dept("中共湖北省委组织部", "省委组织部", "组织部", "综合协调组", "zzb"),
    _dept("湖北省人民政府国有资产监督管理委员会", "省政府国资委", "省国资委、国资委", "综合协调组", "gzw"),
    _dept("湖北省机关事务管理局", "省机关事务局", "省机关事务管理局、机关事务局", "综合协调组", "jgswj"),
    _dept("湖北省人力资源和社会保障厅", "省人社厅", "人社厅、省人力资源社会保障厅", "就业社保专班", "rst"),
    _dept("湖北省医疗保障局", "省医保局", "医保局", "就业社保专班", "ybj"),
    _dept("湖北省总工会", "省总工会", "总工会", "就业社保专班", "zgh"),
    _dept("中国人民银行湖北省分行", "人行湖北省分行", "人民银行湖北省分行", "就业社保专班", "pbc"),
    _dept("湖北省教育厅", "省教育厅", "教育厅", "教育工作专班", "jyt"),
    _dept("中共湖北省委老干部局", "省委老干部局", "老干部局", "教育工作专班", "lgbj"),
    _dept("湖北省卫生健康委员会", "省卫健委", "卫健委、省卫生健康委", "卫生健康专班", "wjw"),
    _dept("湖北省民政厅", "省民政厅", "民政厅", "养老托育专班", "mzt"),
    _dept("湖北省妇女儿童工作委员会办公室", "省妇儿工委办", "妇儿工委办、省妇女儿童工作委员会办公室", "养老托育专班", "fegw"),
    _dept("湖北省残疾人联合会", "省残联", "残联", "养老托育专班", "cl"),
    _dept("湖北省住房和城乡建设厅", "省住建厅", "住建厅、省住房城乡建设厅", "住房城建专班", "zjt"),
    _dept("湖北省自然资源厅", "省自然资源厅", "自然资源厅", "住房城建专班", "zrzyt"),
    _dept("湖北省交通运输厅", "省交通运输厅", "交通运输厅", "住房城建专班", "jtt"),
    _dept("湖北省能源局", "省能源局", "能源局", "住房城建专班", "nyj"),
    _dept("国网湖北省电力有限公司", "国网省电力公司", "国网湖北电力、省电力公司", "住房城建专班", "sgcc"),
    _dept("国家金融监督管理总局湖北监管局", "国家金融监管总局湖北监管局", "湖北金融监管局", "住房城建专班", "nfra"),
    _dept("湖北省文化和旅游厅", "省文旅厅", "文旅厅、省文化和旅游厅", "文化体育专班", "wlt"),
    _dept("湖北省体育局", "省体育局", "体育局", "文化体育专班", "tyj"),
    _dept("湖北省市场监督管理局", "省市场监管局", "市场监管局、省市场监督管理局", "食品安全专班", "scjgj"),
    _dept("湖北省农业农村厅", "省农业农村厅", "农业农村厅", "食品安全专班", "nynct"),
    _dept("湖北省粮食和物资储备局", "省粮食局", "省粮食和物资储备局、粮食局", "食品安全专班", "lsj"),
    _dept("中共湖北省委政法委员会", "省委政法委", "政法委", "平安建设专班", "zfw"),
    _dept("湖北省公安厅", "省公安厅", "公安厅", "平安建设专班", "gat"),
    _dept("湖北省司法厅", "省司法厅", "司法厅", "平安建设专班", "sft"),
    _dept("湖北省应急管理厅", "省应急厅", "省应急管理厅、应急厅", "平安建设专班", "yjt"),
    _dept("湖北省林业局", "省林业局", "林业局", "平安建设专班", "lyj"),
    _dept("湖北省气象局", "省气象局", "气象局", "平安建设专班", "qxj"),
]

# Region → (short name, aliases, e-mail slug, e-mail domain)
_REGION_META = {
    "武汉市": ("武汉市政府", "武汉市", "wuhan", _DEPT_DOMAIN),
    "黄石市": ("黄石市政府", "黄石市", "huangshi", _DEPT_DOMAIN),
    "十堰市": ("十堰市政府", "十堰市", "shiyan", _DEPT_DOMAIN),
    "宜昌市": ("宜昌市政府", "宜昌市", "yichang", _DEPT_DOMAIN),
    "襄阳市": ("襄阳市政府", "襄阳市", "xiangyang", _DEPT_DOMAIN),
    "鄂州市": ("鄂州市政府", "鄂州市", "ezhou", _DEPT_DOMAIN),
    "荆门市": ("荆门市政府", "荆门市", "jingmen", _DEPT_DOMAIN),
    "孝感市": ("孝感市政府", "孝感市", "xiaogan", _DEPT_DOMAIN),
    "荆州市": ("荆州市政府", "荆州市", "jingzhou", _DEPT_DOMAIN),
    "黄冈市": ("黄冈市政府", "黄冈市", "huanggang", _DEPT_DOMAIN),
    "咸宁市": ("咸宁市政府", "咸宁市", "xianning", _DEPT_DOMAIN),
    "随州市": ("随州市政府", "随州市", "suizhou", _DEPT_DOMAIN),
    "恩施州": ("恩施州人民政府", "恩施州政府、恩施州", "enshi", _DEPT_DOMAIN),
    "仙桃市": ("仙桃市政府", "仙桃市", "xiantao", _DEPT_DOMAIN),
    "潜江市": ("潜江市政府", "潜江市", "qianjiang", _DEPT_DOMAIN),
    "天门市": ("天门市政府", "天门市", "tianmen", _DEPT_DOMAIN),
    "神农架林区": ("神农架林区政府", "神农架林区", "shennongjia", _DEPT_DOMAIN),
    "江岸区": ("江岸区政府", "江岸区", "jiangan", "wuhan.example.gov.cn"),
    "江汉区": ("江汉区政府", "江汉区", "jianghan", "wuhan.example.gov.cn"),
    "硚口区": ("硚口区政府", "硚口区", "qiaokou", "wuhan.example.gov.cn"),
    "汉阳区": ("汉阳区政府", "汉阳区", "hanyang", "wuhan.example.gov.cn"),
    "武昌区": ("武昌区政府", "武昌区", "wuchang", "wuhan.example.gov.cn"),
    "青山区": ("青山区政府", "青山区", "qingshan", "wuhan.example.gov.cn"),
    "洪山区": ("洪山区政府", "洪山区", "hongshan", "wuhan.example.gov.cn"),
    "东西湖区": ("东西湖区政府", "东西湖区", "dongxihu", "wuhan.example.gov.cn"),
    "汉南区": ("汉南区政府", "汉南区", "hannan", "wuhan.example.gov.cn"),
    "蔡甸区": ("蔡甸区政府", "蔡甸区", "caidian", "wuhan.example.gov.cn"),
    "江夏区": ("江夏区政府", "江夏区", "jiangxia", "wuhan.example.gov.cn"),
    "黄陂区": ("黄陂区政府", "黄陂区", "huangpi", "wuhan.example.gov.cn"),
    "新洲区": ("新洲区政府", "新洲区", "xinzhou", "wuhan.example.gov.cn"),
    "东湖高新区": ("东湖高新区管委会", "东湖高新区、光谷管委会", "donghu", "wuhan.example.gov.cn"),
    "武汉经开区": ("武汉经开区管委会", "武汉经开区、经开区管委会", "wedz", "wuhan.example.gov.cn"),
    "咸安区": ("咸安区政府", "咸安区", "xianan", "xianning.example.gov.cn"),
    "嘉鱼县": ("嘉鱼县政府", "嘉鱼县", "jiayu", "xianning.example.gov.cn"),
    "通城县": ("通城县政府", "通城县", "tongcheng", "xianning.example.gov.cn"),
    "崇阳县": ("崇阳县政府", "崇阳县", "chongyang", "xianning.example.gov.cn"),
    "通山县": ("通山县政府", "通山县", "tongshan", "xianning.example.gov.cn"),
    "赤壁市": ("赤壁市政府", "赤壁市", "chibi", "xianning.example.gov.cn"),
}

REGION_UNITS = [
    {
        "name": REGION_GOVERNMENTS[region], "short": short, "aliases": aliases, "kind": "地区",
        "group": "", "contact": "管委会办公室" if REGION_GOVERNMENTS[region].endswith("管理委员会") else "政府办公室",
        "email": f"{slug}@{domain}",
    }
    for region, (short, aliases, slug, domain) in _REGION_META.items()
]

UNITS = DEPARTMENTS + REGION_UNITS

# --------------------------------------------------------------------------------------------
# Sheet 填报轮次: monthly rounds, due on the 5th of the following month.
# --------------------------------------------------------------------------------------------
ROUND_COLUMNS = ["轮次", "截止日期"]
ROUNDS = [
    (f"{YEAR}-{month:02d}", date(YEAR + month // 12, month % 12 + 1, 5))
    for month in range(1, 13)
]

# --------------------------------------------------------------------------------------------
# Sheet 说明
# --------------------------------------------------------------------------------------------
README_LINES = [
    f"{LEDGER_TITLE}（示例）",
    f"编制单位：{OFFICE}（{OFFICE_SHORT}）。本工作簿为 reporter 工具自带的示例台帐，供演示、培训和测试使用，不是正式下达的任务文件。",
    "任务依据以下公开文件整理；任务内容按文件表述归纳，备注中“原文”后引号内的文字摘自文件原文：",
    f"  1. {SRC_HUBEI}",
    f"  2. {SRC_WUHAN}",
    f"  3. {SRC_XIANNING}",
    f"  4. {SRC_CENTRAL}（2025年年中增补任务）",
    f"  5. {SRC_CHANGXING}（浙江省县级文件，仅借鉴其指标设计，不作为分解地区）",
    "备注中标注“（派生）”的年度目标，是根据来源文件的规划期累计目标测算的2025年度目标，并非文件原文数字。",
    "分地区目标按常住人口等因素测算，仅为示例；可加总指标的各地目标之和等于全省（全市）年度目标。",
    "工作表：任务（一行一项任务）；分地区目标（任务×地区）；计划进度（累计计划完成百分比，占年度目标）；责任单位（单位全称、简称、别名）；填报轮次（每月5日前报送上月进展）。",
    "未列入计划进度的任务，默认按完成时限线性推进。责任单位中的“各市州人民政府”指全省17个市州人民政府。",
    "联系人、联系邮箱均为示例占位（example 域名），不对应真实人员或邮箱。",
]
