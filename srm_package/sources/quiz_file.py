"""Reading one quiz file (YAML) into the model, with every rule of the format checked."""

from __future__ import annotations

from collections.abc import Callable

from srm_package import model
from srm_package.sources.rich_check import TextChecker
from srm_package.sources.yamlfields import Located, did_you_mean

_QUIZ_FIELDS = ("id", "title", "instructions", "shuffle", "max_attempts", "show_correct_answers",
                "feedback", "recommendation", "questions")
_FEEDBACK_FIELDS = ("correct", "incorrect")
_SHUFFLE_FIELDS = ("questions", "choices")
_RECOMMENDATION_FIELDS = ("bands", "review")
_BAND_FIELDS = ("min", "message")
_MAX_POINTS = 99
_QUESTION_FIELDS = ("id", "type", "section", "points", "stem", "choices", "explanation", "feedback")
_CHOICE_FIELDS = ("id", "text", "correct", "feedback")
_KINDS = {kind.value: kind for kind in model.QuestionKind}
_TRUE_FALSE_TEXT = {"true": "True", "false": "False"}


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
    questions = _questions(fields.require("questions"), lesson, section_lines, default_feedback, question_text)
    if len(root.problems.errors) > problems_before or title is None or recommendation is None:
        return None
    return model.Quiz(
        quiz_id, title, instructions, tuple(questions), recommendation, shuffle,
        max_attempts, True if show_answers is None else show_answers, texts.refs,
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
    fields = item.as_mapping(_QUESTION_FIELDS)
    if fields is None:
        return None
    question_id = fields.read("id", Located.identifier, required=True)
    kind = _kind(fields.get("type"))
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
    choices = _choices(fields.require("choices"), kind, read_text)
    if None in (question_id, kind, section_id, stem, choices):
        return None
    return model.Question(question_id, kind, stem, choices, explanation,
                          1 if points is None else points, section_id, feedback)


def _kind(found: Located | None) -> model.QuestionKind | None:
    if found is None:
        return model.QuestionKind.SINGLE
    value = found.text()
    if value is None:
        return None
    if value not in _KINDS:
        found.error(f"unknown question type {value!r}{did_you_mean(value, list(_KINDS))}; "
                    f"use one of: {', '.join(_KINDS)}")
        return None
    return _KINDS[value]


def _choices(found: Located | None, kind: model.QuestionKind | None, read_text: TextReader,
             ) -> tuple[model.Choice, ...] | None:
    if found is None:
        return None
    items = found.as_sequence()
    if items is None:
        return None
    choices: list[model.Choice] = []
    seen: dict[str, int] = {}
    complete = True
    for item in items:
        fields = item.as_mapping(_CHOICE_FIELDS)
        if fields is None:
            complete = False
            continue
        choice_id = fields.read("id", lambda v: v.identifier(max_length=32), required=True)
        # true/false choices may leave their text out (so may all while the type is in error)
        default_text = _TRUE_FALSE_TEXT.get(choice_id or "") if kind in (model.QuestionKind.TRUE_FALSE, None) else None
        text = fields.read("text", read_text, required=not default_text) or default_text
        found_correct = fields.get("correct")
        correct = found_correct.boolean() if found_correct else False
        feedback = fields.read("feedback", read_text) or ""
        if choice_id is None or text is None or correct is None:
            complete = False
            continue
        if choice_id in seen:
            item.error(f"duplicate choice id {choice_id!r} (first at line {seen[choice_id]})",
                       field=f"{item.field}.id")
            complete = False
            continue
        seen[choice_id] = item.line
        choices.append(model.Choice(choice_id, text, bool(correct), feedback))
    if not complete or kind is None:
        return None
    if not _check_choice_rules(found, kind, choices):
        return None
    return tuple(choices)


def _check_choice_rules(found: Located, kind: model.QuestionKind, choices: list[model.Choice]) -> bool:
    correct = sum(1 for c in choices if c.correct)
    if len(choices) < 2:
        found.error(f"a question needs at least two choices; found {len(choices)}")
        return False
    if kind is model.QuestionKind.SINGLE and correct != 1:
        found.error(f"a single-answer question needs exactly one correct choice; found {correct} "
                    "(use type: multiple for several)")
        return False
    if kind is model.QuestionKind.MULTIPLE and correct < 1:
        found.error("a multiple-answer question needs at least one correct choice; found 0")
        return False
    if kind is model.QuestionKind.TRUE_FALSE:
        if sorted(c.id for c in choices) != ["false", "true"]:
            found.error("a true_false question has exactly two choices with ids 'true' and 'false'")
            return False
        if correct != 1:
            found.error(f"a true_false question needs exactly one correct choice; found {correct}")
            return False
    return True
