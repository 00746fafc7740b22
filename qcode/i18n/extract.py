"""Finding the messages in qcode's source with `ast`: what the catalogues must contain, no more, no less.

A message is (see the package docstring) the first argument of `_()`/`N_()` (both forms of `ngettext()`
and of `counted()`),
and in qcode/cli the `help=` text of every call the docstring of every function decorated as a
click command or group, cleaned as click cleans them (`inspect.cleandoc`, cut at a form feed), and the
help (third item) of each entry of the lazy command registries (`COMMANDS`, `FORMATS`: dicts of
name -> (module, attribute, help)), so that a command added there needs no marker.
Used by the catalogue test and by `python -m tests.i18n_catalogues`; nothing here runs in the app.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
MARKERS = {"_": slice(0, 1), "N_": slice(0, 1), "ngettext": slice(0, 2), "counted": slice(1, 3)}  # which arguments
COMMAND_DECORATORS = ("command", "group")
REGISTRIES = ("COMMANDS", "FORMATS")


@dataclass(frozen=True)
class Message:
    text: str
    path: str  # relative to the repository
    line: int


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _constant(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def click_text(text: str) -> str:
    """A help text as click shows it, which is what the CLI looks up in the catalogue."""
    return inspect.cleandoc(text).partition("\f")[0].strip()


def messages_in(source: str, relative: str, *, cli: bool) -> Iterator[Message]:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            marked = MARKERS.get(_name(node.func)) if isinstance(node.func, ast.Name) else None
            for argument in node.args[marked] if marked else ():
                text = _constant(argument)
                if text:
                    yield Message(text, relative, node.lineno)
            if cli:
                for keyword in node.keywords:
                    text = _constant(keyword.value) if keyword.arg == "help" else None
                    if text and click_text(text):
                        yield Message(click_text(text), relative, node.lineno)
        elif cli and isinstance(node, ast.AnnAssign | ast.Assign) and _is_registry(node):
            for value in node.value.values:  # type: ignore[union-attr]  # _is_registry checked that the value is a dict
                if isinstance(value, ast.Tuple) and len(value.elts) == 3 and _constant(value.elts[2]):
                    yield Message(_constant(value.elts[2]), relative, value.lineno)  # type: ignore[arg-type]  # a constant, checked on the line above
        elif cli and isinstance(node, ast.FunctionDef) and _is_command(node):
            doc = ast.get_docstring(node, clean=False)
            if doc and click_text(doc):
                yield Message(click_text(doc), relative, node.lineno)


def _is_registry(node: ast.AnnAssign | ast.Assign) -> bool:
    targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
    return isinstance(node.value, ast.Dict) and any(_name(t) in REGISTRIES for t in targets)


def _is_command(function: ast.FunctionDef) -> bool:
    for decorator in function.decorator_list:
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        if _name(call) in COMMAND_DECORATORS:
            return True
    return False


def extract(package: Path = PACKAGE) -> dict[str, list[Message]]:
    """Every message of the package, with where it occurs, in source order."""
    found: dict[str, list[Message]] = {}
    root = package.parent
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        cli = relative.startswith("qcode/cli/")
        for message in messages_in(path.read_text(encoding="utf-8"), relative, cli=cli):
            found.setdefault(message.text, []).append(message)
    return found
