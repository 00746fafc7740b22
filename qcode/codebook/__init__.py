"""The YAML codebook format: loading, checking, writing and comparing codebooks.

The format is documented in `docs/codebook.md`. The data it produces is `qcode.domain.codebook`.
"""

from qcode.codebook.diff import CodebookDiff, diff_codebooks
from qcode.codebook.dump import dump_codebook_yaml
from qcode.codebook.loading import (
    CodebookReading,
    check_codebook,
    check_codebook_text,
    load_codebook,
    parse_codebook_text,
    read_codebook,
    read_codebook_text,
)

__all__ = [
    "CodebookDiff",
    "CodebookReading",
    "check_codebook",
    "check_codebook_text",
    "diff_codebooks",
    "dump_codebook_yaml",
    "load_codebook",
    "parse_codebook_text",
    "read_codebook",
    "read_codebook_text",
]
