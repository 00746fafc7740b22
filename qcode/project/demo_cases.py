"""What the demo knows about its interviews and people, and a small questionnaire to import (all invented).

The facts follow `docs/demo-data.md`: three officials (A01 the 小编 of 「临溪发布」, male 29; A02 the 人社局
office head, female 46; A03 the 青石镇 clerk, male 33) and three citizens (B01 a retired teacher, male 71,
with his wife; B02 a young mother, female 34, who appears as both 受访者 and 受访者C; E01 a foreign teacher,
41). Every interviewer label is mapped to one person, 访谈员, whose role is interviewer, so reports leave
the interviewer's questions out unless asked (`--speakers all`).

The questionnaire imitates a 问卷星 "按选项文本" CSV download of a satisfaction survey about 「临溪发布」:
twelve invented respondents, three closed questions and two open ones.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from qcode.project.attributes import CaseValue, define_attribute, map_speakers, store_values
from qcode.project.project import Project

INTERVIEWER = "访谈员"
AGE_GROUPS = ("青年", "中年", "老年")

# transcript -> attributes
TRANSCRIPTS = {
    "A01-editor": {"group": "官员", "township": "县城"},
    "A02-department-head": {"group": "官员", "township": "县城"},
    "A03-township-clerk": {"group": "官员", "township": "青石镇"},
    "B01-citizen-retiree": {"group": "市民", "township": "县城"},
    "B02-citizen-young-parent": {"group": "市民", "township": "县城"},
    "E01-english-resident": {"group": "市民", "township": "县城"},
}
# (transcript, interviewer label)
INTERVIEWER_LABELS = (("A01-editor", "访谈者"), ("A02-department-head", "访谈者"), ("A03-township-clerk", "问"),
                      ("B01-citizen-retiree", "说话人1"), ("B02-citizen-young-parent", "访谈者"),
                      ("E01-english-resident", "I"))
# person -> (labels as (transcript, label), attributes)
PERSONS = {
    "A01 小编": ((("A01-editor", "受访者A"),), {"role": "official", "gender": "男", "age_group": "青年", "age": "29"}),
    "A02 办公室主任": ((("A02-department-head", "受访者B"),),
                  {"role": "official", "gender": "女", "age_group": "中年", "age": "46"}),
    "A03 党政办干事": ((("A03-township-clerk", "答"),), {"role": "official", "gender": "男", "age_group": "青年",
                                                    "age": "33"}),
    "B01 退休教师": ((("B01-citizen-retiree", "说话人2"),),
                {"role": "citizen", "gender": "男", "age_group": "老年", "age": "71"}),
    "B01 退休教师的妻子": ((("B01-citizen-retiree", "说话人3"),), {"role": "citizen", "gender": "女", "age_group": "老年"}),
    "B02 年轻母亲": ((("B02-citizen-young-parent", "受访者"), ("B02-citizen-young-parent", "受访者C")),
                {"role": "citizen", "gender": "女", "age_group": "青年", "age": "34"}),
    "E01 外籍教师": ((("E01-english-resident", "R"),), {"role": "citizen", "age_group": "中年", "age": "41"}),
}

SURVEY_NAME = "临溪发布满意度调查-问卷星.csv"
SURVEY_HEADER = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、您的身份", "2、您的年龄段",
                 "3、您所在的乡镇", "4、您觉得「临溪发布」哪些地方做得好？", "5、您对「临溪发布」有什么意见或建议？"]
SURVEY_ROWS = [
    ["1", "2024/3/20 09:12:45", "132秒", "微信", "N/A", "(本地)", "市民", "青年", "县城",
     "公交线路调整前先征求意见，这个做法很好。", "留言经常好几天没人回，希望能及时回复。"],
    ["2", "2024/3/20 10:03:11", "95秒", "微信", "N/A", "(本地)", "市民", "老年", "柳塘镇",
     "", "字太小了，图片里的字看不清，能不能出个大字版？"],
    ["3", "2024/3/20 11:47:02", "210秒", "链接", "N/A", "(本地)", "公职人员", "中年", "县城",
     "辟谣很快，水库那次四十分钟就出来了。", "推送太多领导活动，老百姓关心的办事信息反而找不到。"],
    ["4", "2024/3/20 13:20:36", "77秒", "微信", "N/A", "(本地)", "市民", "青年", "青石镇",
     "医保缴费的指南写得清楚，两分钟就交好了。", "菜单太乱，希望按事情分类，比如上学、看病、社保。"],
    ["5", "2024/3/20 15:58:19", "64秒", "微信", "N/A", "(本地)", "市民", "老年", "白沙乡",
     "", ""],
    ["6", "2024/3/21 08:31:50", "148秒", "微信", "N/A", "(本地)", "市民", "中年", "县城",
     "疫情那段时间每天看通报，比较放心。", "报名系统一到高峰就崩，通知也发得太晚。"],
    ["7", "2024/3/21 09:14:27", "55秒", "链接", "N/A", "(本地)", "公职人员", "青年", "白沙乡",
     "", "各单位都要求转发，朋友圈全是一样的内容，大家都烦了。"],
    ["8", "2024/3/21 12:40:03", "101秒", "微信", "N/A", "(本地)", "市民", "中年", "青石镇",
     "能在手机上预约打疫苗，很方便。", "不动产登记还是要跑窗口，希望也能网上办。"],
    ["9", "2024/3/21 19:22:58", "173秒", "微信", "N/A", "(本地)", "市民", "老年", "县城",
     "比短视频上的消息靠谱。", "人脸识别老是通不过，希望保留窗口办理。"],
    ["10", "2024/3/22 07:55:41", "88秒", "微信", "N/A", "(本地)", "市民", "青年", "柳塘镇",
     "活动通知挺及时的。", "希望留言有真人回复，不要总是自动回复。"],
    ["11", "2024/3/22 10:16:09", "120秒", "链接", "N/A", "(本地)", "公职人员", "中年", "青石镇",
     "", "乡镇的号人手不够，一个人兼着好几样工作，很难长期更新。"],
    ["12", "2024/3/22 16:03:33", "69秒", "微信", "N/A", "(本地)", "市民", "青年", "县城",
     "截止日期前会提醒，挺贴心。", "隐私方面有点担心，上传户口本不知道谁能看到。"],
]


def write_survey(folder: Path) -> Path:
    """Write the questionnaire as 问卷星 writes a CSV download (UTF-8 with BOM, CRLF) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SURVEY_HEADER)
    writer.writerows(SURVEY_ROWS)
    path = folder / SURVEY_NAME
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    return path


def add_demo_cases(project: Project) -> None:
    """Give the demo's transcripts and speakers their persons and attributes."""
    store = project.store
    names = {t.name for t in store.transcripts.all()}
    define_attribute(store, "person", "age_group", "category", AGE_GROUPS)
    for transcript, label in INTERVIEWER_LABELS:
        if transcript in names:
            map_speakers(store, INTERVIEWER, label, (transcript,))
    for person, (labels, _) in PERSONS.items():
        for transcript, label in labels:
            if transcript in names:
                map_speakers(store, person, label, (transcript,))
    values = [CaseValue("transcript", t, name, value) for t, found in TRANSCRIPTS.items() if t in names
              for name, value in found.items()]
    values += [CaseValue("person", INTERVIEWER, "role", "interviewer")]
    values += [CaseValue("person", person, name, value) for person, (labels, found) in PERSONS.items()
               if any(t in names for t, _ in labels) for name, value in found.items()]
    store_values(store, values, types={("person", "age"): "number"})


SURVEY_ROLES = {"市民": "citizen", "公职人员": "official"}


def add_survey_respondents(project: Project, prefix: str) -> None:
    """Make each imported respondent one person (their answers are turns labelled with the questions)
    whose role follows their answer to 您的身份, so `--by attr:role` counts them with the interviewees."""
    store = project.store
    infos = {t.name: t for t in store.transcripts.all()}
    labels = store.transcripts.speakers()
    values = []
    for row in SURVEY_ROWS:
        document = infos.get(f"{prefix}{row[0]}")
        if document is None:
            continue  # answered no open question: no document
        person = f"问卷{row[0]}号"
        for label in labels.get(document.id, ()):
            map_speakers(store, person, label, (document.name,))
        values.append(CaseValue("person", person, "role", SURVEY_ROLES[row[SURVEY_HEADER.index("1、您的身份")]]))
    store_values(store, values)
