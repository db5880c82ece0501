"""Write a synthetic course of any size, for the build benchmarks.

    python benchmarks/make_course.py N_LESSONS N_QUESTIONS OUTDIR [--images N] [--formulas]

writes ``OUTDIR/source/`` in srm-package's source format (docs/source-format.md)
and the same questions as one quiz in text2qti's plain-text format in
``OUTDIR/text2qti.txt``, so both tools can be timed on identical questions.

The text is made to look like the seed course where length matters for speed:
lessons of about 1,500 words in five sections with sub-headings, lists, tables,
key-principle / exam-tip / comparison call-outs and some inline Markdown; single-answer
questions with ~100-character stems and four choices that each carry feedback.
A fixed seed makes the output byte-identical from run to run.

``--images N`` adds N PNG figures of about 100 KB each (noise, which PNG cannot shrink, so
200 images are ~20 MB), spread over the lessons' sections; the first question of each
section shows its section's first figure in the stem. ``--formulas`` adds an inline and a
display formula to every section and a formula to every explanation.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

SEED = 20260601
#: pixel size of a generated figure: 200 x 170 x 3 bytes of noise is a ~100 KB PNG
FIGURE_SIZE = (200, 170)
#: formula shapes; each use fills in its own numbers, so (as in a real course) few repeat
_FORMULAS = ("u = \\frac{\\lambda_{%d}}{\\mu + %d}", "L = \\frac{u^{%d}}{1 - u_{%d}}", "\\sum_{i=1}^{%d} x_i^{%d}",
             "\\sqrt{a^{%d} + b^{%d}}", "e^{-\\lambda t_{%d}} + %d", "\\binom{%d}{k} p^k (1-p)^{%d-k}")
SECTIONS_PER_LESSON = 5
CHOICES_PER_QUESTION = 4
CHOICE_LETTERS = "abcd"

# Word banks for sentences in the register of the seed course (cloud security).
_TOPICS = (
    "Identity and Access Management", "Storage Classes", "Virtual Private Clouds", "Encryption Keys",
    "Compute Instances", "Managed Databases", "Serverless Functions", "Monitoring and Logging",
    "Content Delivery", "Backup and Recovery", "Cost Management", "Compliance Programs",
    "Network Firewalls", "Container Services", "Message Queues", "High Availability",
)
_SUBJECTS = (
    "the customer", "AWS", "an administrator", "the security team", "each account owner",
    "a developer", "the operations team", "the auditor", "the application owner", "the provider",
)
_VERBS = (
    "configures", "monitors", "encrypts", "reviews", "rotates", "restricts", "replicates", "patches",
    "logs", "isolates", "approves", "audits", "backs up", "classifies", "tags", "retires",
)
_OBJECTS = (
    "access keys", "the guest operating system", "network ACLs", "data at rest", "IAM policies",
    "security groups", "storage volumes", "audit logs", "backup snapshots", "database engines",
    "the hypervisor", "firewall rules", "user permissions", "TLS certificates", "subnet routes",
    "root credentials", "object versions", "billing alarms", "load balancers", "container images",
)
_QUALIFIERS = (
    "before every deployment", "across Availability Zones", "with least privilege",
    "on a fixed schedule", "when a workload changes", "in every Region", "after an incident",
    "for regulated workloads", "during a migration", "without downtime", "at the edge locations",
    "for each environment",
)
_REASONS = (
    "so that a single mistake cannot expose the whole account",
    "because the shared responsibility model assigns it there",
    "which keeps the audit trail complete",
    "since managed services move that work to the provider",
    "so that recovery stays within the agreed time",
    "which lowers both cost and operational burden",
    "because compliance reports depend on it",
)

_STEMS = (
    "Under the shared responsibility model, which party {verb} {object} {qualifier}?",
    "A company moves a workload to the cloud. Who {verb} {object} {qualifier}?",
    "According to the lesson, which team normally {verb} {object} {qualifier}?",
    "Which party is expected to be the one that {verb} {object} {qualifier}?",
    "In a typical production account, who {verb} {object} {qualifier}?",
)


@dataclass(frozen=True)
class ChoiceText:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class QuestionText:
    id: str
    lesson: int
    section: str
    stem: str
    choices: tuple[ChoiceText, ...]
    explanation: str


class _Writer:
    """Deterministic text from the word banks."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.stems: set[str] = set()

    def pick(self, options: tuple[str, ...]) -> str:
        return self.random.choice(options)

    def clause(self) -> str:
        return f"{self.pick(_SUBJECTS)} {self.pick(_VERBS)} {self.pick(_OBJECTS)} {self.pick(_QUALIFIERS)}"

    def sentence(self, markup: bool = True) -> str:
        text = f"{self.clause()}, {self.pick(_REASONS)}."
        if markup and self.random.random() < 0.25:  # some inline Markdown, as real lessons have
            obj = next(o for o in _OBJECTS if o in text)
            text = text.replace(obj, self.random.choice((f"**{obj}**", f"*{obj}*")), 1)
        return _capitalized(text)

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def unique_stem(self) -> str:
        """A question stem of about 100 characters never used before (text2qti refuses repeats)."""
        for _ in range(100):
            stem = self.pick(_STEMS).format(verb=self.pick(_VERBS), object=self.pick(_OBJECTS),
                                            qualifier=self.pick(_QUALIFIERS))
            if stem not in self.stems:
                break
        else:  # the word banks are nearly used up: number the scenario
            stem = f"{stem[:-1]} (scenario {len(self.stems) + 1})?"
        self.stems.add(stem)
        return stem

    def formula(self) -> str:
        return self.pick(_FORMULAS) % (self.random.randrange(2, 99), self.random.randrange(2, 99))

    def phrase(self) -> str:
        return _capitalized(f"{self.pick(_VERBS)} {self.pick(_OBJECTS)} {self.pick(_QUALIFIERS)}")


def _capitalized(text: str) -> str:
    """First letter upper-cased, the rest kept (``str.capitalize`` would turn "AWS" into "Aws")."""
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------ lessons
def _lesson_markdown(writer: _Writer, number: int, lesson_id: str, title: str,
                     section_ids: list[str], figures: dict[int, list[str]] | None = None,
                     formulas: bool = False) -> str:
    parts = [
        "---",
        f"id: {lesson_id}",
        f"number: {number}",
        f"title: {title}",
        f"subtitle: Who {writer.pick(_VERBS)} what, and why it matters",
        "---",
        "",
        writer.paragraph(3),
        "",
    ]
    for index, section_id in enumerate(section_ids):
        parts += [f"## {writer.phrase()} {{#{section_id}}}", "", writer.paragraph(3), "",
                  f"### {writer.phrase()}", ""]
        parts += [f"- {writer.phrase()}" for _ in range(5)]
        parts += ["", writer.paragraph(2), ""]
        parts += _table(writer)
        parts += ["", writer.paragraph(2), ""]
        parts += _callout(writer, index)
        parts += ["", writer.paragraph(2), ""]
        for figure in (figures or {}).get(index, []):
            parts += [f'![A chart of {writer.pick(_OBJECTS)} per party](../figures/{figure} "{writer.phrase()}")', ""]
        if formulas:
            parts += [f"The load is ${writer.formula()}$ for {writer.pick(_OBJECTS)}.", "",
                      "$$", writer.formula(), "$$", ""]
    return "\n".join(parts)


def _table(writer: _Writer) -> list[str]:
    rows = ["| Area | Customer manages | Provider manages |", "|------|------------------|------------------|"]
    for _ in range(4):
        area = _capitalized(writer.pick(_OBJECTS))
        rows.append(f"| {area} | {writer.phrase()}, {writer.pick(_OBJECTS)} | {writer.phrase()} |")
    return rows


def _callout(writer: _Writer, index: int) -> list[str]:
    kind = ("key-principle", "exam-tip", "comparison", "note", "exam-tip")[index % 5]
    if kind == "comparison":
        return ["::: comparison", "The provider is responsible for", f": {writer.sentence()}", "",
                "The customer is responsible for", f": {writer.sentence()}", ":::"]
    title = " Exam rule of thumb" if kind == "exam-tip" and index % 2 else ""
    return [f"::: {kind}{title}", writer.paragraph(2), ":::"]


# ---------------------------------------------------------------- questions
def _question(writer: _Writer, question_id: str, lesson: int, section: str, figure: str | None = None,
              formulas: bool = False) -> QuestionText:
    stem = writer.unique_stem()
    correct_at = writer.random.randrange(CHOICES_PER_QUESTION)
    choices = []
    # distinct parties, so that no two choices of a question read the same
    parties = writer.random.sample(_SUBJECTS, CHOICES_PER_QUESTION)
    for index, party in enumerate(parties):
        correct = index == correct_at
        lead = "Correct." if correct else "Not quite."
        text = f"{_capitalized(party)}, for {writer.pick(_OBJECTS)}"
        choices.append(ChoiceText(text, correct, f"{lead} {writer.sentence(markup=False)}"))
    explanation = f"{writer.sentence()} {writer.sentence(markup=False)}"
    if formulas:
        explanation += f" In numbers: ${writer.formula()}$."
    if figure is not None:
        stem = f"![A chart of the responsibilities](../figures/{figure}) {stem}"
    return QuestionText(question_id, lesson, section, stem, tuple(choices), explanation)


def _spread(total: int, buckets: int) -> list[int]:
    """``total`` split over ``buckets`` as evenly as possible, the first ones taking the remainder."""
    base, extra = divmod(total, buckets)
    return [base + (1 if i < extra else 0) for i in range(buckets)]


def _quiz_yaml(title: str, questions: list[QuestionText]) -> str:
    data = {
        "title": f"{title} Quiz",
        "instructions": "Select one answer per question. You will receive immediate feedback.",
        "recommendation": {
            "bands": [{"min": 100, "message": "Perfect score."},
                      {"min": 80, "message": "You are ready for the next lesson."},
                      {"min": 0, "message": "Study the sections below, then take the quiz again."}],
            "review": 'Review the section "{section}".',
        },
        "questions": [
            {"id": q.id, "type": "single", "section": q.section, "points": 1, "stem": q.stem,
             "choices": [{"id": CHOICE_LETTERS[i], "text": c.text, "correct": c.correct,
                          "feedback": c.feedback} for i, c in enumerate(q.choices)],
             "explanation": q.explanation}
            for q in questions
        ],
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _course_yaml(n_lessons: int, lesson_files: list[tuple[str, str | None]]) -> str:
    data = {
        "id": "synthetic-course",
        "title": f"Synthetic Course ({n_lessons} lessons)",
        "language": "en",
        "author": "srm-package benchmarks",
        "copyright": "© 2026 srm-package benchmarks",
        "last_updated": "2026-06",
        "passing_score": 80,
        "lessons": [{"file": lesson, **({"quiz": quiz} if quiz else {})} for lesson, quiz in lesson_files],
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


# ------------------------------------------------------------------ text2qti
def text2qti_quiz(questions: list[QuestionText]) -> str:
    """The questions as one text2qti quiz: title/points lines, ``1.`` stems, ``*a)`` choices, ``...`` feedback."""
    lines = ["Quiz title: Synthetic question bank",
             f"Quiz description: {len(questions)} single-answer questions for the build benchmark.", ""]
    for number, question in enumerate(questions, start=1):
        lines += [f"Title: {question.id}", "Points: 1", f"{number}.  {question.stem}",
                  f"... {question.explanation}"]
        for letter, choice in zip(CHOICE_LETTERS, question.choices, strict=True):
            marker = f"*{letter})" if choice.correct else f"{letter}) "
            lines += [f"{marker} {choice.text}", f"... {choice.feedback}"]
        lines.append("")
    return "\n".join(lines)


# ------------------------------------------------------------------- course
def _figures(count: int, folder: Path, seed: int) -> list[str]:
    """``count`` PNG files of noise (about 100 KB each), the same bytes in every run."""
    from PIL import Image  # only when images are asked for

    folder.mkdir(parents=True, exist_ok=True)
    noise = random.Random(seed)
    names = []
    for number in range(1, count + 1):
        name = f"figure-{number:04d}.png"
        pixels = noise.randbytes(FIGURE_SIZE[0] * FIGURE_SIZE[1] * 3)
        Image.frombytes("RGB", FIGURE_SIZE, pixels).save(folder / name, compress_level=1)
        names.append(name)
    return names


def generate(n_lessons: int, n_questions: int, out_dir: Path, seed: int = SEED, *, images: int = 0,
             formulas: bool = False) -> list[QuestionText]:
    """Write ``out_dir/source/`` and ``out_dir/text2qti.txt``; return the questions written.

    ``images`` figures and ``formulas`` go into the lessons and some questions (the text2qti
    file stays plain)."""
    if n_lessons < 1 or n_questions < 0 or images < 0:
        raise ValueError("need at least one lesson and non-negative numbers of questions and images")
    writer = _Writer(seed)
    lessons_dir = out_dir / "source" / "lessons"
    lessons_dir.mkdir(parents=True, exist_ok=True)
    figure_names = _figures(images, out_dir / "source" / "figures", seed) if images else []
    # figure k goes to lesson k % n, section (k // n) % 5: spread evenly
    figures_of: dict[int, dict[int, list[str]]] = {}
    for k, name in enumerate(figure_names):
        figures_of.setdefault(k % n_lessons + 1, {}).setdefault((k // n_lessons) % SECTIONS_PER_LESSON, []).append(name)
    everything: list[QuestionText] = []
    lesson_files: list[tuple[str, str | None]] = []
    for number, count in enumerate(_spread(n_questions, n_lessons), start=1):
        topic = _TOPICS[(number - 1) % len(_TOPICS)]
        part = (number - 1) // len(_TOPICS) + 1
        title = topic if part == 1 else f"{topic}, Part {part}"
        lesson_id = f"lesson-{number:03d}"
        section_ids = [f"l{number:03d}-s{s}" for s in range(1, SECTIONS_PER_LESSON + 1)]
        stem = f"{number:03d}-{lesson_id}"
        lesson_figures = figures_of.get(number, {})
        (lessons_dir / f"{stem}.md").write_text(
            _lesson_markdown(writer, number, lesson_id, title, section_ids, lesson_figures, formulas),
            encoding="utf-8")
        questions = []
        for k in range(1, count + 1):
            section = k % len(section_ids)
            # the first question of a section shows the section's first figure
            shown = lesson_figures.get(section, [None])[0] if k <= len(section_ids) else None
            questions.append(_question(writer, f"l{number:03d}-q{k:03d}", number, section_ids[section],
                                       shown, formulas))
        quiz_file = None
        if questions:
            quiz_file = f"lessons/{stem}.quiz.yaml"
            (out_dir / "source" / quiz_file).write_text(_quiz_yaml(title, questions), encoding="utf-8")
        lesson_files.append((f"lessons/{stem}.md", quiz_file))
        everything += questions
    (out_dir / "source" / "course.yaml").write_text(_course_yaml(n_lessons, lesson_files), encoding="utf-8")
    (out_dir / "text2qti.txt").write_text(text2qti_quiz(everything), encoding="utf-8")
    return everything


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n_lessons", type=int)
    parser.add_argument("n_questions", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=SEED, help="change for different (still fixed) text")
    parser.add_argument("--images", type=int, default=0, help="add this many ~100 KB PNG figures")
    parser.add_argument("--formulas", action="store_true", help="add LaTeX formulas to lessons and explanations")
    args = parser.parse_args(argv)
    try:
        questions = generate(args.n_lessons, args.n_questions, args.out_dir, args.seed, images=args.images,
                             formulas=args.formulas)
    except ValueError as error:
        parser.error(str(error))
    print(f"wrote {args.out_dir / 'source'} ({args.n_lessons} lessons, {len(questions)} questions) "
          f"and {args.out_dir / 'text2qti.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
