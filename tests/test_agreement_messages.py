"""Agreement texts through the catalogues: English in JSON, the reader's language elsewhere (issue 12).

The methods paragraph is written in the language `--methods` names, whatever the interface language; a
reason or note stays English in the report's JSON and is translated where a person reads it; the labels of
the statistics come from one table.
"""

from __future__ import annotations

import json

import numpy as np

from qcode.agreement import CodingMatrix, reasons
from qcode.agreement.labels import SPAN_OVERALL, SPAN_PER_CODE, STATISTIC, long_label, short_label
from qcode.agreement.messages import Message, translated
from qcode.agreement.methods import StudyContext, methods_paragraph
from qcode.agreement.nominal import STATISTICS
from qcode.agreement.report import unit_agreement
from qcode.agreement.scope import Compared, ComparedTranscript, Scope, UnitOptions
from qcode.i18n import current_language, using_language


def test_a_reason_is_english_text_and_translates_where_shown() -> None:
    reason = reasons.multi_label(3)
    assert reason == "3 units carry several codes from one coder, so single-label statistics do not apply; " \
                     "see per_code and label_sets"
    assert json.dumps({"r": reason}) == json.dumps({"r": str(reason)})  # JSON sees plain English
    with using_language("zh"):
        assert translated(reason) == "3个单位被同一编码员标注了多个代码，单一类别统计量不适用；见per_code与label_sets"
        assert translated(reasons.NO_COMMON_UNITS) == "两名编码员没有共同评定的单位"
    with using_language("en"):
        assert translated(reason) == reason


def test_names_inside_a_message_are_never_translated() -> None:
    # A coder named like a catalogue message ("code" is one) keeps their name.
    note = Message("{coder} saw other coders' codings of {transcript} before completing it ({at}): not coded "
                   "independently", coder="code", transcript="name", at="2026-01-01")
    with using_language("zh"):
        text = translated(note)
    assert text.startswith("code在完成name之前") and "非独立编码" in text


def test_every_reported_statistic_has_one_label_entry() -> None:
    for key in (*STATISTICS, "krippendorff_alpha_masi", *SPAN_OVERALL, *SPAN_PER_CODE):
        assert key in STATISTIC
    shorts = [STATISTIC[key].short for key in STATISTICS]
    assert len(set(shorts)) == len(shorts)
    with using_language("zh"):
        assert short_label("percent_agreement") == "一致率"
        assert short_label("binary_u_alpha", span_code=True) == "二元uα"
        assert short_label("binary_u_alpha") == "|uα"  # overall, the relevance of text
    with using_language("en"):
        assert long_label("krippendorff_alpha_masi") == "Krippendorff's alpha (MASI distance, label sets)"


def _report():
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 2, size=40)
    present = np.zeros((40, 2, 2), dtype=bool)
    for c in range(2):
        choice = np.where(rng.random(40) < 0.8, truth, 1 - truth)
        present[np.arange(40), c, choice] = True
    report = unit_agreement(CodingMatrix(("ann", "bob"), ("A", "B"), np.ones((40, 2), dtype=bool), present),
                            unit="sentence", bootstrap=50, seed=1)
    scope = Scope(transcripts=("t1",), rated={"ann": ("t1",), "bob": ("t1",)}, codes=("A", "B"), not_independent=(),
                  options=UnitOptions(False, "missing", False, None),
                  compared=Compared((ComparedTranscript("t1", 400, 40, ("ann", "bob")),), ()))
    return report.with_scope(scope, report.notes)


def test_the_paragraph_language_is_chosen_apart_from_the_interface_language() -> None:
    report = _report()
    context = StudyContext(2, code_names={"A": ("甲", "Alpha"), "B": ("乙", "Beta")})
    with using_language("zh"):
        english = methods_paragraph(report, context, "en")
        assert current_language() == "zh"  # the paragraph did not change the interface language
    with using_language("en"):
        chinese = methods_paragraph(report, context, "zh")
    assert english.startswith("Two coders (ann, bob) coded interview transcripts with a codebook of 2 codes.")
    assert "References" in english and "参考文献" not in english
    assert chinese.startswith("两名编码员（ann、bob）使用包含2个代码的编码本对访谈转录稿进行了编码。")
    assert "| 甲（A） |" in chinese and "| Alpha (A) |" in english
    kappa = report.per_code["A"]["cohen_kappa"].value
    assert kappa is not None and f"{kappa:.3f}" in english and f"{kappa:.3f}" in chinese
