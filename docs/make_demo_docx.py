"""Build the demo Word transcript ``transcripts/B02-citizen-young-parent.docx``.

The interview text lives in this script so that the .docx can be rebuilt exactly. The output is
byte-for-byte reproducible for a given python-docx version: the document properties carry fixed
dates, and every member of the zip archive gets a fixed timestamp.

The layout copies a hand-typed Word transcript on purpose, so that the importer meets the awkward
parts of real files:

* a two-column metadata table (项目 / 内容) before the body; tables are not body paragraphs;
* speaker labels in brackets (【访谈者】 / 【受访者】), each turn one paragraph with the label in bold;
* after a change of transcriber, labels with the time code after the role, e.g. ``受访者C（00:14:11）：``;
* soft line breaks (Shift+Enter, ``<w:br/>``) inside one paragraph, and tab characters.

All people and places are fictional.

Usage (from the repository root)::

    python docs/make_demo_docx.py                 # writes transcripts/B02-citizen-young-parent.docx
    python docs/make_demo_docx.py -o /tmp/b02.docx
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "transcripts" / "B02-citizen-young-parent.docx"

# Fixed dates: the document properties and the zip member timestamps.
FIXED_DATETIME = dt.datetime(2024, 3, 18, 21, 5, 0, tzinfo=dt.timezone.utc)
ZIP_DATE_TIME = (2024, 3, 18, 21, 5, 0)

TITLE = "临溪县政务公众号使用情况访谈记录（B02）"

METADATA = [
    ("访谈编号", "B02"),
    ("访谈时间", "2024年3月16日（周六）14:30—15:20"),
    ("访谈地点", "临溪县城关镇某咖啡馆（受访者选定）"),
    ("受访者编号", "C（女，34岁，企业会计，孩子6岁，2023年秋季入读县城小学一年级）"),
    ("访谈执行", "课题组 Z"),
    ("记录人", "课题组 L（前半部分）、课题组 W（后半部分，标注录音时间）"),
    ("录音", "约22分钟；开场寒暄未整理"),
]

# Turns of the first transcriber: (label, paragraph). A paragraph is a list of lines; the lines
# are joined with soft line breaks (Shift+Enter). A label of None is a continuation paragraph
# of the same speaker, typed without a label.
PART_ONE = [
    ("【访谈者】", ["谢谢您周末还抽时间出来。我们先随便聊聊，您平时用「临溪发布」多吗？"]),
    ("【受访者】", ["还行吧，不算天天看。我关注它主要是为了办事，说实话它推的文章我很少点开，（笑）都是开会嘛。但是一有事情，我第一个就是去翻它，比如医保什么时候交、孩子报名什么时候开始。因为别的地方说的我不敢信，家长群里一天几百条消息，真真假假的。"]),
    ("【访谈者】", ["您用它办过哪些事？"]),
    ("【受访者】", ["最多的就是交医保。我跟我老公是单位的职工医保，孩子和我婆婆是居民医保，每年都要交。以前是社区来收，我婆婆还要跑到社区去交现金，拿个收据。后来公众号上发了个缴费指南，里面有个链接，点进去就能交，微信直接付，一个人四百块钱，两分钟的事。我婆婆那份也是我在手机上帮她交的。这个真的方便，比以前强太多了。"]),
    (None, ["不过第一年交的时候也搞了半天。那个指南是一张长图，从上往下十几步，我看了三遍才搞明白要先点“税务”那个入口——居民医保现在是税务局收的嘛，我一开始一直在“医保”的菜单里找，怎么也找不到缴费的按钮。（笑）你说一个号里有“医保”，却不能交医保，得去“税务”交，谁想得到？"]),
    ("【访谈者】", ["您婆婆自己会用吗？"]),
    ("【受访者】", ["她不会，她手机上就会视频、抢红包。（笑）让她自己去公众号里找缴费入口，那不可能。我们小区好多老人都是子女代交的，子女不在身边的，还是去社区交。社区那个网格员挺辛苦的，每年缴费那段时间挨家挨户上门，拿着手机一户一户帮着交。"]),
    ("【访谈者】", ["公众号上发的政策文章，您看得懂吗？"]),
    ("【受访者】", ["看情况。有一种是直接把文件贴上去的，“根据某某文件精神”，一大段一大段，我做会计的，看文件算是习惯的，都看得头疼。还有一种是“一图读懂”，做成图，一二三列出来，这个我喜欢，像去年那个“一图读懂义务教育招生政策”，我就存在手机里了。但是图也有图的问题，图上的字不能复制、不能搜，我想把报名网址发给我妈，只能截图发过去，她还得对着图一个字母一个字母地敲。"]),
    ("【访谈者】", ["那孩子入学报名呢？"]),
    ("【受访者】", ["\t哎，那个我印象太深了。去年七月，我儿子上一年级，县城的小学从去年开始全部网上报名，不用去学校排队了。本来是好事啊，我表姐说她家孩子报名那年，凌晨四点就去学校门口排队了。"]),
    (None, [
        "通知是「临溪教育」先发的，「临溪发布」也转了。我记得通知上写的是：",
        "一、报名时间：7月10日8:00至7月14日18:00；",
        "二、报名方式：通过「临溪教育」公众号“招生报名”入口在线填报；",
        "三、所需材料：户口簿\t房产证明\t监护人身份证（拍照上传）。",
    ]),
    (None, ["写得挺清楚的。但是10号早上八点一开，系统就进不去了，一直转圈圈，要么就是“当前访问人数过多，请稍后再试”。我那天请了假在家，从八点刷到快十点才进去。家长群里都疯了，有人说“先报先录”，有人说“名额有限”，大家都慌。其实通知上写得很清楚，五天之内报都一样，是按学区录的，根本不存在先报先得。"]),
    ("【访谈者】", ["那个时候公众号有回应吗？"]),
    ("【受访者】", ["有，但是晚了。十点多教育局发了一条，说“报名时间充足，按学区划片录取，与报名先后无关，请家长错峰填报”。这句话要是八点之前就发，或者在报名通知里加粗写上，估计能少一半人挤。（停顿）"]),
    ("【访谈者】", ["您觉得系统卡成那样，是什么原因？"]),
    ("【受访者】", ["我也是听说的啊，不一定准。我们群里有个家长在县里上班，她说那个报名系统是教育局找外面的公司做的，服务器就租了一个很小的，估计压根没想到几千个家长八点钟同时点进去。今年听说要换到市里统一的平台上去。我觉得这个事不能怪家长着急，一年就报这一次，谁都怕出岔子。要我说，宁可多花点钱，把系统弄稳当，这个钱是花在老百姓身上的，比拍那些宣传片有用多了。"]),
    ("【访谈者】", ["报名的时候还遇到别的问题了吗？"]),
    ("【受访者】", ["有啊。我在「临溪发布」后台留言问过一个问题，我们家房产证还没下来，只有购房合同行不行。结果它就回了一条自动回复，让我去关注「临溪教育」。我又去「临溪教育」留言，三天以后才回我，说可以。那三天我是真的急，天天睡不着。"]),
]

TRANSCRIBER_NOTE = "（以下由第二位记录人整理，括号内为录音时间）"

# Turns of the second transcriber: (role, time code, paragraph lines).
PART_TWO = [
    ("访谈者", "00:14:02", ["上传户口本、房产证这些，您担心过信息安全的问题吗？"]),
    ("受访者C", "00:14:11", ["担心啊，怎么不担心。户口本那一页，全家的身份证号都在上面，房产证上有地址、有面积。我上传的时候就在想，这些东西存在哪儿？谁能看到？会不会哪天就泄露了？我们做会计的，对这个比较敏感。你看我现在每个月接到的推销电话，什么装修的、卖保险的、孩子培训班的，报完名那个月特别多，我也不知道是不是从这里漏出去的，反正心里是打了个问号的。"]),
    (None, None, ["但是没办法，你不传就报不了名，孩子上学总不能不报吧。所以我觉得政府收了这些信息，至少要告诉我们一声：存在哪儿、存多久、谁能看。这个应该是我们的权利吧？"]),
    ("访谈者", "00:15:19", ["您还用它预约过什么吗？"]),
    ("受访者C", "00:15:24", ["预约过打疫苗，孩子的。妇幼保健院的预约在公众号上，这个挺好，选好时间段，到点直接去，不用排一上午队。还有一次预约不动产登记，那个就不行了，跳到一个什么政务服务网，让我重新注册、重新实名，人脸识别了两次，最后约好了，到了窗口人家说“你约的这个事项不对，要约抵押那个”。（笑）白跑一趟。"]),
    (None, None, ["所以我的感觉是，这个号上的东西，好用的是真好用，不好用的是真不好用，看是哪个部门做的。它自己其实就是个大门，进去以后每个房间装修得都不一样。"]),
    ("访谈者", "00:16:25", ["和别的渠道比，比如支付宝的城市服务，或者直接打电话，您更愿意用哪个？"]),
    ("受访者C", "00:16:36", ["看什么事。查社保、交水电费，我用支付宝，那个做得更顺，找起来也快。但是县里的通知、政策，只有「临溪发布」有，支付宝上没有。打电话嘛，12345我打过一次，问学区划分，接线员说帮我转教育局，教育局的电话一直占线。"]),
    ("访谈者", "00:17:07", ["您身边的家长用得多吗？"]),
    ("受访者C", "00:17:12", ["年轻家长都用，不用不行。但是好多人是报名那阵子才知道有这么个号，临时关注的，之前根本不知道医保可以在上面交。我们班家长群里，我每次看到有用的就转一下，有几个家长还说“你怎么知道这么多”，我说都在公众号上啊。（笑）所以我觉得它推广做得不够，东西是有，别人不知道。"]),
    (None, None, ["还有爷爷奶奶接送的那种，老人基本就不会用。每次有什么通知，都是班主任在群里发完，再一个一个打电话。"]),
    ("访谈者", "00:18:04", ["您在公众号上参与过意见征集这类活动吗？"]),
    ("受访者C", "00:18:10", ["参与过一次，去年公交线路调整那个。我填了问卷，写了我们小区到县一小没有直达的车，孩子上学要转一趟。说实话填的时候没抱什么希望，觉得就是走个形式。结果后来公布调整方案，真的在我们小区门口加了一个站。我当时还挺意外的，截图发了朋友圈。（笑）老百姓的意见真被听进去了，下次再有这种，我肯定还填。"]),
    ("访谈者", "00:18:52", ["家长群里的消息和公众号的消息，您更信哪个？"]),
    ("受访者C", "00:19:00", ["当然是公众号。家长群里什么都有，去年还有人传“县一小明年划片调整，某某小区划出去了”，说得有鼻子有眼的，好多家长跑去找学校，学校说没这回事。后来教育局在公众号上发了个说明，这事才平下来。所以官方号的作用就在这儿，关键时候得它出来说句话。只是……它能不能说得早一点？"]),
    ("访谈者", "00:19:38", ["如果让您给这个号提建议呢？"]),
    ("受访者C", "00:19:44", [
        "我想想啊。",
        "第一，能不能提醒我？比如医保快到截止日期了，推一条消息给我。现在是我自己记着去翻，翻不到就错过了。我同事去年就忘了交，孩子住院报销不了，后悔死了。",
        "第二，菜单整理一下。现在点进“便民服务”，二十几个链接，一半点进去打不开，或者是两年前的。能不能按“我要缴费”“我要预约”“我要报名”这样分？",
        "第三，报名这种大事，提前做个演示，说清楚哪些材料要拍成什么样、什么事不用急，先把家长的焦虑降下来。",
    ]),
    (None, None, ["还有，后台能不能有个真人？哪怕晚一点回，但是真的回。自动回复那个，说实话，有点敷衍。"]),
    ("访谈者", "00:20:53", ["好的，谢谢您，今天聊得很有收获！"]),
    ("受访者C", "00:21:00", ["不客气。你们写完了也发我看看呗，我也想知道别的家长怎么说。（笑）"]),
]


def _set_fonts(document: Document) -> None:
    """Use a common CJK font for the Normal style, as a Chinese Word install would."""
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), "宋体")


def _add_lines(paragraph, lines: list[str]) -> None:
    """Add lines to a paragraph, separated by soft line breaks; tabs become <w:tab/>."""
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)  # python-docx turns "\t" into <w:tab/>
        if i < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _add_turn(document: Document, label: str | None, lines: list[str]) -> None:
    paragraph = document.add_paragraph()
    if label:
        paragraph.add_run(label).bold = True
    _add_lines(paragraph, lines)


def build_document() -> Document:
    document = Document()
    _set_fonts(document)

    document.add_heading(TITLE, level=1)

    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text, header[1].text = "项目", "内容"
    for cell in header:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for key, value in METADATA:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = key, value

    document.add_paragraph()
    for label, lines in PART_ONE:
        _add_turn(document, label, lines)

    document.add_paragraph(TRANSCRIBER_NOTE)
    for role, timecode, lines in PART_TWO:
        label = f"{role}（{timecode}）：" if role else None
        _add_turn(document, label, lines)

    props = document.core_properties
    props.title = "B02 访谈记录"
    props.subject = "临溪县政务公众号使用情况访谈（虚构示例数据）"
    props.author = "课题组 L"
    props.last_modified_by = "课题组 W"
    props.keywords = "qcode; demo; 访谈"
    props.comments = "qcode demo transcript; all people and places are fictional."
    props.language = "zh-CN"
    props.category = ""
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    props.last_printed = FIXED_DATETIME
    props.revision = 3
    return document


def _normalised_zip(data: bytes) -> bytes:
    """Rewrite the archive with fixed member timestamps so the output is reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def build_bytes() -> bytes:
    buffer = io.BytesIO()
    build_document().save(buffer)
    return _normalised_zip(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"where to write the .docx (default: {DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)
    data = build_bytes()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
