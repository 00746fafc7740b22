"""Reading the YAML node tree of a codebook into drafts, checking every field where it stands.

The reader keeps going after a problem so that one run reports them all. It records each problem at the
node it concerns, and keeps the nodes that the cross-code rules (`rules.py`) point at later. Scalars are
read by their source text, never by PyYAML's guess at a type: `id: 1.10` is the id "1.10", and
`key: no` is the hotkey "no", not the boolean false.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yaml import MappingNode, Node, ScalarNode, SequenceNode

from qcode.codebook.colors import NAMED_COLORS, parse_color
from qcode.codebook.problems import ProblemLog, line_of
from qcode.codebook.schema import (
    CODE_FIELDS,
    FORMAT_VERSION,
    HOTKEY,
    LANGUAGE_TAG,
    SOURCE_FIELDS,
    TOP_LEVEL_FIELDS,
    describe_context,
    suggest,
    unknown_field_message,
)
from qcode.domain.codebook import EMPTY_TEXT, KEYWORD_MATCH_MODES, Code, Codebook, Source, Text
from qcode.i18n import _
from qcode.domain.control_chars import first_control, visible_name

_TAG_PREFIX = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG_PREFIX + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_NULL_TAG = _TAG_PREFIX + "null"
_BOOL_TAG = _TAG_PREFIX + "bool"


@dataclass(eq=False)
class CodeDraft:
    """A code as read from the file, with the nodes that later problems point at."""

    node: MappingNode
    parent: CodeDraft | None
    id: str | None = None
    id_node: Node | None = None
    name: Text = EMPTY_TEXT
    codable: bool = True
    key: str | None = None
    key_node: Node | None = None
    color: str | None = None
    description: Text = EMPTY_TEXT
    definition: Text = EMPTY_TEXT
    include: Text = EMPTY_TEXT
    exclude: Text = EMPTY_TEXT
    exclude_node: Node | None = None
    examples: list[Text] = field(default_factory=list)
    keywords: list[tuple[str, Node]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    children: list[CodeDraft] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How messages name this code."""
        return _("code '{id}'").format(id=self.id) if self.id is not None else _("this code")

    @property
    def anchor(self) -> Node:
        """Where problems about the code as a whole point: its id, else the start of its mapping."""
        return self.id_node if self.id_node is not None else self.node


@dataclass(eq=False)
class CodebookDraft:
    """A codebook as read from the file: metadata, sources and every code in document order."""

    root: MappingNode
    format_version: int = FORMAT_VERSION
    id: str | None = None
    version: str | None = None
    title: Text = EMPTY_TEXT
    description: Text = EMPTY_TEXT
    languages: list[str] = field(default_factory=list)
    keyword_match: str = "token"
    sources: list[Source] = field(default_factory=list)
    codes: list[CodeDraft] = field(default_factory=list)

    def to_codebook(self) -> Codebook:
        """The domain codebook; only valid when reading logged no errors."""
        codes = tuple(
            Code(
                id=draft.id or "",
                name=draft.name,
                definition=draft.definition,
                include=draft.include,
                exclude=draft.exclude,
                examples=tuple(draft.examples),
                keywords=tuple(keyword for keyword, _node in draft.keywords),
                color=draft.color,
                key=draft.key,
                codable=draft.codable,
                parent=draft.parent.id if draft.parent is not None else None,
                children=tuple(child.id or "" for child in draft.children),
                sources=tuple(draft.sources),
                description=draft.description,
            )
            for draft in self.codes
        )
        return Codebook(
            codes=codes,
            format_version=self.format_version,
            id=self.id,
            version=self.version,
            title=self.title,
            description=self.description,
            languages=tuple(self.languages),
            keyword_match=self.keyword_match,
            sources=tuple(self.sources),
        )


class CodebookReader:
    """Reads one document's root node into a `CodebookDraft`, logging per-field problems."""

    def __init__(self, text: str, log: ProblemLog, *, controls_allowed: bool = False) -> None:
        self._lines = text.splitlines()
        self._log = log
        self._controls_allowed = controls_allowed  # a stored codebook from before they were refused
        self._languages: list[str] = []
        self._source_keys: list[str] = []

    def read(self, root: Node | None) -> CodebookDraft | None:
        """The draft, or None when there is nothing to check beyond the problems already logged."""
        if root is None:
            self._log.error(
                (1, 1), _("the codebook is empty; the smallest codebook is: {example}").format(example=_SMALLEST)
            )
            return None
        if not isinstance(root, MappingNode):
            self._log.error(root, self._not_a_mapping(_("the top level of a codebook"), root, "codes: [...]",
                                                      top_level=True))
            return None
        draft = CodebookDraft(root=root)
        format_node = next((value for key, value in root.value if key.value == "format"), None)
        if format_node is not None and not self._read_format(format_node, draft):
            return None  # a newer format: checking its fields against ours would only confuse
        fields = self._fields(root, "top level", TOP_LEVEL_FIELDS)
        if "languages" in fields:
            draft.languages = self._read_languages(fields["languages"][1])
            self._languages = draft.languages
        if "sources" in fields:
            draft.sources = self._read_sources(fields["sources"][1])
            self._source_keys = [source.key for source in draft.sources]
        if "id" in fields:
            draft.id = self._scalar(fields["id"][1], _("the codebook 'id'"))
        if "version" in fields:
            draft.version = self._scalar(fields["version"][1], "'version'")
        if "title" in fields:
            draft.title = self._text(fields["title"][1], "'title'")
        if "description" in fields:
            draft.description = self._text(fields["description"][1], _("the codebook 'description'"))
        if "keyword_match" in fields:
            draft.keyword_match = self._read_keyword_match(fields["keyword_match"][1])
        if "codes" not in fields:
            self._log.error(
                root, _("the codebook has no 'codes' list; the smallest codebook is: {example}").format(
                    example=_SMALLEST)
            )
            return draft
        codes_node = fields["codes"][1]
        if self._is_null(codes_node) or (isinstance(codes_node, SequenceNode) and not codes_node.value):
            self._log.error(codes_node, _("'codes' is empty; a codebook needs at least one code"))
        elif isinstance(codes_node, SequenceNode):
            for item in codes_node.value:
                self._read_code(item, None, draft.codes)
        else:
            self._log.error(codes_node, _("'codes' must be a list of codes, found {kind}").format(
                kind=_kind(codes_node)))
        return draft

    # -- top level --------------------------------------------------------------------------------

    def _read_format(self, node: Node, draft: CodebookDraft) -> bool:
        if self._is_null(node):
            return True
        if not (isinstance(node, ScalarNode) and re.fullmatch(r"[0-9]+", node.value)) or int(node.value) < 1:
            self._log.error(
                node, _("'format' must be a whole number; this qcode reads format {format}").format(
                    format=FORMAT_VERSION)
            )
            return True
        version = int(node.value)
        if version > FORMAT_VERSION:
            self._log.error(
                node,
                _("this codebook is written in format {version}, but this qcode reads format {format} only: "
                  "upgrade qcode (pip install --upgrade qcode)").format(version=version, format=FORMAT_VERSION),
            )
            return False
        draft.format_version = version
        return True

    def _read_languages(self, node: Node) -> list[str]:
        languages: list[str] = []
        for item in self._sequence(node, "'languages'", example="[zh, en]"):
            tag = self._scalar(item, _("a language"))
            if tag is None:
                continue
            if not LANGUAGE_TAG.fullmatch(tag):
                self._log.error(item, _("'{tag}' is not a language code (use codes such as zh, en, zh-Hant)").format(
                    tag=tag))
            elif tag in languages:
                self._log.error(item, _("language '{tag}' is listed twice").format(tag=tag))
            else:
                languages.append(tag)
        return languages

    def _read_keyword_match(self, node: Node) -> str:
        mode = self._scalar(node, "'keyword_match'")
        if mode is None or mode in KEYWORD_MATCH_MODES:
            return mode or "token"
        self._log.error(
            node,
            _("'keyword_match' must be 'token' or 'substring', not '{mode}'").format(mode=mode)
            + suggest(mode, KEYWORD_MATCH_MODES),
        )
        return "token"

    def _read_sources(self, node: Node) -> list[Source]:
        sources: list[Source] = []
        first_line: dict[str, int] = {}
        for item in self._sequence(node, "'sources'", example="[{key: smith2020, cite: ...}]"):
            if not isinstance(item, MappingNode):
                self._log.error(item, self._not_a_mapping(_("a source"), item, "{key: ..., cite: ...}"))
                continue
            fields = self._fields(item, "source", SOURCE_FIELDS)
            key = self._required_scalar(item, fields, "key", _("a source"))
            cite = self._required_scalar(item, fields, "cite",
                                         _("source '{key}'").format(key=key) if key else _("a source"))
            if key is None or cite is None:
                continue
            key_node = fields["key"][1]
            if key in first_line:
                self._log.error(key_node, _("duplicate source key '{key}' (first at line {line})").format(
                    key=key, line=first_line[key]))
                continue
            first_line[key] = line_of(key_node)
            sources.append(Source(key=key, cite=cite))
        return sources

    # -- codes ------------------------------------------------------------------------------------

    def _read_code(self, node: Node, parent: CodeDraft | None, codes: list[CodeDraft]) -> CodeDraft | None:
        if not isinstance(node, MappingNode):
            self._log.error(node, self._not_a_mapping(_("a code"), node, "{id: ..., name: ...}"))
            return None
        fields = self._fields(node, "code", CODE_FIELDS)
        draft = CodeDraft(node=node, parent=parent)
        codes.append(draft)  # before the children: document order is depth-first
        self._read_code_id(draft, fields)
        if "name" not in fields:
            self._log.error(node, _("{code} has no 'name'").format(code=draft.label))
        else:
            self._read_name(draft, fields["name"][1])
        if "codable" in fields:
            draft.codable = self._boolean(fields["codable"][1], _("'{field}' of {owner}").format(
                field="codable", owner=draft.label), default=True)
        if "key" in fields:
            self._read_hotkey(draft, fields["key"][1])
        if "color" in fields:
            self._read_color(draft, fields["color"])
        for name in ("description", "definition", "include", "exclude"):
            if name in fields:
                setattr(draft, name, self._text(fields[name][1], _("'{field}' of {owner}").format(
                    field=name, owner=draft.label)))
        draft.exclude_node = fields["exclude"][1] if "exclude" in fields else None
        self._read_examples(draft, fields)
        if "keywords" in fields:
            self._read_keywords(draft, fields["keywords"][1])
        if "sources" in fields:
            self._read_code_sources(draft, fields["sources"][1])
        if "children" in fields:
            children_node = fields["children"][1]
            for item in self._sequence(
                children_node, _("'{field}' of {owner}").format(field="children", owner=draft.label),
                example="[{id: ..., name: ...}]"
            ):
                child = self._read_code(item, draft, codes)
                if child is not None:
                    draft.children.append(child)
        return draft

    def _read_code_id(self, draft: CodeDraft, fields: dict[str, tuple[Node, Node]]) -> None:
        if "id" not in fields:
            self._log.error(draft.node, _("this code has no 'id'"))
            return
        node = fields["id"][1]
        code_id = self._scalar(node, _("a code 'id'"))
        if code_id is None and not self._is_null(node):
            return  # not a string: already reported
        if code_id is None or not code_id.strip():
            self._log.error(node, _("this code's 'id' is empty"))
        elif code_id != code_id.strip():
            self._log.error(node, _("id '{id}' has leading or trailing spaces").format(id=code_id))
        elif (control := first_control(code_id)) is not None and not (self._controls_allowed and "\n" not in code_id):
            self._log.error(node, _("id '{id}' contains a line break or control character ({control})").format(
                id=visible_name(code_id), control=control))
        else:
            draft.id, draft.id_node = code_id, node

    def _read_name(self, draft: CodeDraft, node: Node) -> None:
        problems_before = len(self._log.problems)
        draft.name = self._text(node, _("the name of {code}").format(code=draft.label))
        if not draft.name and len(self._log.problems) == problems_before:
            self._log.error(node, _("the name of {code} is empty").format(code=draft.label))

    def _read_hotkey(self, draft: CodeDraft, node: Node) -> None:
        key = self._scalar(node, _("the hotkey of {code}").format(code=draft.label))
        if key is None:
            return
        if not draft.codable:
            self._log.error(
                node,
                _("{code} is a group (codable: false), which cannot be applied, so it cannot have a hotkey").format(
                    code=draft.label),
            )
        elif HOTKEY.fullmatch(key):
            draft.key, draft.key_node = key, node
        elif HOTKEY.fullmatch(key.lower()):
            self._log.error(node, _("hotkey '{key}' must be lower case: '{lower}'").format(key=key, lower=key.lower()))
        else:
            self._log.error(node, _("hotkey '{key}' must be one or two characters from a-z and 0-9").format(key=key))

    def _read_color(self, draft: CodeDraft, key_and_value: tuple[Node, Node]) -> None:
        key_node, node = key_and_value
        if self._is_null(node):
            line_index = key_node.start_mark.line
            rest = (
                self._lines[line_index][key_node.end_mark.column :] if line_index < len(self._lines) else ""
            )
            if re.match(r"\s*:\s+#", rest):
                self._log.error(
                    node,
                    _("the colour of {code} is empty because YAML reads ' #' as the start of a comment; "
                      "quote it: {example}").format(code=draft.label, example='color: "#e15759"'),
                )
            return
        value = self._scalar(node, _("the colour of {code}").format(code=draft.label))
        if value is None:
            return
        color = parse_color(value)
        if color is None:
            self._log.error(
                node,
                _("'{value}' is not a colour: use \"#rgb\", \"#rrggbb\" or one of {names}").format(
                    value=value, names=", ".join(NAMED_COLORS)),
            )
        draft.color = color

    def _read_examples(self, draft: CodeDraft, fields: dict[str, tuple[Node, Node]]) -> None:
        present = [name for name in ("example", "examples") if name in fields]
        if len(present) == 2:
            later = max(present, key=lambda name: fields[name][0].start_mark.index)
            self._log.error(fields[later][0], _("{code} has both 'example' and 'examples'; use one").format(
                code=draft.label))
        for name in present:
            node = fields[name][1]
            # Both spellings take one example or a list of them: the difference is only grammar.
            items = node.value if isinstance(node, SequenceNode) else [node]
            for item in items:
                example = self._text(item, _("an example of {code}").format(code=draft.label))
                if example:
                    draft.examples.append(example)

    def _read_keywords(self, draft: CodeDraft, node: Node) -> None:
        seen: set[str] = set()
        for item in self._sequence(node, _("'{field}' of {owner}").format(field="keywords", owner=draft.label),
                                   example="[流量, 阅读量]"):
            keyword = self._scalar(item, _("a keyword of {code}").format(code=draft.label))
            if keyword is None:
                continue
            if not keyword.strip():
                self._log.error(item, _("{code} has an empty keyword").format(code=draft.label))
                continue
            if keyword.casefold() in seen:
                self._log.warning(item, _("keyword '{keyword}' is listed twice in {code}").format(
                    keyword=keyword, code=draft.label))
                continue
            seen.add(keyword.casefold())
            draft.keywords.append((keyword, item))

    def _read_code_sources(self, draft: CodeDraft, node: Node) -> None:
        for item in self._sequence(node, _("'{field}' of {owner}").format(field="sources", owner=draft.label),
                                   example="[denhardt2000]"):
            key = self._scalar(item, _("a source key"))
            if key is None:
                continue
            if key in self._source_keys:
                draft.sources.append(key)
            elif self._source_keys:
                self._log.error(
                    item,
                    _("unknown source '{key}'{suggestion}; known sources: {sources}").format(
                        key=key, suggestion=suggest(key, self._source_keys), sources=", ".join(self._source_keys)),
                )
            else:
                self._log.error(item, _("unknown source '{key}': the codebook declares no top-level 'sources'").format(
                    key=key))

    # -- values -----------------------------------------------------------------------------------

    def _fields(
        self, node: MappingNode, context: str, known: tuple[str, ...]
    ) -> dict[str, tuple[Node, Node]]:
        """The mapping's known fields by name; logs duplicate keys, unknown fields and non-text keys."""
        fields: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self._log.error(
                    key_node,
                    _("a key in {what} must be a plain name, found {kind}").format(
                        what=describe_context(context), kind=_kind(key_node)),
                )
                continue
            name = key_node.value
            if name in fields:
                self._log.error(key_node, _duplicate_key(name, line_of(fields[name][0])))
            elif name not in known:
                self._log.error(key_node, unknown_field_message(name, context, known))
            else:
                fields[name] = (key_node, value_node)
        return fields

    def _pairs(self, node: MappingNode, what: str) -> list[tuple[str, Node, Node]]:
        """(key text, key node, value node) of a free-form mapping, logging duplicate and non-text keys."""
        pairs: list[tuple[str, Node, Node]] = []
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self._log.error(key_node, _("a key in {what} must be a plain name, found {kind}").format(
                    what=what, kind=_kind(key_node)))
            elif key_node.value in first_line:
                self._log.error(key_node, _duplicate_key(key_node.value, first_line[key_node.value]))
            else:
                first_line[key_node.value] = line_of(key_node)
                pairs.append((key_node.value, key_node, value_node))
        return pairs

    def _text(self, node: Node, what: str) -> Text:
        """A plain string, or a mapping of language code to string; EMPTY_TEXT for null or a problem."""
        if self._is_null(node):
            return EMPTY_TEXT
        if isinstance(node, MappingNode):
            translations: list[tuple[str, str]] = []
            for lang, key_node, value_node in self._pairs(node, what):
                if not LANGUAGE_TAG.fullmatch(lang):
                    self._log.error(
                        key_node, _("'{lang}' in {what} is not a language code (use codes such as zh, en)").format(
                            lang=lang, what=what)
                    )
                    continue
                where = _("the '{lang}' text of {what}").format(lang=lang, what=what)
                value = self._scalar(value_node, where)
                if value is not None and self._printable(value_node, value, where):
                    translations.append((lang, value))
            text = Text(translations=tuple(translations))
            self._check_languages(text, node, what)
            return text
        value = self._scalar(node, what, expected=_("a string or a mapping of language to string"))
        return EMPTY_TEXT if value is None or not self._printable(node, value, what) else Text(plain=value)

    def _printable(self, node: Node, value: str, what: str) -> bool:
        """Log a control character or bidi override (an escape such as "\\e" in a quoted YAML string): it
        would reach the terminal of everyone who shows the codebook."""
        control = first_control(value, multiline=True)
        if control is None:
            return True
        message = _("{what} contains the control character {control}, which could disturb a terminal").format(
            what=what, control=control)
        if self._controls_allowed:
            self._log.warning(node, message)
            return True
        self._log.error(node, message)
        return False

    def _check_languages(self, text: Text, node: Node, what: str) -> None:
        if not self._languages or not text:
            return
        declared = ", ".join(self._languages)
        for lang in self._languages:
            if lang not in text.languages:
                self._log.warning(
                    node, _("{what} has no '{lang}' text (the codebook's languages are {languages})").format(
                        what=what, lang=lang, languages=declared)
                )
        for lang in text.languages:
            if lang not in self._languages:
                self._log.warning(
                    node, _("{what} has a '{lang}' text, but '{lang}' is not in languages ({languages})").format(
                        what=what, lang=lang, languages=declared)
                )

    def _scalar(self, node: Node, what: str, expected: str | None = None) -> str | None:
        """The scalar's source text; None for null (not logged) or a non-scalar (logged)."""
        if not isinstance(node, ScalarNode):
            self._log.error(node, _("{what} must be {expected}, found {kind}").format(
                what=what, expected=expected or _("a string"), kind=_kind(node)))
            return None
        if node.tag not in _SCALAR_TAGS:
            self._log.error(node, _("{what} has the unsupported YAML tag '{tag}'").format(what=what, tag=node.tag))
            return None
        if node.tag == _NULL_TAG:
            return None
        return node.value

    def _required_scalar(
        self, node: MappingNode, fields: dict[str, tuple[Node, Node]], name: str, owner: str
    ) -> str | None:
        if name not in fields:
            self._log.error(node, _("{owner} has no '{field}'").format(owner=owner, field=name))
            return None
        node_value = fields[name][1]
        value = self._scalar(node_value, _("'{field}' of {owner}").format(field=name, owner=owner))
        if (value is None and self._is_null(node_value)) or (value is not None and not value.strip()):
            self._log.error(node_value, _("'{field}' of {owner} is empty").format(field=name, owner=owner))
            return None
        return value

    def _boolean(self, node: Node, what: str, default: bool) -> bool:
        if isinstance(node, ScalarNode) and node.tag == _BOOL_TAG:
            return node.value.lower() in ("true", "yes", "on")
        self._log.error(node, _("{what} must be true or false (without quotes)").format(what=what))
        return default

    def _sequence(self, node: Node, what: str, example: str) -> list[Node]:
        """The items of a list; none for null, and none (logged) for anything else."""
        if self._is_null(node):
            return []
        if isinstance(node, SequenceNode):
            return list(node.value)
        self._log.error(node, _("{what} must be a list, e.g. {example}; found {kind}").format(
            what=what, example=example, kind=_kind(node)))
        return []

    @staticmethod
    def _is_null(node: Node) -> bool:
        return isinstance(node, ScalarNode) and node.tag == _NULL_TAG

    @staticmethod
    def _not_a_mapping(what: str, node: Node, example: str, top_level: bool = False) -> str:
        message = _("{what} must be a mapping like {example}, found {kind}").format(
            what=what, example=example, kind=_kind(node))
        if isinstance(node, ScalarNode):
            if "：" in node.value:
                message += _("; a full-width colon '：' does not separate a key from its value, use ': '")
            elif re.search(r"\w:\S", node.value):
                message += _("; YAML needs a space after ':'")
        elif isinstance(node, SequenceNode) and top_level:
            message += _(" (is the 'codes:' line missing above the list?)")
        return message


_SMALLEST = "codes: [{id: A, name: A}]"  # the smallest codebook, quoted in messages


def _duplicate_key(name: str, first_line: int) -> str:
    return _("duplicate key '{key}' (first at line {line}); YAML would silently keep only the last one").format(
        key=name, line=first_line)


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return _("a mapping")
    if isinstance(node, SequenceNode):
        return _("a list")
    if isinstance(node, ScalarNode) and node.tag == _NULL_TAG:
        return _("nothing")
    return f"'{node.value}'" if isinstance(node, ScalarNode) and len(node.value) <= 30 else _("a string")
