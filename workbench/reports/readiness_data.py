"""The report data of seed 003's go-live sections, the document control and the definitions.

Plain frozen data like the rest of reports/data.py: services/report_extras.py fills it from the matrix
rows of the engagement, the framework snapshot and the glossary; the sections only read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Strength:
    area: str
    note: str


@dataclass(frozen=True)
class TestResult:
    test: str
    outcome: str  # passed | caution | not_tested
    note: str


@dataclass(frozen=True)
class ReadinessArea:
    area: str
    score: float | None  # per cent
    status: str  # good | fair | partial | limited | poor
    risk: str  # low | medium | high
    note: str


@dataclass(frozen=True)
class ChecklistEntry:
    item: str
    priority: str  # must | should | nice
    status: str  # open | done
    owner: str


@dataclass(frozen=True)
class Restriction:
    restriction: str
    note: str


@dataclass(frozen=True)
class GoLiveItem:
    item: str
    area: str  # documentation | training | communication
    status: str  # open | done


@dataclass(frozen=True)
class SuccessCriterion:
    criterion: str
    horizon: str  # day1 | week1 | month1


@dataclass(frozen=True)
class OpenQuestion:
    topic: str
    question: str
    answer: str


@dataclass(frozen=True)
class Readiness:
    strengths: tuple[Strength, ...] = ()
    tests: tuple[TestResult, ...] = ()
    areas: tuple[ReadinessArea, ...] = ()
    checklist: tuple[ChecklistEntry, ...] = ()
    restrictions: tuple[Restriction, ...] = ()
    golive: tuple[GoLiveItem, ...] = ()
    success: tuple[SuccessCriterion, ...] = ()
    questions: tuple[OpenQuestion, ...] = ()

    @property
    def empty(self) -> bool:
        return not any((self.strengths, self.tests, self.areas, self.checklist, self.restrictions, self.golive,
                        self.success, self.questions))


@dataclass(frozen=True)
class ReportVersion:
    version: str
    date: str
    author: str
    change: str


@dataclass(frozen=True)
class Recipient:
    name: str
    organisation: str
    purpose: str


@dataclass(frozen=True)
class DocumentControl:
    versions: tuple[ReportVersion, ...] = ()
    distribution: tuple[Recipient, ...] = ()


@dataclass(frozen=True)
class Definitions:
    severities: tuple[tuple[str, str], ...] = ()  # (severity, meaning), most severe first
    levels: tuple[tuple[int, str, str], ...] = ()  # (level, name, description) of the framework
    glossary: tuple[tuple[str, str], ...] = ()  # (term, definition), alphabetical
