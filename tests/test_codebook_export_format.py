"""`qcode codebook export -o FILE` takes the format from FILE's suffix when --format is not given, so a
`.yaml` export is a codebook `qcode codebook load` accepts (it used to hold the Markdown appendix)."""

from __future__ import annotations

from tests.tui_support import make_project


def test_a_yaml_file_gets_the_yaml_codebook_and_loads_back(run, tmp_path):
    root = make_project(tmp_path / "p")
    out = tmp_path / "exported.yaml"
    assert run("codebook", "export", "-o", out, "-p", root).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("format: ")
    check = run("codebook", "check", out)
    assert check.exit_code == 0, check.stderr
    assert run("codebook", "load", out, "-p", root).exit_code == 0


def test_an_explicit_format_wins_and_md_stays_the_default(run, tmp_path):
    root = make_project(tmp_path / "p")
    assert run("codebook", "export", "--format", "md", "-o", tmp_path / "a.yaml", "-p", root).exit_code == 0
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8").startswith("# ")
    assert run("codebook", "export", "-o", tmp_path / "b.md", "-p", root).exit_code == 0
    assert (tmp_path / "b.md").read_text(encoding="utf-8").startswith("# ")
    assert run("codebook", "check", tmp_path / "a.yaml").exit_code != 0
