"""`qcode chart freq|agreement`: images read back (SVG text, PNG pixels), and the messages for a
missing plotting library or a missing Chinese font."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

pytest.importorskip("matplotlib")

import matplotlib.image  # noqa: E402

import qcode.reports.charts as charts  # noqa: E402
from qcode.cli import chart_cmds  # noqa: E402

pytest_plugins = ["tests.test_reports_fixture"]  # the `report_project` fixture (coders 甲, 乙, 丙)

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(element.itertext()).strip() for element in root.iter(f"{SVG}text")]


@pytest.fixture
def cjk_font(monkeypatch):
    """Pretend a CJK font is installed (DejaVu Sans stands in; only its glyph coverage is wrong)."""
    monkeypatch.setattr(charts, "find_cjk_font", lambda installed=None: "DejaVu Sans")


@pytest.fixture
def no_cjk_font(monkeypatch):
    monkeypatch.setattr(charts, "find_cjk_font", lambda installed=None: None)


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_frequency_chart_svg_has_the_codes_in_order_and_every_coder(report_project, run, tmp_path, cjk_font):
    path = tmp_path / "figs" / "freq.svg"
    result = run("chart", "freq", "--lang", "en", "-o", path, "-p", report_project.root)
    assert result.exit_code == 0, result.stderr
    assert f"wrote {path}" in result.stderr
    texts = svg_texts(path)
    codes = [t for t in texts if t in ("Information quality", "Timeliness", "Readability", "Response", "Leadership")]
    assert codes == ["Information quality", "Timeliness", "Readability", "Response", "Leadership"]  # codebook order
    assert {"甲", "乙", "丙"} <= set(texts)  # the legend: one bar per coder
    assert "turns coded (of 9)" in texts and "turns per code and coder" in texts


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_frequency_chart_png_is_an_image_with_bars(report_project, run, tmp_path, cjk_font):
    path = tmp_path / "freq.png"
    assert run("chart", "freq", "-o", path, "-p", report_project.root).exit_code == 0
    image = matplotlib.image.imread(path)
    height, width = image.shape[:2]
    assert width == 7 * 150 and height >= 2.5 * 150 - 1  # 7 inches at 150 dpi
    colored = (abs(image[..., 0] - image[..., 2]) > 0.2).sum()  # bars are coloured, the rest grey or white
    assert colored > 500


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_agreement_chart_shows_alpha_and_kappa_per_code(report_project, run, tmp_path, cjk_font):
    path = tmp_path / "agree.svg"
    args = ("--lang", "en", "--include-incomplete", "--bootstrap", "50", "-p", report_project.root)
    result = run("chart", "agreement", "-o", path, *args)
    assert result.exit_code == 0, result.stderr
    texts = svg_texts(path)
    assert "Krippendorff's α" in texts and "Cohen's κ" in texts
    report = json.loads(run("agree", "--format", "json", "--include-incomplete", "--bootstrap", "0",
                            "-p", report_project.root).stdout)
    names = {"Q": "Information quality", "Q.TIME": "Timeliness", "Q.READ": "Readability", "R": "Response",
             "L": "Leadership"}
    assert [t for t in texts if t in names.values()] == [names[c] for c in report["per_code"]]


def test_chinese_labels_without_a_cjk_font_are_refused_with_what_to_install(report_project, run, tmp_path,
                                                                            no_cjk_font):
    path = tmp_path / "freq.png"
    result = run("chart", "freq", "--lang", "zh", "-o", path, "-p", report_project.root)
    assert result.exit_code == 1
    assert "未安装含中文字符的字体" in result.stderr  # --lang zh: the message is in Chinese too
    assert "fonts-noto-cjk" in result.stderr and "Traceback" not in result.stderr
    assert not path.exists()


def test_a_missing_matplotlib_says_how_to_install_it(report_project, run, tmp_path, monkeypatch):
    monkeypatch.setattr(chart_cmds.importlib.util, "find_spec", lambda name: None)
    result = run("chart", "freq", "-o", tmp_path / "f.png", "-p", report_project.root)
    assert result.exit_code == 1
    assert "pip install 'qcode[charts]'" in result.stderr


def test_only_png_and_svg(report_project, run, tmp_path):
    result = run("chart", "freq", "-o", tmp_path / "f.pdf", "-p", report_project.root)
    assert result.exit_code == 1 and "written as .png or .svg, not .pdf" in result.stderr


def test_cjk_fonts_are_found_by_name():
    assert charts.find_cjk_font(["DejaVu Sans", "WenQuanYi Zen Hei", "Noto Sans CJK SC"]) == "Noto Sans CJK SC"
    assert charts.find_cjk_font(["DejaVu Sans", "PingFang SC"]) == "PingFang SC"
    assert charts.find_cjk_font(["DejaVu Sans"]) is None
    assert charts.needs_cjk(["Trust", "信任"]) and not charts.needs_cjk(["Trust", "ann"])


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_charts_take_the_filters_every_analysis_shares(report_project, run, tmp_path, cjk_font):
    """Issue 14 point 2: --transcripts, --coders, --codes, --speakers, --where, spelled as everywhere."""
    path = tmp_path / "freq.svg"
    result = run("chart", "freq", "--lang", "en", "--codes", "R", "--coders", "甲,乙", "-o", path,
                 "-p", report_project.root)
    assert result.exit_code == 0, result.stderr
    texts = svg_texts(path)
    assert "Response" in texts and "Information quality" not in texts
    assert {"甲", "乙"} <= set(texts) and "丙" not in texts
    path = tmp_path / "agree.svg"
    args = ("--lang", "en", "--include-incomplete", "--bootstrap", "0", "--codes", "Q", "--coders", "甲",
            "--coders", "乙", "-p", report_project.root)
    result = run("chart", "agreement", "-o", path, *args)
    assert result.exit_code == 0, result.stderr
    report = json.loads(run("agree", "--format", "json", *args[2:]).stdout)
    names = {"Q": "Information quality", "Q.TIME": "Timeliness", "Q.READ": "Readability"}
    assert [t for t in svg_texts(path) if t in names.values()] == [names[c] for c in report["per_code"]]
    assert report["per_code"] and report["coders"] == ["甲", "乙"]
