"""Where the bundled codebooks and sample transcripts are: beside the package in a source checkout
(editable install), or copied into the package as `_bundled/` in a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The folder `codebooks` or `transcripts` shipped with qcode."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled folder '{name}' is missing from this qcode installation")


def bundled_codebook() -> Path:
    return bundled_dir("codebooks") / "nps-toe.yaml"
