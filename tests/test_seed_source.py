"""The seed course in ``source/`` holds everything the seed page of Lesson 13 shows.

The seed page (the lesson as it was published before this project) is the reference:
every heading, paragraph, bullet, table row, call-out and quiz stem on it is written
below as a literal expectation, and each one must be found in the course model that the
real loader builds from ``source/``. When the seed page is at hand, a second check
proves the expectations themselves are complete: every line of the page must be one of
them (or a known piece of page chrome).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from srm_package import i18n
from srm_package.markup import inline_text
from srm_package.model import (
    Block,
    Callout,
    Comparison,
    Course,
    Heading,
    Lesson,
    ListBlock,
    Paragraph,
    Quote,
    Section,
    Table,
    YearMonth,
)

from .conftest import ROOT

SEED_PAGE = ROOT.parent / "shared" / "seed" / "000_55d2f34d128ca4be.txt"

# ------------------------------------------------------------------ course and lesson
COURSE_ID = "aws-cloud-practitioner"
COURSE_TITLE = "AWS Cloud Practitioner"
AUTHOR = "Shahriar Ahmed Shovon"
COPYRIGHT = "© 2026 Shahriar Ahmed Shovon"
LAST_UPDATED = YearMonth(2026, 6)
LAST_UPDATED_SHOWN = "June, 2026"  # as the seed page writes it
CITATION_LABEL = "Primary Source"
CITATION_TEXT = (
    "AWS Academy Module 4: AWS Cloud Security (module-4.txt) — Section 1: AWS Shared Responsibility Model."
)
LESSON_NUMBER = 13
LESSON_TITLE = "Shared Responsibility Model"
LESSON_SUBTITLE = (
    "Security 'of' the cloud vs. security 'in' the cloud — and how responsibilities shift by service type"
)

# ------------------------------------------------------------------ sections, in page order
#: (section id, heading, ### subheadings in order)
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("overview", "The Shared Responsibility Model", ()),
    (
        "aws-responsibility",
        "AWS Responsibility: Security of the Cloud",
        (
            "Physical Infrastructure",
            "Hardware & Software Infrastructure",
            "AWS Global Infrastructure",
        ),
    ),
    (
        "customer-responsibility",
        "Customer Responsibility: Security in the Cloud",
        ("Customer-Managed Security",),
    ),
    ("service-types", "Responsibility by Service Type", ()),
)

#: (section id, paragraph text) for the paragraphs outside call-outs and lists
PARAGRAPHS: tuple[tuple[str, str], ...] = (
    (
        "overview",
        (
            "Security and compliance are a shared responsibility between AWS and the customer. "
            "This model relieves the customer's operational burden while giving them the "
            "flexibility and control to deploy solutions on AWS. The distinction is commonly "
            "phrased as:"
        ),
    ),
    (
        "aws-responsibility",
        (
            "AWS operates, manages, and controls the components from the hypervisor "
            "virtualization layer down to the physical security of facilities where services "
            "operate. AWS protects the global infrastructure that runs all Cloud services."
        ),
    ),
    (
        "aws-responsibility",
        (
            "Regions, Availability Zones, and edge locations are all AWS-managed. Third-party "
            "auditors verify AWS compliance with computer security standards and regulations — "
            "audit reports are available to customers."
        ),
    ),
    (
        "customer-responsibility",
        (
            "Customers are responsible for security of everything they put in the cloud. The "
            "specific steps depend on the services used and the complexity of the system."
        ),
    ),
    (
        "service-types",
        (
            "The level of customer responsibility shifts depending on how much the service "
            "abstracts away the underlying infrastructure."
        ),
    ),
)

#: (section id, ### subheading the list sits under, its bullets in order)
BULLET_LISTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "aws-responsibility",
        "Physical Infrastructure",
        (
            "Nondescript facilities with 24/7 security guards",
            "Two-factor authentication for all physical access",
            "Access logging and review, video surveillance",
            "Disk degaussing and destruction for decommissioned storage",
        ),
    ),
    (
        "aws-responsibility",
        "Hardware & Software Infrastructure",
        (
            "Servers, storage devices, networking appliances",
            "Host operating systems, service applications, virtualization software",
            "Routers, switches, load balancers, firewalls, cabling",
            "Network monitoring at external boundaries, redundant infrastructure",
            "Intrusion detection systems",
        ),
    ),
)

#: (section id, header cells, rows of cells)
TABLES: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, ...], ...]], ...] = (
    (
        "customer-responsibility",
        ("Area", "Customer Responsibilities"),
        (
            (
                "Compute",
                "Guest OS patching and maintenance, application software, security group configuration",
            ),
            (
                "Network",
                (
                    "VPC configuration, subnet design, NACLs, firewall rules, "
                    "intrusion detection/prevention systems"
                ),
            ),
            (
                "Data",
                (
                    "What content to store, which AWS services to use with it, which country it "
                    "resides in, encryption (at rest and in transit), data format and masking"
                ),
            ),
            (
                "IAM",
                (
                    "User/group/role management, permission policies, password policies, MFA, "
                    "access key rotation"
                ),
            ),
            ("Account", "Login settings, root user protection, billing reports"),
        ),
    ),
    (
        "service-types",
        ("Type", "Services", "Customer Manages", "AWS Manages"),
        (
            (
                "IaaS",
                "EC2, EBS, VPC",
                "Guest OS, applications, security groups, firewall configurations",
                "Physical, hypervisor, network up to the compute instance",
            ),
            (
                "PaaS",
                "Lambda, RDS, Elastic Beanstalk",
                "Code or data, permissions, data classification",
                "OS, database patching, firewall config, disaster recovery",
            ),
            (
                "SaaS",
                "Trusted Advisor, Shield, Chime",
                "Usage configuration, subscription, data input",
                "Entire infrastructure and application stack",
            ),
        ),
    ),
)

#: (section id, kind, title, the box's whole text with its blocks joined by spaces)
CALLOUTS: tuple[tuple[str, str, str, str], ...] = (
    (
        "customer-responsibility",
        "key-principle",
        "Key principle",
        (
            "Customers maintain complete control over their content. They decide who has access, "
            "how access rights are granted/managed/revoked, and what security controls to "
            "implement."
        ),
    ),
    (
        "service-types",
        "exam-tip",
        "Exam rule of thumb",
        (
            'The more "managed" the service, the more AWS handles. EC2 (IaaS) = customer handles '
            "OS patching. RDS (PaaS) = AWS handles database patching, customer handles data. "
            "Lambda (also PaaS) = AWS handles everything below the code."
        ),
    ),
)

#: the "of the cloud / in the cloud" box of the overview: (column heading, column text)
COMPARISON_SECTION = "overview"
COMPARISON_COLUMNS: tuple[tuple[str, str], ...] = (
    ("AWS is responsible for", "Security of the Cloud"),
    ("Customer is responsible for", "Security in the Cloud"),
)

# ------------------------------------------------------------------ quiz
QUIZ_TITLE = "Shared Responsibility Model Quiz"
QUIZ_INSTRUCTIONS = "Select one answer per question. You will receive immediate feedback."

#: (stem, a word or phrase the one correct choice's text contains), in page order
QUESTIONS: tuple[tuple[str, str], ...] = (
    (
        (
            "Under the AWS shared responsibility model, which party is responsible for patching "
            "the operating system on an Amazon EC2 instance?"
        ),
        "customer",
    ),
    (
        "Which of the following is solely the responsibility of AWS under the shared responsibility model?",
        "physical security",
    ),
    (
        (
            "A company deploys an application on Amazon RDS. Who is responsible for applying "
            "database engine patches?"
        ),
        "aws",
    ),
    (
        (
            "Which security task below is the customer's responsibility, NOT AWS's, under the "
            "shared responsibility model?"
        ),
        "security group",
    ),
    (
        (
            "Under the shared responsibility model, who is responsible for ensuring that data is "
            "encrypted in transit between EC2 instances?"
        ),
        "customer",
    ),
)
CHOICES_PER_QUESTION = 4
#: options that turn a question into a test of reading the options rather than of the lesson
LAZY_PHRASES = ("all of the above", "none of the above")
LAZY_WORDS = ("both",)

#: lines of the seed page that are page chrome drawn by the player, not course content
PAGE_CHROME = ("Progress: 0/5 correct (0%). Answer all questions to see the final recommendation.",)


# ------------------------------------------------------------------ walking the model
def walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block, depth first, including those inside lists, boxes and quotes."""
    for block in blocks:
        yield block
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from walk(item)
        elif isinstance(block, (Callout, Quote)):
            yield from walk(block.blocks)
        elif isinstance(block, Comparison):
            for column in block.columns:
                yield from walk(column.blocks)


def text_of(blocks: tuple[Block, ...]) -> str:
    """The plain text a reader sees in ``blocks``, paragraphs joined by single spaces."""
    parts = [inline_text(b.text) for b in walk(blocks) if isinstance(b, Paragraph)]
    return " ".join(parts)


def under_heading(section: Section, heading: str) -> tuple[Block, ...]:
    """The blocks between the subheading ``heading`` and the next heading as deep or deeper."""
    blocks = section.blocks
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and inline_text(block.text) == heading:
            end = next(
                (
                    j
                    for j in range(index + 1, len(blocks))
                    if isinstance(blocks[j], Heading) and blocks[j].level <= block.level
                ),
                len(blocks),
            )
            return blocks[index + 1 : end]
    raise AssertionError(f"section {section.id!r} has no subheading {heading!r}")


def of_type(section: Section, kind: type) -> list:
    return [b for b in walk(section.blocks) if isinstance(b, kind)]


@pytest.fixture(scope="module")
def course(seed_course: Course) -> Course:
    return seed_course


@pytest.fixture(scope="module")
def lesson(course: Course) -> Lesson:
    (only,) = course.lessons
    return only


# ------------------------------------------------------------------ course
def test_course_metadata(course: Course) -> None:
    assert course.id == COURSE_ID
    assert course.title == COURSE_TITLE
    assert course.language == "en"
    assert course.author == AUTHOR
    assert course.passing_score == 80
    assert course.copyright == COPYRIGHT
    assert course.last_updated == LAST_UPDATED
    shown = i18n.strings_for(course).month(course.last_updated.year, course.last_updated.month)
    assert shown == LAST_UPDATED_SHOWN


def test_citation_and_credits(course: Course, lesson: Lesson) -> None:
    # the seed's citation belongs to Lesson 13 (the course is more than this lesson)
    assert course.citation is None
    assert lesson.citation is not None
    assert lesson.citation.label == CITATION_LABEL
    assert inline_text(lesson.citation.text) == CITATION_TEXT
    credits = [inline_text(line) for line in course.credits]
    assert any(AUTHOR in line for line in credits), credits
    lesson_credits = [inline_text(line) for line in lesson.credits]
    assert any("AWS Academy Module 4" in line for line in lesson_credits), lesson_credits


def test_lesson_heading(lesson: Lesson) -> None:
    assert lesson.number == LESSON_NUMBER
    assert lesson.title == LESSON_TITLE
    assert inline_text(lesson.subtitle) == LESSON_SUBTITLE


# ------------------------------------------------------------------ lesson body
def test_sections_in_page_order(lesson: Lesson) -> None:
    assert [(s.id, inline_text(s.title)) for s in lesson.sections] == [
        (section_id, title) for section_id, title, _ in SECTIONS
    ]


@pytest.mark.parametrize(("section_id", "subheadings"), [(s[0], s[2]) for s in SECTIONS])
def test_subheadings(lesson: Lesson, section_id: str, subheadings: tuple[str, ...]) -> None:
    found = [inline_text(h.text) for h in of_type(lesson.section(section_id), Heading)]
    assert found == list(subheadings)
    assert all(h.level == 3 for h in of_type(lesson.section(section_id), Heading))


@pytest.mark.parametrize(("section_id", "paragraph"), PARAGRAPHS)
def test_paragraph(lesson: Lesson, section_id: str, paragraph: str) -> None:
    found = [inline_text(p.text) for p in of_type(lesson.section(section_id), Paragraph)]
    assert paragraph in found


@pytest.mark.parametrize(("section_id", "heading", "bullets"), BULLET_LISTS)
def test_bullet_list(lesson: Lesson, section_id: str, heading: str, bullets: tuple[str, ...]) -> None:
    lists = [b for b in under_heading(lesson.section(section_id), heading) if isinstance(b, ListBlock)]
    assert len(lists) == 1, f"expected one list under {heading!r}"
    (bullet_list,) = lists
    assert not bullet_list.ordered
    assert [text_of(item) for item in bullet_list.items] == list(bullets)


@pytest.mark.parametrize(("section_id", "header", "rows"), TABLES)
def test_table(
    lesson: Lesson,
    section_id: str,
    header: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
) -> None:
    tables = [
        t
        for t in of_type(lesson.section(section_id), Table)
        if tuple(inline_text(cell) for cell in t.header) == header
    ]
    assert len(tables) == 1, f"expected one table headed {header} in {section_id!r}"
    found = [tuple(inline_text(cell) for cell in row) for row in tables[0].rows]
    assert found == list(rows)


@pytest.mark.parametrize(("section_id", "kind", "title", "text"), CALLOUTS)
def test_callout(lesson: Lesson, section_id: str, kind: str, title: str, text: str) -> None:
    boxes = [c for c in of_type(lesson.section(section_id), Callout) if c.kind == kind]
    assert len(boxes) == 1, f"expected one {kind} box in {section_id!r}"
    (box,) = boxes
    # a box without its own title is named by the page, in the course's language
    assert (inline_text(box.title) or i18n.callout_title(i18n.ENGLISH, box.kind)) == title
    assert text_of(box.blocks) == text


def test_comparison(lesson: Lesson) -> None:
    (comparison,) = of_type(lesson.section(COMPARISON_SECTION), Comparison)
    found = [(inline_text(col.heading), text_of(col.blocks)) for col in comparison.columns]
    assert found == list(COMPARISON_COLUMNS)


# ------------------------------------------------------------------ quiz
def test_quiz_settings(lesson: Lesson) -> None:
    quiz = lesson.quiz
    assert quiz is not None
    assert quiz.title == QUIZ_TITLE
    assert inline_text(quiz.instructions) == QUIZ_INSTRUCTIONS
    # the seed fixes the questions and their order; each attempt shuffles the choices
    assert not quiz.shuffle.questions and quiz.shuffle.choices
    assert [band.min_percent for band in quiz.recommendation.bands] == [100, 80, 0]
    assert all(inline_text(band.message) for band in quiz.recommendation.bands)
    assert "{section}" in quiz.recommendation.review


#: question id -> its choice ids: what LMSs remember, kept whatever the choices' order
STABLE_IDS = {
    "ec2-os-patching": {"customer", "aws", "aws-provided-ami", "os-vendor"},
    "aws-only-responsibility": {"physical-security", "guest-os-patching", "iam-users", "security-groups"},
    "rds-engine-patching": {"aws", "customer", "engine-vendor", "auditor"},
    "customer-network-rules": {"network-rules", "hypervisor-patching", "host-os-updates", "storage-degaussing"},
    "encryption-in-transit": {"customer", "aws", "auditor", "no-one"},
}


def test_ids_are_stable(lesson: Lesson) -> None:
    assert lesson.quiz is not None
    found = {q.id: {c.id for c in q.response.choices} for q in lesson.quiz.questions}
    assert found == STABLE_IDS
    assert list(found) == list(STABLE_IDS)


def test_correct_answers_are_spread_over_the_positions(lesson: Lesson) -> None:
    """A learner who always picks the same place must not pass (nor could, unshuffled)."""
    assert lesson.quiz is not None
    positions = [[c.correct for c in q.response.choices].index(True) for q in lesson.quiz.questions]
    assert set(positions) == set(range(CHOICES_PER_QUESTION)), positions
    assert max(positions.count(p) for p in positions) * 100 < 80 * len(positions)


def test_quiz_stems_in_page_order(lesson: Lesson) -> None:
    assert lesson.quiz is not None
    assert [inline_text(q.stem) for q in lesson.quiz.questions] == [s for s, _ in QUESTIONS]


@pytest.mark.parametrize(("index", "expected"), list(enumerate(QUESTIONS)))
def test_question(lesson: Lesson, index: int, expected: tuple[str, str]) -> None:
    assert lesson.quiz is not None
    question = lesson.quiz.questions[index]
    _, correct_text = expected
    assert question.kind == "single"
    assert question.points == 1
    assert len(question.response.choices) == CHOICES_PER_QUESTION
    (correct,) = question.response.correct_choices
    assert correct_text in inline_text(correct.text).casefold()
    for choice in question.response.choices:
        shown = inline_text(choice.text).casefold()
        assert not any(phrase in shown for phrase in LAZY_PHRASES), choice.text
        assert not set(re.findall(r"[a-z]+", shown)) & set(LAZY_WORDS), choice.text
        assert inline_text(choice.feedback), f"{question.id}/{choice.id} has no feedback"
    assert inline_text(question.explanation)
    lesson.section(question.section_id)  # raises KeyError when the section is missing


# ------------------------------------------------------------------ the expectations cover the page
def page_lines() -> set[str]:
    """Every line the seed page would show for these expectations, in the page's own layout."""
    lines = {
        f"Lesson {LESSON_NUMBER}",
        LESSON_TITLE,
        LESSON_SUBTITLE,
        QUIZ_TITLE,
        QUIZ_INSTRUCTIONS,
    }
    lines |= {title for _, title, _ in SECTIONS}
    lines |= {sub for *_, subs in SECTIONS for sub in subs}
    lines |= {text for _, text in PARAGRAPHS}
    lines |= {bullet for *_, bullets in BULLET_LISTS for bullet in bullets}
    for _, header, rows in TABLES:  # the page runs a row's cells together on one line
        lines |= {"".join(header)} | {"".join(row) for row in rows}
    lines |= {f"{title}: {text}" for _, _, title, text in CALLOUTS}
    lines |= {part for column in COMPARISON_COLUMNS for part in column}
    lines |= {f"{n}. {stem}" for n, (stem, _) in enumerate(QUESTIONS, start=1)}
    lines.add(f"{CITATION_LABEL}: {CITATION_TEXT}")
    lines.add(f"Last updated: {LAST_UPDATED_SHOWN}{COPYRIGHT}Credits")
    return lines


def test_every_line_of_the_seed_page_is_expected() -> None:
    if not SEED_PAGE.is_file():
        pytest.skip(f"seed page not found at {SEED_PAGE}")
    expected = page_lines()
    seed = [line.strip().removeprefix("• ") for line in SEED_PAGE.read_text("utf-8").splitlines()]
    missing = [line for line in seed if line and line not in expected and line not in PAGE_CHROME]
    assert not missing, "seed page lines with no expectation in this test:\n" + "\n".join(missing)
