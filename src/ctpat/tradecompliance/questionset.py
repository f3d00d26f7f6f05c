"""The question-set files: their format, parsed and checked, and written back out.

Pure: YAML text in, a ``QuestionSet`` out, or a ``QuestionSetError`` listing every problem — so
the data migration and the publish service load a whole question set or nothing. A published
version can be written back to the same format (``dump``), edited, and published as the next
version.

Format (UTF-8 YAML; ``data/questionnaire_v1.yaml`` is the example)::

    format: ctpat-tc-questionnaire/1
    label: short name of the version
    notes: what the version changes and why
    sections:                       # in the order they are asked; each key at most once
      - key: eligibility            # choices.SectionKey
        title: Eligibility questionnaire
        guidance: |                 # handbook guidance, our words; paragraphs by blank lines
          ...
        sources: [public citations, ...]  # title, publisher, date, link; never internal notes
        questions:                  # numbered 1, 2, ... in this order within the section
          - code: ELIG-01           # stable across versions: answers follow the code
            text: the question
            answer: yes_no          # choices.AnswerType; eligibility questions are yes_no
            required: true          # optional, default true
            help: optional help text
            source: its public citation (required; internal notes are refused)
            confidence: V           # V, I or K (choices.Confidence)
            msc: ["3.9"]            # optional: MSC criterion IDs asking the same thing
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ctpat.core.citations import source_problem

from . import rules
from .choices import AnswerType, Confidence, SectionKey

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_QUESTION_SET = DATA_DIR / "questionnaire_v1.yaml"
FORMAT = "ctpat-tc-questionnaire/1"

# Longest values accepted, shared with the models.
LABEL_MAX_LENGTH = 120
NOTES_MAX_LENGTH = 4000
TITLE_MAX_LENGTH = 200
GUIDANCE_MAX_LENGTH = 20000
SOURCE_MAX_LENGTH = 300
SOURCES_MAX_COUNT = 20
CODE_MAX_LENGTH = 32
TEXT_MAX_LENGTH = 2000
HELP_MAX_LENGTH = 4000
MSC_MAX_COUNT = 20
MAX_QUESTIONS_PER_SECTION = 200
# "ELIG-01", "IC-CLASS", "FL-MAPPING": capitals and digits in dash-separated parts.
CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")

TOP_KEYS = frozenset({"format", "label", "notes", "sections"})
SECTION_KEYS = frozenset({"key", "title", "guidance", "sources", "questions"})
QUESTION_KEYS = frozenset(
    {"code", "text", "answer", "required", "help", "source", "confidence", "msc"}
)
# The readiness check answers eligibility questions Yes or No (rules.eligibility).
SECTION_ANSWER_TYPES: dict[str, frozenset[str]] = {
    SectionKey.ELIGIBILITY: frozenset({AnswerType.YES_NO}),
}


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    number: int
    text: str
    answer_type: str
    required: bool
    help: str
    source: str
    confidence: str
    msc_criteria: tuple[str, ...]


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    guidance: str
    sources: tuple[str, ...]
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class QuestionSet:
    label: str
    notes: str
    sections: tuple[SectionSpec, ...]

    def questions(self) -> list[QuestionSpec]:
        return [q for section in self.sections for q in section.questions]

    def content(self) -> tuple:
        """Everything but the label and notes: two versions with equal content ask the same."""
        return self.sections


class QuestionSetError(ValueError):
    """The question set cannot be loaded; ``problems`` says where and why."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"The question set has {len(problems)} problem(s):\n{lines}")


def _at(where: str, key: str) -> str:
    return _at(where, key) if where else key


class _Checker:
    def __init__(self):
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    def mapping(self, value, where: str, allowed: frozenset[str]) -> dict | None:
        if not isinstance(value, dict):
            self.add(where, "Expected a mapping of names to values.")
            return None
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            self.add(where, f"Unknown key(s): {', '.join(unknown)}.")
        return value

    def text(self, data: dict, key: str, where: str, limit: int, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.add(_at(where, key), "A value is required.")
            return ""
        if not isinstance(value, str):
            self.add(_at(where, key), "Expected text.")
            return ""
        value = value.strip()
        if required and not value:
            self.add(_at(where, key), "A value is required.")
        if len(value) > limit:
            self.add(_at(where, key), f"Longer than {limit} characters.")
        if "\x00" in value:
            self.add(_at(where, key), "Contains a NUL character.")
        return value

    def text_list(self, data: dict, key: str, where: str, limit: int, count: int) -> list[str]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(_at(where, key), "Expected a list.")
            return []
        if len(value) > count:
            self.add(_at(where, key), f"More than {count} entries.")
            return []
        items = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.add(f"{_at(where, key)}[{i}]", "Expected non-empty text.")
            elif len(item) > limit:
                self.add(f"{_at(where, key)}[{i}]", f"Longer than {limit} characters.")
            else:
                items.append(item.strip())
        return items


def _question(check: _Checker, raw, where: str, number: int, section: str) -> QuestionSpec | None:
    data = check.mapping(raw, where, QUESTION_KEYS)
    if data is None:
        return None
    code = check.text(data, "code", where, CODE_MAX_LENGTH)
    if code and not CODE_PATTERN.match(code):
        check.add(
            f"{where}.code",
            f"'{code}' is not a question code: capitals and digits in dash-separated parts, "
            "e.g. ELIG-01 or FL-MAPPING.",
        )
    answer = data.get("answer")
    if answer not in AnswerType.values:
        check.add(f"{where}.answer", f"Use one of: {', '.join(AnswerType.values)}.")
    elif section in SECTION_ANSWER_TYPES and answer not in SECTION_ANSWER_TYPES[section]:
        allowed = ", ".join(sorted(SECTION_ANSWER_TYPES[section]))
        check.add(f"{where}.answer", f"Questions in '{section}' are answered {allowed}.")
    required = data.get("required", True)
    if not isinstance(required, bool):
        check.add(f"{where}.required", "Use true or false.")
    confidence = data.get("confidence")
    if confidence not in Confidence.values:
        check.add(f"{where}.confidence", f"Use one of: {', '.join(Confidence.values)}.")
    msc = data.get("msc", [])
    if not isinstance(msc, list) or len(msc) > MSC_MAX_COUNT:
        check.add(f"{where}.msc", f"Expected a list of at most {MSC_MAX_COUNT} criterion IDs.")
        msc = []
    if any(not isinstance(m, str) for m in msc):
        check.add(f"{where}.msc", 'Write criterion IDs as quoted text, e.g. "3.9" or "3.10".')
        msc = [m for m in msc if isinstance(m, str)]
    for problem in rules.msc_mapping_problems(msc):
        check.add(f"{where}.msc", problem)
    source = check.text(data, "source", where, SOURCE_MAX_LENGTH)
    if problem := source_problem(source):
        check.add(f"{where}.source", problem)
    return QuestionSpec(
        code=code,
        number=number,
        text=check.text(data, "text", where, TEXT_MAX_LENGTH),
        answer_type=answer if answer in AnswerType.values else "",
        required=required is True,
        help=check.text(data, "help", where, HELP_MAX_LENGTH, required=False),
        source=source,
        confidence=confidence if confidence in Confidence.values else "",
        msc_criteria=tuple(msc),
    )


def _section(check: _Checker, raw, where: str) -> SectionSpec | None:
    data = check.mapping(raw, where, SECTION_KEYS)
    if data is None:
        return None
    key = data.get("key")
    if key not in SectionKey.values:
        check.add(f"{where}.key", f"Use one of: {', '.join(SectionKey.values)}.")
        key = ""
    questions_raw = data.get("questions")
    questions: list[QuestionSpec] = []
    if not isinstance(questions_raw, list) or not questions_raw:
        check.add(f"{where}.questions", "Expected a non-empty list of questions.")
    elif len(questions_raw) > MAX_QUESTIONS_PER_SECTION:
        check.add(f"{where}.questions", f"More than {MAX_QUESTIONS_PER_SECTION} questions.")
    else:
        for i, raw_question in enumerate(questions_raw):
            question = _question(check, raw_question, f"{where}.questions[{i}]", i + 1, key)
            if question is not None:
                questions.append(question)
    sources = check.text_list(data, "sources", where, SOURCE_MAX_LENGTH, SOURCES_MAX_COUNT)
    for i, item in enumerate(sources):
        if problem := source_problem(item):
            check.add(f"{where}.sources[{i}]", problem)
    return SectionSpec(
        key=key,
        title=check.text(data, "title", where, TITLE_MAX_LENGTH),
        guidance=check.text(data, "guidance", where, GUIDANCE_MAX_LENGTH),
        sources=tuple(sources),
        questions=tuple(questions),
    )


def parse(data) -> QuestionSet:
    """A question set from the decoded document, or QuestionSetError with every problem."""
    check = _Checker()
    top = check.mapping(data, "", TOP_KEYS)
    if top is None:
        raise QuestionSetError(check.problems)
    if top.get("format") != FORMAT:
        check.add("format", f"Expected '{FORMAT}'.")
    label = check.text(top, "label", "", LABEL_MAX_LENGTH)
    notes = check.text(top, "notes", "", NOTES_MAX_LENGTH, required=False)
    sections: list[SectionSpec] = []
    raw_sections = top.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        check.add("sections", "Expected a non-empty list of sections.")
    elif len(raw_sections) > len(SectionKey.values):
        check.add("sections", f"At most {len(SectionKey.values)} sections.")
    else:
        for i, raw in enumerate(raw_sections):
            section = _section(check, raw, f"sections[{i}]")
            if section is not None:
                sections.append(section)
    keys = [s.key for s in sections if s.key]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        check.add("sections", f"Section '{key}' appears more than once.")
    if sections and SectionKey.ELIGIBILITY not in keys:
        check.add("sections", "The eligibility section is required.")
    codes = [q.code for s in sections for q in s.questions if q.code]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        check.add("sections", f"Question code {code} is used more than once.")
    if check.problems:
        raise QuestionSetError(check.problems)
    return QuestionSet(label=label, notes=notes, sections=tuple(sections))


class _Loader(yaml.SafeLoader):
    """The safe loader, reporting an impossible date (2024-02-30) where it is, as YAML
    reports its other errors, instead of failing with a bare ValueError."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"'{node.value}' is not a real date ({exc})", node.start_mark
            ) from exc


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def loads(text: str) -> QuestionSet:
    """Parse YAML text (safe loader: plain data only)."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise QuestionSetError([f"{where}: {problem}" if where else problem]) from exc
    except RecursionError as exc:
        raise QuestionSetError(["The document is nested too deeply."]) from exc
    return parse(data)


def read(path: Path = SHIPPED_QUESTION_SET) -> QuestionSet:
    return loads(path.read_text(encoding="utf-8"))


# --- Writing a question set back out -------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def as_document(question_set: QuestionSet) -> dict:
    def question(q: QuestionSpec) -> dict:
        data = {"code": q.code, "text": q.text, "answer": q.answer_type}
        if not q.required:
            data["required"] = False
        if q.help:
            data["help"] = q.help
        data["source"] = q.source
        data["confidence"] = q.confidence
        if q.msc_criteria:
            data["msc"] = list(q.msc_criteria)
        return data

    return {
        "format": FORMAT,
        "label": question_set.label,
        "notes": question_set.notes,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "sources": list(s.sources),
                "guidance": s.guidance + "\n" if s.guidance else "",
                "questions": [question(q) for q in s.questions],
            }
            for s in question_set.sections
        ],
    }


def dump(question_set: QuestionSet) -> str:
    """YAML text that ``loads`` reads back to an equal question set."""
    return yaml.dump(
        as_document(question_set),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
