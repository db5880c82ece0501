"""Reading one quiz file (YAML) into the model, with every rule of the format checked."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from yaml.nodes import MappingNode, ScalarNode

from srm_package import model
from srm_package.questions import DEFAULT_KIND, KINDS, families, handler_of
from srm_package.sources.rich_check import TextChecker
from srm_package.sources.yamlfields import Located, did_you_mean

if TYPE_CHECKING:
    from srm_package.questions.base import QuestionType

_QUIZ_FIELDS = ("id", "title", "instructions", "shuffle", "max_attempts", "show_correct_answers",
                "feedback", "recommendation", "questions", "groups")
_GROUP_FIELDS = ("id", "pick", "questions")
_FEEDBACK_FIELDS = ("correct", "incorrect")
_SHUFFLE_FIELDS = ("questions", "choices")
_RECOMMENDATION_FIELDS = ("bands", "review")
_BAND_FIELDS = ("min", "message")
_MAX_POINTS = 99
_NULL = "tag:yaml.org,2002:null"
#: the fields of every question; each type adds its own (``QuestionType.fields``)
_QUESTION_FIELDS = ("id", "type", "section", "points", "stem", "explanation", "feedback")


def read_quiz(root: Located, lesson: model.Lesson, section_lines: dict[str, int] | None,
              texts: TextChecker | None = None) -> model.Quiz | None:
    """The quiz in ``root`` for ``lesson``; ``None`` if any part of it is in error.

    ``section_lines`` None (the lesson body was not read): section references are not checked.
    ``texts`` checks the question texts, which may show images (none allowed without it).
    """
    texts = texts or TextChecker(root.file, None)
    question_text = _question_text(texts)
    fields = root.as_mapping(_QUIZ_FIELDS)
    if fields is None:
        return None
    problems_before = len(root.problems.errors)
    quiz_id = fields.read("id", Located.identifier) or f"{lesson.id}-quiz"
    title = fields.read("title", Located.text, required=True)
    instructions = fields.read("instructions", Located.markdown) or ""
    shuffle = _shuffle(fields.get("shuffle"))
    max_attempts = fields.read("max_attempts", lambda v: v.integer(minimum=1))
    show_answers = fields.read("show_correct_answers", Located.boolean)
    found_recommendation = fields.require("recommendation")
    recommendation = _recommendation(found_recommendation) if found_recommendation else None
    default_feedback = _feedback(fields.get("feedback"), model.QuestionFeedback(), question_text)
    errors_before_questions = len(root.problems.errors)
    questions = _questions(fields.require("questions"), lesson, section_lines, default_feedback, question_text)
    # a question in error is not in ``questions``: a group listing it is not told it does not exist
    all_read = len(root.problems.errors) == errors_before_questions
    groups = _groups(fields.get("groups"), questions, all_read)
    if len(root.problems.errors) > problems_before or title is None or recommendation is None:
        return None
    return model.Quiz(
        quiz_id, title, instructions, tuple(questions), recommendation, shuffle,
        max_attempts, True if show_answers is None else show_answers, texts.refs, tuple(groups),
    )


TextReader = Callable[[Located], "str | None"]


def _question_text(texts: TextChecker) -> TextReader:
    """Reads a question text (stem, choice, feedback, explanation): Markdown that may show
    images and formulas, checked at the field's line."""

    def read(found: Located) -> str | None:
        value = found.text()
        if value is None:
            return None
        before = len(found.problems.errors)

        def report(severity: str, _field: str, message: str) -> None:
            if severity == "error":
                found.error(message)
            else:
                found.problems.warning(found.file, found.line, found.column, found.field, message)

        texts.check(value, report)
        found.links_and_html_checked(value)
        return value if len(found.problems.errors) == before else None

    return read


def _shuffle(found: Located | None) -> model.ShufflePolicy:
    if found is None:
        return model.ShufflePolicy()
    fields = found.as_mapping(_SHUFFLE_FIELDS)
    if fields is None:
        return model.ShufflePolicy()
    questions = fields.read("questions", Located.boolean)
    choices = fields.read("choices", Located.boolean)
    return model.ShufflePolicy(bool(questions), bool(choices))


def _groups(found: Located | None, questions: list[model.Question], all_read: bool) -> list[model.QuestionGroup]:
    """``groups:``, each a pool of the quiz's questions of which an attempt asks ``pick``."""
    if found is None:
        return []
    items = found.as_sequence()
    by_id = {question.id: question for question in questions}
    groups: list[model.QuestionGroup] = []
    group_lines: dict[str, int] = {}
    #: the group (and line) each question was put in first
    placed: dict[str, tuple[str, int]] = {}
    for item in items or []:
        fields = item.as_mapping(_GROUP_FIELDS)
        if fields is None:
            continue
        group_id = fields.read("id", Located.identifier, required=True)
        name = group_id or item.field
        if group_id is not None and group_id in group_lines:
            fields.get("id").error(f"duplicate group id {group_id!r} (first at line {group_lines[group_id]})")
            group_id = None
        elif group_id is not None:
            group_lines[group_id] = item.line
        errors_before = len(item.problems.errors)
        members = _group_members(fields.require("questions"), name, by_id, placed, all_read)
        members_valid = len(item.problems.errors) == errors_before
        pick = fields.read("pick", lambda v: v.integer(minimum=1), required=True)
        if pick is not None and members_valid and members and pick > len(members):
            fields.get("pick").error(f"pick is {pick} but the group has {len(members)} "
                                     f"question{'s' * (len(members) != 1)}; pick at most {len(members)}")
            pick = None
        if members and not _equal_points(fields.get("questions"), name, members):
            continue
        if group_id is not None and pick is not None and members:
            groups.append(model.QuestionGroup(group_id, pick, tuple(q.id for q in members),
                                              model.SourceLocation(item.file, item.line, item.column, item.field)))
    return groups


def _group_members(found: Located | None, group_id: str, by_id: dict[str, model.Question],
                   placed: dict[str, tuple[str, int]], all_read: bool) -> list[model.Question]:
    """The questions a group lists; each must be a question of the quiz, in no other group."""
    items = found.as_sequence() if found is not None else None
    if items is None:
        return []
    if not items:
        found.error("a group needs at least one question")
    members: list[model.Question] = []
    for item in items:
        question_id = item.identifier()
        if question_id is None:
            continue
        if question_id not in by_id:
            if all_read:
                item.error(f"no question {question_id!r} in this quiz{did_you_mean(question_id, list(by_id))}")
            continue
        if question_id in placed:
            other, line = placed[question_id]
            where = "this group" if other == group_id else f"group {other!r}"
            item.error(f"question {question_id!r} is already in {where} (line {line}); "
                       "a question belongs to at most one group")
            continue
        placed[question_id] = (group_id, item.line)
        members.append(by_id[question_id])
    return members


def _equal_points(found: Located, group_id: str, members: list[model.Question]) -> bool:
    points = {question.points for question in members}
    if len(points) <= 1:
        return True
    listed = ", ".join(f"{question.id}: {question.points}" for question in members)
    found.error(f"the questions of group {group_id!r} have different points ({listed}); give them equal "
                "points: Canvas scores every question of a group alike, and each attempt must be worth the same")
    return False


def _recommendation(found: Located) -> model.Recommendation | None:
    fields = found.as_mapping(_RECOMMENDATION_FIELDS)
    if fields is None:
        return None
    review = fields.read("review", Located.markdown, required=True)
    if review is not None and "{section}" not in review:
        fields.get("review").error("the review message must name the section with '{section}'")
    bands: list[tuple[Located, model.ScoreBand]] = []
    found_bands = fields.require("bands")
    items = found_bands.as_sequence() if found_bands else None
    if items == []:
        found_bands.error("needs at least one band")
    for item in items or []:
        band_fields = item.as_mapping(_BAND_FIELDS)
        if band_fields is None:
            continue
        minimum = band_fields.read("min", lambda v: v.integer(0, 100), required=True)
        message = band_fields.read("message", Located.markdown, required=True)
        if minimum is not None and message is not None:
            bands.append((item, model.ScoreBand(minimum, message)))
    seen: dict[int, Located] = {}
    for where, band in bands:
        if band.min_percent in seen:
            where.error(f"two bands start at {band.min_percent}% (first at line {seen[band.min_percent].line})")
        seen[band.min_percent] = where
    if bands and min(b.min_percent for _, b in bands) != 0:
        found_bands.error("the lowest band must start at 0, so that every score gets a message")
    if review is None or not bands:
        return None
    ordered = tuple(sorted((b for _, b in bands), key=lambda b: -b.min_percent))
    return model.Recommendation(ordered, review)


def _feedback(found: Located | None, default: model.QuestionFeedback, read_text: TextReader,
              ) -> model.QuestionFeedback:
    """``feedback: {correct, incorrect}``; what is left out comes from ``default``."""
    fields = found.as_mapping(_FEEDBACK_FIELDS) if found is not None else None
    if fields is None:
        return default
    correct = fields.read("correct", read_text)
    incorrect = fields.read("incorrect", read_text)
    return model.QuestionFeedback(correct or default.correct, incorrect or default.incorrect)


def _questions(
    found: Located | None, lesson: model.Lesson, section_lines: dict[str, int] | None,
    default_feedback: model.QuestionFeedback, read_text: TextReader,
) -> list[model.Question]:
    if found is None:
        return []
    items = found.as_sequence()
    if items is None:
        return []
    if not items:
        found.error("a quiz needs at least one question")
    questions: list[model.Question] = []
    first_line: dict[str, int] = {}
    for item in items:
        question = _question(item, lesson, section_lines, default_feedback, read_text)
        if question is None:
            continue
        if question.id in first_line:
            item.error(f"duplicate question id {question.id!r} (first at line {first_line[question.id]})",
                       field=f"{item.field}.id")
            continue
        first_line[question.id] = item.line
        questions.append(question)
    return questions


def _question(
    item: Located, lesson: model.Lesson, section_lines: dict[str, int] | None,
    default_feedback: model.QuestionFeedback, read_text: TextReader,
) -> model.Question | None:
    handler, kind = _type_of(item)
    fields = item.as_mapping(_QUESTION_FIELDS + (handler.fields(kind) if handler else _any_type_fields()))
    if fields is None:
        return None
    question_id = fields.read("id", Located.identifier, required=True)
    if handler is None:
        _report_type(fields.get("type"))
    section_id = fields.read("section", Located.identifier, required=True)
    found_section = fields.get("section")
    if section_id is not None and section_lines is not None and section_id not in section_lines:
        hint = did_you_mean(section_id, list(section_lines))
        found_section.error(f"no section {section_id!r} in lesson {lesson.id!r}{hint}; "
                            f"sections: {', '.join(section_lines) or 'none'}")
        section_id = None
    # at most 99: a Common Cartridge carries points as cc_weighting, an integer from 0 to 99
    points = fields.read("points", lambda v: v.integer(minimum=1, maximum=_MAX_POINTS))
    stem = fields.read("stem", read_text, required=True)
    explanation = fields.read("explanation", read_text) or ""
    feedback = _feedback(fields.get("feedback"), default_feedback, read_text)
    response = handler.read(kind, fields, stem, read_text) if handler else None
    if None in (question_id, section_id, stem, response):
        return None
    source = model.SourceLocation(item.file, item.line, item.column, item.field)
    return model.Question(question_id, stem, response, explanation, 1 if points is None else points,
                          section_id, feedback, source)


def _type_of(item: Located) -> tuple[QuestionType | None, str]:
    """The question's type, read ahead of its other fields (which depend on it); None when it
    is not a known type (reported once the fields are read)."""
    if not isinstance(item.node, MappingNode):
        return None, ""
    for key, value in item.node.value:
        if isinstance(key, ScalarNode) and key.value == "type":
            if isinstance(value, ScalarNode) and value.tag == _NULL:  # left empty: as if left out
                break
            kind = value.value.strip() if isinstance(value, ScalarNode) and isinstance(value.value, str) else ""
            return (handler_of(kind) if kind in KINDS else None), kind
    return handler_of(DEFAULT_KIND), DEFAULT_KIND


def _any_type_fields() -> tuple[str, ...]:
    """Every field of any type: allowed while the type itself is in error, so that only the type
    is reported (this loads every family, which only a mistake needs)."""
    return tuple(dict.fromkeys(key for handler in families() for kind in handler.kinds
                               for key in handler.fields(kind)))


def _report_type(found: Located | None) -> None:
    """The problem with a ``type:`` that names no question type."""
    if found is None:
        return
    value = found.text()
    if value is not None:
        found.error(f"unknown question type {value!r}{did_you_mean(value, list(KINDS))}; "
                    f"use one of: {', '.join(KINDS)}")
