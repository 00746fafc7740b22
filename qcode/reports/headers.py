"""Column headers in the interface language, for the formats people read (terminal, Markdown, Word, Excel).

Tables keep English column keys (they are the keys of CSV and JSON, which scripts read); `localized`
translates the headers a reader sees. Data in the header row (coder, transcript and code names) is
left as it is: only the words below are messages.
"""

from __future__ import annotations

import re

from qcode.i18n import N_, _
from qcode.reports.table import Table

HEADERS = (
    N_("code"), N_("name"), N_("parent"), N_("depth"), N_("codable"), N_("scope"), N_("codings"), N_("units"),
    N_("transcripts"), N_("share"), N_("characters"), N_("units_total"), N_("unit"), N_("transcript"), N_("coder"),
    N_("speaker"), N_("turns"), N_("sentences"), N_("all"), N_("start"), N_("end"), N_("text"), N_("memo"),
    N_("definition"), N_("include"), N_("exclude"), N_("examples"), N_("keywords"), N_("codings with subtree"),
    N_("statistic"), N_("value"), N_("value [95% CI]"), N_("95% CI low"), N_("95% CI high"),
    N_("undefined because"), N_("pair"), N_("about"), N_("target"), N_("coded text"), N_("updated"),
    N_("CI low"), N_("CI high"), N_("subtree"), N_("count"), N_("jaccard"),
    # Columns of the CLI's own tables (transcripts, import, log, merge, words, search, suggest).
    N_("result"), N_("encoding"), N_("note"), N_("progress"), N_("seq"), N_("at"), N_("actor"), N_("kind"),
    N_("action"), N_("key"), N_("source"), N_("what"), N_("added"), N_("unchanged"), N_("conflicting"),
    N_("file"), N_("why"), N_("strong"), N_("weak"), N_("suggestions"), N_("left"), N_("match"), N_("right"),
    N_("word"), N_("per_1000"), N_("group"), N_("score"), N_("time"),
    N_("old span"), N_("old text"), N_("new span"), N_("new text"),
    # attributes and persons, codebook history and diff, word and keyword tables, crosstabs, relations
    N_("attribute"), N_("case"), N_("person"), N_("speaks as"), N_("levels"), N_("type"), N_("speakers"),
    N_("version"), N_("saved"), N_("change"), N_("detail"), N_("codebook version"), N_("codings now"),
    N_("with subtree"), N_("rank"), N_("documents"), N_("keyword"), N_("suggested"), N_("coded"), N_("agreed"),
    N_("precision"), N_("recall"), N_("cases"), N_("cases_with_code"), N_("test"), N_("p_value"),
    N_("source name"), N_("target name"),
    # the saturation tables
    N_("codes"), N_("new codes"), N_("cumulative"), N_("new categories"), N_("new codes (names)"), N_("adds"),
)
_WITH_SUFFIX = re.compile(r"^(?P<word>.+?) (?P<suffix>\((?:zh|en|[a-z]{2}(?:-[A-Za-z]+)?)\)|CI low|CI high)$")


def header_text(header: str) -> str:
    """A header in the interface language: `name (zh)` → `名称 (zh)`, `kappa CI low` → `kappa 置信区间下限`."""
    translated = _(header)
    if translated != header:
        return translated
    found = _WITH_SUFFIX.match(header)
    if found:
        suffix = found["suffix"]
        return f"{_(found['word'])} {_(suffix) if suffix.startswith('CI') else suffix}"
    return header


def localized(table: Table) -> Table:
    """The same table with its headers in the interface language (title and values unchanged)."""
    return Table(table.title, tuple(header_text(str(h)) for h in table.headers), table.rows, table.numeric,
                 table.percent)
