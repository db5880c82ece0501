"""A hand-built course for the native LMS targets: all three question kinds and tricky text.

The seed course has single-answer questions only; this one adds a multiple-answer
and a true/false question, points other than 1, and text that breaks writers that
escape twice or not at all (HTML-looking text, ampersands, quotes, non-ASCII, a
long paragraph).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from srm_package.model import (
    Choice,
    Course,
    Lesson,
    Paragraph,
    Question,
    QuestionFeedback,
    QuestionKind,
    Quiz,
    Recommendation,
    ScoreBand,
    Section,
    ShufflePolicy,
    YearMonth,
)
from srm_package.package import zip_bytes_to

#: Markdown that looks like HTML, with entities, quotes and non-ASCII text
TRICKY = 'Is <b>bold</b> & "quoted" \'text\' — café, naïve, 日本語, ∑ & &amp; safe? *yes*'
LONG = " ".join(f"Sentence {n} about shared responsibility & <tags>." for n in range(1, 121))


def _choice(cid: str, text: str, correct: bool = False, feedback: str = "") -> Choice:
    return Choice(id=cid, text=text, correct=correct, feedback=feedback)


def native_questions() -> tuple[Question, ...]:
    single = Question(
        id="tricky-single",
        kind=QuestionKind.SINGLE,
        stem=TRICKY,
        choices=(
            _choice("right", "The `<customer>` & partner", True, "Right: **yes** & <i>no</i> é."),
            _choice("correct", "A choice whose id is \"correct\"", False, "Not \"quite\" — non."),
            _choice("general_x", "A choice whose id starts general_", False, ""),
        ),
        explanation="Because <script>alert('x')</script> is text & stays text.",
        points=2,
        section_id="overview",
        feedback=QuestionFeedback(correct="Right & <well> done — bravo.", incorrect='Not "yet" & <retry>.'),
    )
    multiple = Question(
        id="pick-several",
        kind=QuestionKind.MULTIPLE,
        stem="Which of these are the customer's? (pick all that apply)",
        choices=(
            _choice("data", "Customer data", True, "Yes: data is always yours."),
            _choice("iam", "IAM users & roles", True, "Yes: identity is yours."),
            _choice("hypervisor", "The hypervisor", False, "No: AWS runs the hypervisor."),
            _choice("facilities", "Data-center facilities", False, "No: physical security is AWS's."),
        ),
        explanation=LONG,
        points=3,
        section_id="overview",
        feedback=QuestionFeedback(incorrect="Pick every customer-side item, and nothing else."),
    )
    true_false = Question(
        id="aws-patches-rds",
        kind=QuestionKind.TRUE_FALSE,
        stem="AWS patches the database engine of Amazon RDS.",
        choices=(
            _choice("true", "True", True, "Correct: RDS is managed."),
            _choice("false", "False", False, "Wrong: on RDS AWS patches the engine."),
        ),
        explanation="",
        points=1,
        section_id="overview",
    )
    no_feedback = Question(
        id="plain-single",
        kind=QuestionKind.SINGLE,
        stem="Plain question with no feedback at all.",
        choices=(_choice("a", "A"), _choice("b", "B", True)),
        explanation="",
        points=1,
        section_id="overview",
    )
    return (single, multiple, true_false, no_feedback)


def native_course(*, max_attempts: int | None = 2, shuffle_choices: bool = True) -> Course:
    quiz = Quiz(
        id="native-quiz",
        title="Native & <quiz> «test»",
        instructions="Answer *every* question & submit.",
        questions=native_questions(),
        recommendation=Recommendation(bands=(ScoreBand(0, "Done."),), review="Review {section}."),
        shuffle=ShufflePolicy(questions=False, choices=shuffle_choices),
        max_attempts=max_attempts,
        show_correct_answers=False,
    )
    lesson = Lesson(
        id="native-lesson",
        number=7,
        title="Native <targets> & more",
        subtitle="Sub *title*",
        intro=(Paragraph("Intro text."),),
        sections=(Section(id="overview", title="Overview", blocks=(Paragraph("Body & text."),)),),
        quiz=quiz,
    )
    second = Lesson(
        id="second-lesson",
        number=8,
        title="A lesson without a quiz",
        subtitle="",
        intro=(),
        sections=(Section(id="only", title="Only section", blocks=(Paragraph("Text."),)),),
        quiz=None,
    )
    return Course(
        id="native-course",
        title="Native Course",
        language="en",
        author="Test Author",
        copyright="© 2026 Test",
        last_updated=YearMonth(2026, 6),
        credits=(),
        citation=None,
        passing_score=80,
        lessons=(lesson, second),
    )


def zipped(entries: Mapping[str, bytes]) -> bytes:
    """The package as the build writes it (fixed timestamp), for byte-for-byte comparisons."""
    stream = io.BytesIO()
    zip_bytes_to(stream, entries, (2026, 6, 1, 0, 0, 0))
    return stream.getvalue()
