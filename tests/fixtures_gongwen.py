"""A realistic 通报 as a `Document`, shared by the Word and PDF renderer tests. Keep it stable.

`sample_document(rows=300)`: 版头, title, 主送机关, headings of all four levels, 31 body paragraphs (the body runs
over two pages), two attachments — 附件1 a landscape table of `rows` task × district rows with status fills,
附件2 a short portrait table — then 落款 without seal, 附注 and 版记. Deterministic: no randomness, no clock.
"""
from __future__ import annotations

import datetime as dt

from reporter.render.document import Attachment, Document, Heading, Paragraph, Table

ISSUER = "武汉市民生工作领导小组办公室"
DOC_NUMBER = "武民生办〔2025〕5号"
TITLE = "关于2025年1—5月市级民生实事项目进展情况的通报"
DATE = dt.date(2025, 6, 5)
DISTRICTS = ["江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区", "东西湖区", "汉南区", "蔡甸区",
             "江夏区", "黄陂区", "新洲区"]
TASKS = [  # (name, 牵头单位, unit, yearly target per district)
    ("新建改扩建中小学校", "市教育局", "所", 2), ("新增公办幼儿园学位", "市教育局", "个", 600),
    ("老旧小区改造", "市住房和城市更新局", "个", 12), ("加装电梯", "市住房和城市更新局", "部", 40),
    ("新建城市书房", "市文化和旅游局", "个", 3), ("建设口袋公园", "市园林和林业局", "个", 5),
    ("社区嵌入式养老服务设施", "市民政局", "个", 4), ("新建公共充电桩", "市发展改革委", "个", 500),
    ("背街小巷整治提升", "市城管执法委", "条", 20), ("新增停车泊位", "市公安局交管局", "个", 1500),
    ("农村供水保障工程", "市水务局", "处", 3), ("社区卫生服务中心提档升级", "市卫生健康委", "家", 2),
    ("婴幼儿照护服务托位", "市卫生健康委", "个", 300), ("城市便民生活圈建设", "市商务局", "个", 2),
    ("公共体育设施补短板", "市体育局", "处", 6), ("零工驿站建设", "市人社局", "个", 2),
    ("新建改造燃气管网", "市城管执法委", "公里", 15), ("雨污分流改造", "市水务局", "公里", 8),
    ("“15分钟就医圈”建设", "市卫生健康委", "个", 1), ("新增公租房保障", "市住房和城市更新局", "户", 200),
    ("中小学食堂明厨亮灶", "市市场监管局", "所", 30), ("残疾人康复服务", "市残联", "人", 400),
    ("农村公路提档升级", "市交通运输局", "公里", 25), ("新建社区食堂", "市民政局", "个", 6),
]
STATUSES = [("提前完成", "#C6EFCE"), ("超序时", "#BDD7EE"), ("按序时", "#BDD7EE"), ("按序时", "#BDD7EE"),
            ("慢序时", "#FFEB9C"), ("按序时", "#BDD7EE"), ("严重滞后", "#FFC7CE"), ("超序时", "#BDD7EE")]
HEADERS = ["序号", "任务编号", "任务名称", "牵头单位", "地区", "年度目标", "累计完成", "完成率(%)", "序时进度(%)",
           "进展状态"]
STATUS_COL = HEADERS.index("进展状态")


def sample_document(rows: int = 300) -> Document:
    return Document(
        issuer=ISSUER,
        doc_number=DOC_NUMBER,
        title=TITLE,
        addressee="各区人民政府，市直有关部门：",
        body=_body(),
        attachments=[
            Attachment(1, "2025年市级民生实事项目进展情况表", [progress_table(rows)], landscape=True),
            Attachment(2, "挂牌督办事项清单", [_supervision_table()], landscape=False),
        ],
        signature=ISSUER,
        date=DATE,
        cc="市委办公厅，市人大常委会办公厅，市政府办公厅，市政协办公厅，市纪委监委机关",
        printed_by=ISSUER,
        print_date=DATE,
        note="（此件公开发布）",
    )


def progress_table(rows: int) -> Table:
    """`rows` task × district rows; the status column filled by class, as the rollup colours them."""
    data, colours = [], {}
    for i in range(rows):
        name, lead, unit, target = TASKS[i % len(TASKS)]
        district = DISTRICTS[(i // len(TASKS)) % len(DISTRICTS)]
        status, fill = STATUSES[(i * 5 + i // 7) % len(STATUSES)]
        schedule = 41.7
        rate = {"提前完成": 100.0, "超序时": 55.0 + i % 20, "按序时": 40.0 + i % 6,
                "慢序时": 30.0 + i % 8, "严重滞后": 5.0 + i % 10}[status]
        done = round(target * rate / 100, 1)
        data.append([i + 1, f"MS2025-{i % len(TASKS) + 1:03d}", name, lead, district,
                     f"{target}{unit}", done, rate, schedule, status])
        colours[(i, STATUS_COL)] = fill
    return Table(headers=HEADERS, rows=data, colours=colours,
                 number_formats=[None, None, None, None, None, None, "{:g}", "{:.1f}", "{:.1f}", None])


def _supervision_table() -> Table:
    items = [("新建改扩建中小学校（硚口区）", "硚口区人民政府、市教育局", "2025年8月31日"),
             ("加装电梯（青山区）", "青山区人民政府、市住房和城市更新局", "2025年9月30日"),
             ("农村供水保障工程（汉南区）", "汉南区人民政府、市水务局", "2025年10月31日"),
             ("新增停车泊位（江汉区）", "江汉区人民政府、市公安局交管局", "2025年9月30日"),
             ("雨污分流改造（蔡甸区）", "蔡甸区人民政府、市水务局", "2025年11月30日")]
    return Table(headers=["序号", "督办事项", "责任单位", "办结时限"],
                 rows=[[i + 1, *item] for i, item in enumerate(items)],
                 colours={(i, 1): "#FFC7CE" for i in range(len(items))})


def _body() -> list:
    return [
        Paragraph("为推动2025年市级民生实事项目按期保质完成，市民生工作领导小组办公室对截至5月31日各项目进展情况"
                  "进行了调度汇总和现场抽查。现将有关情况通报如下。"),
        Heading(1, "一、总体进展情况"),
        Paragraph("今年市级民生实事共安排10个方面24项任务，分解到13个区和市直26个部门。截至5月31日，24项任务中"
                  "已完成3项，超序时推进6项，按序时推进11项，慢序时推进3项，严重滞后1项，总体进度符合序时要求。",
                  lead="（一）总体进度。"),
        Paragraph("从分解到区的312个子项看，完成率平均为44.6%，高于序时进度2.9个百分点；开工率为91.3%，较上月提高"
                  "7.4个百分点。仍有27个子项尚未开工，主要集中在新城区的基础设施类项目。"),
        Paragraph("市、区两级财政已下达民生实事专项资金38.6亿元，占年度预算的57.2%，资金拨付进度与项目建设进度"
                  "基本匹配；个别区存在资金已下达、项目未开工的情况，需统筹调度，防止资金沉淀。"),
        Heading(2, "（二）分领域进展"),
        Heading(3, "1.教育领域"),
        Paragraph("新建改扩建中小学校26所，已开工24所，其中主体完工9所；新增公办幼儿园学位7800个，已完成4120个，"
                  "完成率52.8%。中小学食堂明厨亮灶改造完成率达到61.5%，超序时进度近20个百分点。"),
        Heading(4, "（1）新建改扩建中小学校"),
        Paragraph("江岸区、武昌区、洪山区项目均已完成主体结构施工，正在进行室内装修和室外配套工程；硚口区1所学校因"
                  "征收扫尾工作未完成，至今未能进场施工，已列入挂牌督办事项。"),
        Heading(4, "（2）新增公办幼儿园学位"),
        Paragraph("各区通过新建、改扩建和小区配套幼儿园治理等方式扩大公办学位供给，江汉区、汉阳区已提前完成全年任务，"
                  "黄陂区、新洲区进度偏慢，需加快配套幼儿园移交和开办工作。"),
        Heading(3, "2.城市更新领域"),
        Paragraph("老旧小区改造开工156个，完成率48.1%；既有住宅加装电梯完工312部，完成率60.0%，超出序时进度18.3个"
                  "百分点。背街小巷整治提升完成132条，市民满意度调查结果较去年同期提高4.2个百分点。"),
        Paragraph("雨污分流改造和燃气管网改造项目受汛期施工限制，部分区已调整施工组织，将在6月中旬前完成主汛期前"
                  "应急回填，确保汛期安全和管网改造两不误。"),
        Heading(3, "3.养老托育和医疗卫生领域"),
        Paragraph("社区嵌入式养老服务设施建成38个，新建社区食堂45个，婴幼儿照护服务托位新增2150个。社区卫生服务中心"
                  "提档升级项目已全部完成设计招标，其中14家进入施工阶段。"),
        Heading(2, "（三）各区进展"),
        *[Paragraph(text) for text in _district_paragraphs()],
        Heading(1, "二、存在的主要问题"),
        Paragraph("部分项目前期工作推进不快，用地、规划、施工许可等手续办理周期较长，影响开工进度。", lead="（一）前期工作滞后。"),
        Paragraph("个别区对序时进度把握不准，存在“前松后紧”倾向，年底集中完工风险较大。", lead="（二）序时意识不强。"),
        Paragraph("部分单位报送的台账数据与现场核查情况不符，完成数量统计口径不一致，个别区存在迟报漏报现象。",
                  lead="（三）数据报送不够规范。"),
        Heading(1, "三、下一步工作要求"),
        Paragraph("各区、各牵头单位要对照年度目标和序时进度，逐项梳理项目进展，对慢序时和严重滞后的项目，逐一分析原因，"
                  "制定赶超措施，明确完成时限。", lead="（一）压实工作责任。"),
        Paragraph("对挂牌督办事项实行周调度、月通报，责任单位每周五前报送进展情况，办结后及时申请销号。",
                  lead="（二）强化督办落实。"),
        Paragraph("各区要严格按照统一模板报送台账数据，做到数出有据、账实相符，每月25日前报送当月进展。"
                  "市民生办将不定期开展现场抽查，对弄虚作假的予以通报批评。", lead="（三）规范数据报送。"),
        Paragraph("各区要通过政府网站、政务新媒体等渠道，及时公开民生实事项目进展情况，主动接受群众监督，"
                  "让群众看得见、摸得着、感受得到。", lead="（四）加强宣传引导。"),
        Paragraph("特此通报。"),
    ]


def _district_paragraphs() -> list[str]:
    texts = []
    for i, name in enumerate(DISTRICTS):
        total = 20 + (i * 7) % 9
        done = 2 + i % 4
        ahead = 3 + (i * 3) % 5
        behind = (i * 2) % 3
        texts.append(f"{name}承担子项{total}个，已完成{done}个，超序时推进{ahead}个，"
                     f"{'慢序时或严重滞后' + str(behind) + '个，' if behind else '无滞后子项，'}"
                     f"完成率{40 + (i * 13) % 17}.{i % 10}%，"
                     f"{'高于' if i % 3 else '低于'}全市平均水平。")
    return texts
