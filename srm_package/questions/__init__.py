"""Question types: the ``type:`` value of a question → the one object that handles it.

Each family is one module (``choice``: single, multiple and true_false) owning its source rules, answer data, scoring rule, page widget and
script, SCORM interaction and its form in every format (``base.QuestionType``).
Adding a type means writing its module, template, script and test, and adding it
to ``FAMILIES`` below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from srm_package.questions import choice
from srm_package.questions.base import QuestionType

if TYPE_CHECKING:
    from srm_package.model import Question

#: every family, in the order their page scripts load
FAMILIES: tuple[QuestionType, ...] = (choice.TYPE,)

#: the ``type:`` value of a question → its family
QUESTION_TYPES: dict[str, QuestionType] = {kind: family for family in FAMILIES for kind in family.kinds}

#: the type of a question that does not say
DEFAULT_KIND = choice.SINGLE


def question_type(question: Question) -> QuestionType:
    """The family that handles ``question``."""
    return QUESTION_TYPES[question.kind]
