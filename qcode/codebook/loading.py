"""Loading and checking codebook files: the entry points the CLI and other importers call."""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike

from qcode.codebook.problems import ProblemLog
from qcode.codebook.reader import CodebookReader
from qcode.codebook.rules import check_rules
from qcode.codebook.source import decode_codebook_bytes, log_disallowed_characters, read_codebook_bytes
from qcode.codebook.yaml_tree import compose_yaml
from qcode.domain.codebook import Codebook
from qcode.errors import InputError, Problem


@dataclass(frozen=True)
class CodebookReading:
    """The outcome of reading a codebook: the codebook if it has no errors, and every problem found."""

    codebook: Codebook | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity == "warning")

    def codebook_or_raise(self) -> Codebook:
        """The codebook, or `InputError` listing every error (warnings never stop loading)."""
        if self.codebook is None:
            raise InputError(problems=list(self.errors))
        return self.codebook


def read_codebook(path: str | PathLike[str]) -> CodebookReading:
    """Read and check a codebook file. A missing file or a directory raises `InputError`."""
    data = read_codebook_bytes(path)
    log = ProblemLog(str(path))
    text = decode_codebook_bytes(data, log)
    if text is None:
        return CodebookReading(None, tuple(log.sorted()))
    return _read(text, log)


def read_codebook_text(text: str, path: str = "<string>", *, stored: bool = False) -> CodebookReading:
    """Read and check codebook text; `path` is only used to label problems. A `stored` text (one a project
    already holds) may keep control characters from before they were refused: warnings, not errors."""
    return _read(text.removeprefix("\ufeff"), ProblemLog(path), stored=stored)


def load_codebook(path: str | PathLike[str]) -> Codebook:
    """The codebook in a file; `InputError` with every error problem if it has any."""
    return read_codebook(path).codebook_or_raise()


def parse_codebook_text(text: str, path: str = "<string>", *, stored: bool = False) -> Codebook:
    """The codebook in `text`; `InputError` with every error problem if it has any (see `read_codebook_text`)."""
    return read_codebook_text(text, path, stored=stored).codebook_or_raise()


def check_codebook(path: str | PathLike[str]) -> list[Problem]:
    """Every problem in a codebook file, errors and warnings, in file order, each with line and column."""
    return list(read_codebook(path).problems)


def check_codebook_text(text: str, path: str = "<string>") -> list[Problem]:
    """Every problem in codebook text, in order; `path` is only used to label them."""
    return list(read_codebook_text(text, path).problems)


def _read(text: str, log: ProblemLog, *, stored: bool = False) -> CodebookReading:
    root = compose_yaml(text, log) if log_disallowed_characters(text, log) else None
    draft = None if log.has_errors else CodebookReader(text, log, controls_allowed=stored).read(root)
    if draft is not None:
        check_rules(draft, log)
    codebook = draft.to_codebook() if draft is not None and not log.has_errors else None
    return CodebookReading(codebook, tuple(log.sorted()))
