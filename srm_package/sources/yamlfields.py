"""Reading YAML with line numbers, field by field, collecting every problem.

PyYAML's composer (libyaml when available) gives a node tree in which every
node knows its line and column. Readers walk only the fields the schema asks
for, so each value they return is typed and each mistake becomes a ``Problem``
naming the file, line, column and field, instead of a traceback.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from srm_package.errors import Problem
from srm_package.markup import has_image, link_targets, raw_html
from srm_package.sources.text_rules import file_link_problem, raw_html_warning, text_problem

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
T = TypeVar("T")


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, resolving each distinct plain scalar's tag once per file.

    A quiz repeats the same keys and values (``id``, ``text``, ``correct: false``...)
    thousands of times, and the composer calls back into Python for every node. No
    path resolvers are registered, so the tag of a plain scalar depends on its text
    alone, any other node gets its kind's default tag, and the path bookkeeping the
    composer asks for around each node has nothing to do.
    """

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._plain_tags: dict[str, str] = {}
        assert not self.yaml_path_resolvers, "the shortcuts below assume no path resolvers"

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            if not implicit[0]:  # quoted, or a block scalar: a string
                return self.DEFAULT_SCALAR_TAG
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = self._plain_tags[value] = super().resolve(kind, value, implicit)
            return tag
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node, current_index) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass
_TAG = "tag:yaml.org,2002:"
_KNOWN_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_KNOWN_TAGS |= {f"{_TAG}map", f"{_TAG}seq"}
_NULL = f"{_TAG}null"

_ID_PATTERN = re.compile(r"[a-z][a-z0-9_-]*\Z")


def invalid_id(value: str, max_length: int = 64) -> str | None:
    """What is wrong with ``value`` as an id, or ``None`` when it is one."""
    if _ID_PATTERN.match(value) and len(value) <= max_length:
        return None
    return (f"invalid id {value!r}: use lowercase letters, digits, '-' and '_', starting with a letter, "
            f"at most {max_length} characters")


class Problems:
    """Collects the problems of one run; every reader reports into the same list."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def error(self, file: str, line: int, column: int, field: str, message: str) -> None:
        self.items.append(Problem(file, line, column, field, message))

    def warning(self, file: str, line: int, column: int, field: str, message: str) -> None:
        self.items.append(Problem(file, line, column, field, message, severity="warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]


def decode_utf8(data: bytes, file: str, problems: Problems) -> str | None:
    """The file's text, or ``None`` with a problem at the first byte that is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        problems.error(file, line, column, "", f"not UTF-8 text (byte 0x{data[error.start]:02x}); "
                       "save the file as UTF-8")
        return None
    return text.removeprefix("\ufeff")


def compose(text: str, file: str, problems: Problems, line_offset: int = 0, *, what: str = "the file") -> Node | None:
    """Parse ``text`` into a node tree; ``None`` always comes with a problem: a syntax error,
    or ``what`` (``"the file"``, ``"the front matter"``...) holding no value at all."""
    try:
        if _may_nest_deeply(text) and _nests_too_deeply(text):
            problems.error(file, 1 + line_offset, 1, "", f"the YAML nests more than {_MAX_DEPTH} levels deep")
            return None
        root = yaml.compose(text, Loader=_Loader)
        if root is None:  # nothing but blank lines and comments
            problems.error(file, 1 + line_offset, 1, "", f"{what} is empty")
        return root
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + line_offset if mark else 0
        column = mark.column + 1 if mark else 0
        message = " ".join(part for part in (error.context, error.problem) if part)
        problems.error(file, line, column, "", f"YAML syntax error: {message}")
    except yaml.reader.ReaderError as error:  # a control character: at a place in ``text``
        line_start = text.rfind("\n", 0, error.position) + 1
        problems.error(file, text.count("\n", 0, error.position) + 1 + line_offset, error.position - line_start + 1,
                       "", f"character U+{error.character:04X} is not allowed in YAML ({error.reason})")
    except yaml.YAMLError as error:
        problems.error(file, 0, 0, "", f"YAML error: {error}")
    return None


# libyaml's composer recurses in C: a hostile file nested thousands deep would
# crash the process, so such files are measured (cheaply, by events) first.
_MAX_DEPTH = 100


def _may_nest_deeply(text: str) -> bool:
    """Cheap bound: each level needs a bracket or one more column of indentation."""
    longest = max((len(line) for line in text.splitlines()), default=0)
    return text.count("[") + text.count("{") + longest > 1000


def _nests_too_deeply(text: str) -> bool:
    """Deeper than ``_MAX_DEPTH``, found by reading events only that far. (From PyYAML
    6.0.4, libyaml itself refuses flow collections 1,000 deep, while scanning ahead: that
    comes out as a YAML syntax error instead.)"""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > _MAX_DEPTH:
                return True
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return False


@dataclass
class Located:
    """A YAML node plus where it came from: file, dotted field path and line offset."""

    node: Node
    file: str
    field: str
    problems: Problems
    line_offset: int = 0

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1 + self.line_offset

    @property
    def column(self) -> int:
        return self.node.start_mark.column + 1

    def error(self, message: str, field: str | None = None) -> None:
        self.problems.error(self.file, self.line, self.column, self.field if field is None else field,
                            message)

    def warning(self, message: str) -> None:
        self.problems.warning(self.file, self.line, self.column, self.field, message)

    def child(self, node: Node, field: str) -> Located:
        return Located(node, self.file, field, self.problems, self.line_offset)

    # --------------------------------------------------------------- shapes
    def as_mapping(self, allowed: tuple[str, ...]) -> YamlMapping | None:
        if not isinstance(self.node, MappingNode):
            self.error(f"expected a mapping of {', '.join(allowed)}; found {_describe(self.node)}")
            return None
        return YamlMapping(self, allowed)

    def as_sequence(self) -> list[Located] | None:
        if not isinstance(self.node, SequenceNode):
            self.error(f"expected a list; found {_describe(self.node)}")
            return None
        return [self.child(item, f"{self.field}[{i}]") for i, item in enumerate(self.node.value)]

    # -------------------------------------------------------------- scalars
    def scalar(self) -> object:
        """The scalar's Python value (``_MISSING`` with a problem if it is not a scalar)."""
        if not isinstance(self.node, ScalarNode):
            self.error(f"expected a single value; found {_describe(self.node)}")
            return _MISSING
        if self.node.tag not in _KNOWN_TAGS:
            self.error(f"unsupported YAML tag {self.node.tag!r}")
            return _MISSING
        try:
            return SafeConstructor().construct_object(self.node)
        except (ConstructorError, ValueError, OverflowError) as error:
            self.error(f"invalid value {self.node.value!r}: {error}")
            return _MISSING

    def text(self) -> str | None:
        """A string. Plain scalars such as ``No`` or ``80`` are kept as the text written."""
        if not isinstance(self.node, ScalarNode):
            self.error(f"expected text; found {_describe(self.node)}")
            return None
        if self.node.tag == f"{_TAG}null":
            self.error("expected text; the value is empty")
            return None
        if self.node.tag not in _KNOWN_TAGS:
            self.error(f"unsupported YAML tag {self.node.tag!r}")
            return None
        value = self.node.value.strip()
        if not value:
            self.error("must not be empty")
            return None
        if problem := text_problem(value):  # an escape such as "\e" or "\0", or a huge text
            self.error(problem)
            return None
        return value

    def markdown(self) -> str | None:
        """Text written in Markdown (instructions, a message, a credit...): formulas are
        checked, links to files are errors and raw HTML a warning, as in lessons; images are
        refused (question texts take them, see ``quiz_file``)."""
        value = self.text()
        if value is None:
            return None
        from srm_package.sources.rich_check import IMAGE_PLACES, formula_problems

        if has_image(value):
            self.error(f"images are allowed only in {IMAGE_PLACES}")
            return None
        problems = formula_problems(value)
        for problem in problems:
            self.error(problem)
        return value if self.links_and_html_checked(value) and not problems else None

    def links_and_html_checked(self, value: str) -> bool:
        """Reports a link to a file in ``value`` (an error: packages hold no such file) and raw
        HTML (a warning: it is shown as text), as lessons do; whether there was no error."""
        if "](" not in value and "<" not in value:
            return True  # most texts: no link or HTML can be in them
        if problem := next(filter(None, map(file_link_problem, link_targets(value))), None):
            self.error(problem)
            return False
        for html in raw_html(value):
            self.warning(raw_html_warning(html))
        return True

    def identifier(self, max_length: int = 64) -> str | None:
        value = self.text()
        if value is None:
            return None
        if problem := invalid_id(value, max_length):
            self.error(problem)
            return None
        return value

    def integer(self, minimum: int | None = None, maximum: int | None = None) -> int | None:
        value = self.scalar()
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(f"expected a whole number; found {self.node.value!r}")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            self.error(f"must be {bounds}; found {value}")
            return None
        return value

    def boolean(self) -> bool | None:
        value = self.scalar()
        if value is _MISSING:
            return None
        if not isinstance(value, bool):
            self.error(f"expected true or false; found {self.node.value!r}")
            return None
        return value

    def date_like(self) -> tuple[int, int, int | None] | None:
        """``YYYY-MM`` or ``YYYY-MM-DD`` as (year, month, day or None)."""
        if not isinstance(self.node, ScalarNode):
            self.error(f"expected a date (YYYY-MM or YYYY-MM-DD); found {_describe(self.node)}")
            return None
        raw = self.node.value.strip()
        # a pattern and ``datetime.date`` rather than ``strptime``: its first call imports
        # and compiles locale machinery that costs a small build more than all its parsing
        match = _DATE.fullmatch(raw)
        if match:
            year, month, day = (int(part) if part else None for part in match.groups())
            try:
                datetime.date(year, month, day or 1)
            except ValueError:
                pass
            else:
                return year, month, day
        self.error(f"expected a date as YYYY-MM or YYYY-MM-DD; found {raw!r}")
        return None


_MISSING = object()
#: what ``strptime`` accepted for %Y-%m[-%d]: a four-digit year, then one or two digits each
_DATE = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", re.ASCII)


class YamlMapping:
    """A mapping node whose keys are checked against the fields the schema allows."""

    def __init__(self, where: Located, allowed: tuple[str, ...]):
        self.where = where
        self.values: dict[str, Located] = {}
        prefix = f"{where.field}." if where.field else ""
        for key_node, value_node in where.node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _NULL:
                where.child(key_node, where.field).error("keys must be plain names")
                continue
            key = key_node.value
            field = f"{prefix}{key}"
            if key not in allowed:
                where.child(key_node, where.field).error(
                    f"unknown key {key!r}{did_you_mean(key, allowed)}; expected one of: {', '.join(allowed)}",
                    field=field)
                continue
            if key in self.values:
                where.child(key_node, where.field).error(
                    f"duplicate key {key!r} (first at line {self.values[key].line})", field=field)
                continue
            self.values[key] = where.child(value_node, field)

    def get(self, key: str) -> Located | None:
        """The value of ``key``, or ``None`` if absent or explicitly empty (``key:``)."""
        found = self.values.get(key)
        if found is None:
            return None
        if isinstance(found.node, ScalarNode) and found.node.tag == f"{_TAG}null":
            return None
        return found

    def read(self, key: str, read: Callable[[Located], T | None], *, required: bool = False) -> T | None:
        """``read`` of the value of ``key``; ``None`` when it is left out (a problem if ``required``)."""
        found = self.require(key) if required else self.get(key)
        return read(found) if found is not None else None

    def require(self, key: str) -> Located | None:
        found = self.get(key)
        if found is None:
            where = self.values.get(key, self.where)
            field = f"{self.where.field}.{key}" if self.where.field else key
            where.error(f"missing required field {key!r}", field=field)
        return found


def did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for the closest option, or nothing."""
    import difflib  # only when there is a mistake to explain

    hint = difflib.get_close_matches(word, options, n=1, cutoff=0.6) if word else []
    return f" (did you mean {hint[0]!r}?)" if hint else ""


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == f"{_TAG}null":
        return "an empty value"
    return repr(node.value)
