"""Hand-built courses for the tests, built straight from the model so that they test the
renderer and the writers alone: hostile text, every question kind, many lessons, a
50-question quiz, and the native-target course (question-level feedback, points other than 1,
text that breaks writers that escape twice or not at all)."""

from __future__ import annotations

import io
from collections.abc import Mapping

from srm_package.model import (
    Callout,
    CodeBlock,
    Comparison,
    ComparisonColumn,
    Course,
    Heading,
    Lesson,
    ListBlock,
    Paragraph,
    Question,
    QuestionFeedback,
    Quiz,
    Recommendation,
    ScoreBand,
    Section,
    ShufflePolicy,
    Table,
    YearMonth,
)
from srm_package.package import zip_bytes_to
from srm_package.questions.choice import MULTIPLE, SINGLE, TRUE_FALSE, Choice, Choices

#: text an attacker (or a careless author) might put anywhere
HOSTILE = "<script>alert('x')</script> \"quoted\" & 'single' — Größe ✓ 日本語"
HOSTILE_TAG = "<img src=x onerror=alert(1)>"


def _bands() -> Recommendation:
    return Recommendation(
        bands=(
            ScoreBand(100, "Perfect: all right."),
            ScoreBand(80, "Ready for the next lesson."),
            ScoreBand(0, "Not there yet: review and try again."),
        ),
        review='Review the section "{section}".',
    )


def choice_question(*, id: str, kind: str, stem: str, choices: tuple[Choice, ...], explanation: str, points: int,
                    section_id: str, feedback: QuestionFeedback | None = None,
                    partial_credit: bool = False) -> Question:
    """A choice question (single, multiple or true_false), built the way the loader builds one."""
    return Question(id=id, stem=stem, response=Choices(kind, tuple(choices), partial_credit), explanation=explanation,
                    points=points, section_id=section_id, feedback=feedback or QuestionFeedback())


def single(qid: str, section: str, right: int = 0, choices: int = 4, points: int = 1,
           stem: str | None = None) -> Question:
    """A single-answer question whose choice ``right`` (0-based) is correct."""
    return choice_question(
        id=qid,
        kind=SINGLE,
        stem=stem or f"Question {qid}: which choice is right?",
        choices=tuple(
            Choice(
                id=f"{qid}-c{n}",
                text=f"Choice {n} of {qid}",
                correct=n == right,
                feedback=f"Feedback for choice {n} of {qid}.",
            )
            for n in range(choices)
        ),
        explanation=f"Explanation of {qid}.",
        points=points,
        section_id=section,
    )


def course_of(*lessons: Lesson, passing_score: int = 80, course_id: str = "test-course") -> Course:
    return Course(
        id=course_id,
        title="Test Course",
        language="en",
        author="A. Author",
        copyright="© 2026 A. Author",
        last_updated=YearMonth(2026, 6),
        credits=("Written for the tests.",),
        citation=None,
        passing_score=passing_score,
        lessons=lessons,
    )


def lesson_of(lesson_id: str, number: int, questions: tuple[Question, ...],
              sections: tuple[str, ...] = ("basics", "details"),
              shuffle: ShufflePolicy | None = None, show_correct: bool = True) -> Lesson:
    quiz = Quiz(
        id=f"{lesson_id}-quiz",
        title=f"Quiz {number}",
        instructions="Select one answer per question.",
        questions=questions,
        recommendation=_bands(),
        shuffle=shuffle or ShufflePolicy(),
        show_correct_answers=show_correct,
    ) if questions else None
    return Lesson(
        id=lesson_id,
        number=number,
        title=f"Lesson {number} title",
        subtitle=f"What lesson {number} is about",
        intro=(Paragraph(f"Introduction to lesson {number}."),),
        sections=tuple(
            Section(id=sid, title=f"Section {sid.title()}", blocks=(Paragraph(f"Text of {sid}."),))
            for sid in sections
        ),
        quiz=quiz,
    )


def hostile_course() -> Course:
    """Every text field carries markup, quotes and non-ASCII that must come out as text."""
    question = choice_question(
        id="hostile-q",
        kind=SINGLE,
        stem=f"Stem {HOSTILE}",
        choices=(
            Choice("right", f"Right {HOSTILE}", True, f"Right feedback {HOSTILE_TAG}"),
            Choice("wrong", f"Wrong </label><button>{HOSTILE_TAG}", False, f"Wrong feedback {HOSTILE}"),
        ),
        explanation=f"Explanation {HOSTILE}",
        points=1,
        section_id="danger",
    )
    lesson = Lesson(
        id="hostile-lesson",
        number=1,
        title=f"Title {HOSTILE}",
        subtitle=f"Subtitle {HOSTILE}",
        intro=(Paragraph(f"Intro {HOSTILE}"),),
        sections=(
            Section(
                id="danger",
                title=f"Section {HOSTILE_TAG}",
                blocks=(
                    Paragraph(f"Body {HOSTILE}"),
                    Table(header=("Name", f"Value {HOSTILE_TAG}"), rows=((f"Cell {HOSTILE}", "2"),)),
                    Callout("key-principle", f"Callout {HOSTILE_TAG}", (Paragraph(HOSTILE),)),
                    CodeBlock(code=f"print('{HOSTILE}')", language="python\" onclick=\"x"),
                ),
            ),
        ),
        quiz=Quiz(
            id="hostile-quiz",
            title=f"Quiz {HOSTILE}",
            instructions=f"Instructions {HOSTILE}",
            questions=(question,),
            recommendation=Recommendation(
                bands=(ScoreBand(0, f"Band {HOSTILE}"),),
                review=f"Review {{section}} {HOSTILE_TAG}",
            ),
        ),
    )
    return Course(
        id="hostile",
        title=f"Course {HOSTILE}",
        language="de",
        author=f"Author {HOSTILE}",
        copyright=f"© {HOSTILE}",
        last_updated=YearMonth(2026, 6, 5),
        credits=(f"Credit {HOSTILE}",),
        citation=None,
        passing_score=50,
        lessons=(lesson,),
    )


def kinds_course(shuffle: bool = False) -> Course:
    """One quiz with a single-answer, a multiple-answer (2 points) and a true/false question."""
    questions = (
        single("pick-one", "basics", right=1),
        choice_question(
            id="pick-many",
            kind=MULTIPLE,
            stem="Which two are right?",
            choices=(
                Choice("first-right", "First right", True, "Yes, the first."),
                Choice("wrong-one", "Wrong one", False, "No, not this one."),
                Choice("second-right", "Second right", True, "Yes, the second."),
            ),
            explanation="Both right ones, nothing else.",
            points=2,
            section_id="details",
            feedback=QuestionFeedback(correct="Both found.", incorrect="Pick both right ones & no other."),
        ),
        choice_question(
            id="true-or-false",
            kind=TRUE_FALSE,
            stem="The sky is green.",
            choices=(
                Choice("true", "True", False, "It is not."),
                Choice("false", "False", True, "Right, it is not green."),
            ),
            explanation="The sky is blue.",
            points=1,
            section_id="basics",
        ),
    )
    policy = ShufflePolicy(questions=shuffle, choices=shuffle)
    return course_of(lesson_of("kinds", 1, questions, shuffle=policy))


def rich_lesson_course() -> Course:
    """Blocks of every kind, including nested ones, and a table in the introduction."""
    lesson = Lesson(
        id="rich",
        number=2,
        title="Rich lesson",
        subtitle="",
        intro=(Table(header=("A", "B"), rows=(("1", "2"),), align=("left", "right")),),
        sections=(
            Section(
                id="everything",
                title="Everything",
                blocks=(
                    Heading(3, "Sub heading", "sub-heading"),
                    ListBlock(ordered=True, start=3, items=(
                        (Paragraph("three"),),
                        (Paragraph("four"), ListBlock(False, ((Paragraph("nested"),),))),
                    )),
                    Table(header=("X", "Y"), rows=(("x", "y"),), caption="A *captioned* table"),
                    Comparison(
                        title="Side by side",
                        columns=(
                            ComparisonColumn("Left", (Paragraph("left text"),)),
                            ComparisonColumn("Right", (Paragraph("right text"),)),
                        ),
                    ),
                    Callout("exam-tip", "", (Paragraph("A tip."),)),
                    Callout("custom-kind", "", (Paragraph("Custom."),)),
                    CodeBlock("x = 1 < 2", "python"),
                ),
            ),
        ),
    )
    return course_of(lesson)


def multi_lesson_course() -> Course:
    """Two lessons with quizzes whose section ids repeat (anchors must be namespaced)."""
    first = lesson_of("first", 1, (single("first-q1", "basics"), single("first-q2", "details", right=2)))
    second = lesson_of("second", 2, (single("second-q1", "basics", right=3, points=3),))
    reading = lesson_of("reading", 3, ())
    return course_of(first, second, reading)


def big_course(count: int = 50) -> Course:
    """One quiz of ``count`` four-choice questions, everything shuffled: the suspend_data worst case."""
    questions = tuple(
        single(f"question-number-{n:02d}", "basics" if n % 2 else "details", right=n % 4)
        for n in range(count)
    )
    policy = ShufflePolicy(questions=True, choices=True)
    return course_of(lesson_of("big-lesson", 7, questions, shuffle=policy), course_id="big")


def no_quiz_course() -> Course:
    return course_of(lesson_of("reading-only", 4, ()))


# ------------------------------------------------------------ native LMS targets
#: Markdown that looks like HTML, with entities, quotes and non-ASCII text
TRICKY = 'Is <b>bold</b> & "quoted" \'text\' — café, naïve, 日本語, ∑ & &amp; safe? *yes*'
LONG = " ".join(f"Sentence {n} about shared responsibility & <tags>." for n in range(1, 121))


def native_questions() -> tuple[Question, ...]:
    """All three kinds; ids that look like Canvas's question-level feedback names; a long explanation."""
    tricky = choice_question(
        id="tricky-single",
        kind=SINGLE,
        stem=TRICKY,
        choices=(
            Choice("right", "The `<customer>` & partner", True, "Right: **yes** & <i>no</i> é."),
            Choice("correct", "A choice whose id is \"correct\"", False, "Not \"quite\" — non."),
            Choice("general_x", "A choice whose id starts general_", False, ""),
        ),
        explanation="Because <script>alert('x')</script> is text & stays text.",
        points=2,
        section_id="overview",
        feedback=QuestionFeedback(correct="Right & <well> done — bravo.", incorrect='Not "yet" & <retry>.'),
    )
    multiple = choice_question(
        id="pick-several",
        kind=MULTIPLE,
        stem="Which of these are the customer's? (pick all that apply)",
        choices=(
            Choice("data", "Customer data", True, "Yes: data is always yours."),
            Choice("iam", "IAM users & roles", True, "Yes: identity is yours."),
            Choice("hypervisor", "The hypervisor", False, "No: AWS runs the hypervisor."),
            Choice("facilities", "Data-center facilities", False, "No: physical security is AWS's."),
        ),
        explanation=LONG,
        points=3,
        section_id="overview",
        feedback=QuestionFeedback(incorrect="Pick every customer-side item, and nothing else."),
    )
    true_false = choice_question(
        id="aws-patches-rds",
        kind=TRUE_FALSE,
        stem="AWS patches the database engine of Amazon RDS.",
        choices=(
            Choice("true", "True", True, "Correct: RDS is managed."),
            Choice("false", "False", False, "Wrong: on RDS AWS patches the engine."),
        ),
        explanation="",
        points=1,
        section_id="overview",
    )
    no_feedback = choice_question(
        id="plain-single",
        kind=SINGLE,
        stem="Plain question with no feedback at all.",
        choices=(Choice("a", "A", False, ""), Choice("b", "B", True, "")),
        explanation="",
        points=1,
        section_id="overview",
    )
    return (tricky, multiple, true_false, no_feedback)


def native_course(*, max_attempts: int | None = 2, shuffle_choices: bool = True) -> Course:
    """A lesson with the ``native_questions`` quiz and tricky titles, then a lesson without a quiz."""
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
    return course_of(lesson, lesson_of("second-lesson", 8, ()), course_id="native-course")


def zipped(entries: Mapping[str, bytes]) -> bytes:
    """The package as the build writes it (fixed timestamp), for byte-for-byte comparisons."""
    stream = io.BytesIO()
    zip_bytes_to(stream, entries, (2026, 6, 1, 0, 0, 0))
    return stream.getvalue()
