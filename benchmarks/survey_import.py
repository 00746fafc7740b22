"""Questionnaire import speed (issue #14): 5,000 respondents x 3 open questions (target <= 3 s).

A 问卷星-style .xlsx download (invented answers: 6 metadata columns, 3 closed questions, 3 open questions
of one to four sentences) is imported with the real CLI into a fresh project, 3 times; the median is
printed, with the time of `qcode import` of 50 plain transcripts of the same total text (the reference
measured in the same run) and the ratio.

Run: python benchmarks/survey_import.py
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

ANSWERS = ["留言回复太慢了，一周都没人理。", "希望能在线预约办事，少跑腿。", "专业术语太多，老人看不懂！",
           "推送内容和生活关系不大。", "办事指南写得很清楚，点赞。", "字太小了，看不清楚；排版也乱。",
           "没有什么意见。", "希望多发一些社区活动的通知？"]
HEADER = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、您的身份", "2、您的年龄",
          "3、您所在的街道", "4、您对政务公众号有什么意见或建议？", "5、您觉得信息难懂的原因是什么？",
          "6、您希望增加哪些服务？请说明"]


def make_survey(path: Path, respondents: int, rng: random.Random) -> int:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    characters = 0
    for n in range(1, respondents + 1):
        opens = ["".join(rng.choice(ANSWERS) for _ in range(rng.randint(1, 4))) for _ in range(3)]
        characters += sum(map(len, opens))
        sheet.append([n, f"2024/5/{rng.randint(1, 28)} 10:00:00", f"{rng.randint(30, 600)}秒", "微信", "N/A",
                      "10.0.0.1", rng.choice(["市民", "公务员", "学生"]), rng.randint(18, 80),
                      rng.choice(["东城", "西城", "南湖", "北山"]), *opens])
    book.save(path)
    return characters


def make_transcripts(folder: Path, characters: int, rng: random.Random) -> None:
    folder.mkdir()
    per_file = characters // 50
    for i in range(50):
        lines, total, turn = [], 0, 0
        while total < per_file:
            line = f"{'访谈者' if turn % 2 == 0 else '受访者'}：" + "".join(rng.choice(ANSWERS) for _ in range(3))
            lines.append(line)
            total += len(line) + 1
            turn += 1
        (folder / f"t{i:02d}.txt").write_text("\n".join(lines), encoding="utf-8")


def timed_import(qcode: str, target: Path, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "p"
            subprocess.run([qcode, "init", str(project)], check=True, capture_output=True)
            start = time.perf_counter()
            subprocess.run([qcode, "import", str(target), "-p", str(project)], check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    qcode = str(Path(sys.executable).with_name("qcode"))
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as tmp:
        survey = Path(tmp) / "survey.xlsx"
        characters = make_survey(survey, 5000, rng)
        folder = Path(tmp) / "transcripts"
        make_transcripts(folder, characters, rng)
        seconds = timed_import(qcode, survey)
        reference = timed_import(qcode, folder)
    print(f"survey import, 5,000 respondents x 3 open questions ({characters:,} characters): "
          f"median {seconds:.2f} s (target <= 3 s)")
    print(f"reference: 50 transcripts of the same text: median {reference:.2f} s; ratio {seconds / reference:.2f}")


if __name__ == "__main__":
    main()
