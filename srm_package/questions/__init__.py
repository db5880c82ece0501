"""Question types: the ``type:`` value of a question → the one object that handles it.

Each family is one module (``choice``, ``matching``, ``fill_in``, ``numeric``,
``ordering``) owning its source rules, answer data, scoring rule, page widget and
script, SCORM interaction and its form in every format (``base.QuestionType``).
Adding a type means writing its module, template, script and test, and adding one
line to ``QUESTION_TYPES`` below.

Like the target registry, this one names modules and imports a family only when a
question of it is first read or written: a course of choice questions never loads
the other families (each costs a few milliseconds of dataclass set-up, in every
process of a build).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from srm_package.model import Question
    from srm_package.questions.base import Form, QuestionType

#: the ``type:`` values of each family (the name of its module, template and script), in
#: the order their page scripts load
QUESTION_TYPES: dict[str, tuple[str, ...]] = {
    "choice": ("single", "multiple", "true_false"),
    "matching": ("matching",),
    "fill_in": ("fill_in",),
    "numeric": ("numeric",),
    "ordering": ("ordering",),
}

#: the ``type:`` value → its family's name
KINDS: dict[str, str] = {kind: family for family, kinds in QUESTION_TYPES.items() for kind in kinds}

#: the type of a question that does not say
DEFAULT_KIND = "single"

_loaded: dict[str, QuestionType] = {}


def family(name: str) -> QuestionType:
    """The handler of the family ``name`` (its module imported on first use)."""
    handler = _loaded.get(name)
    if handler is None:
        handler = _loaded[name] = importlib.import_module(f"srm_package.questions.{name}").TYPE
    return handler


def handler_of(kind: str) -> QuestionType:
    """The handler of the ``type:`` value ``kind`` (a ``KeyError`` for an unknown one)."""
    return family(KINDS[kind])


def question_type(question: Question) -> QuestionType:
    """The family that handles ``question``."""
    return family(KINDS[question.kind])


def carries(question: Question, form: Form) -> bool:
    """Whether ``form`` holds ``question`` at all (its type may still change it there)."""
    from srm_package.questions.base import Unsupported  # loaded with the question's family

    return not isinstance(question_type(question).carry(question, form), Unsupported)


def families() -> list[QuestionType]:
    """Every family's handler, in registry order (imports them all)."""
    return [family(name) for name in QUESTION_TYPES]
