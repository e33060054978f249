"""The spec as later phases read it back, and the questions specify may leave open."""

import re
from dataclasses import dataclass

from scripted_agent.files import read
from scripted_agent.markdown import parse_blocks, section_text
from scripted_agent.names import snake

# Questions specify may leave open, each with the requirement it belongs to and the answer
# clarify gives. The questions do not name the feature so clarify can look them up verbatim.
OPEN_QUESTIONS = (
    (
        "System MUST make {focus} available to",
        "Which users may use this feature: all users or administrators only?",
        "all authenticated users",
    ),
    (
        "System MUST retain {focus} records for",
        "How long must records of this feature be retained?",
        "90 days",
    ),
    (
        "System MUST accept {focus} requests of up to",
        "What is the largest single request that must be supported?",
        "10,000 items",
    ),
    (
        "System MUST report failed {focus} requests through",
        "Which channel must report failures: an on-screen message only, or also email?",
        "an on-screen message only",
    ),
    (
        "System MUST run {focus}",
        "Must this feature work offline?",
        "online only (offline use is out of scope)",
    ),
)
DEFAULT_ANSWER = "the common industry default, recorded as an assumption"
MARKER = re.compile(r"\[NEEDS CLARIFICATION: ([^\]]*)\]")

# A task of tasks.md (read back by analyze and implement) and a user story's heading in spec.md.
TASK_LINE = re.compile(r"^- \[( |x|X)\] (T\d+) (.*)$", re.M)
STORY_HEADING = re.compile(r"^### User Story (\d+) - (.*?) \(Priority: (P\d+)\)")


@dataclass
class Story:
    number: int
    title: str
    priority: str
    goal: str
    independent_test: str
    scenarios: list

    @property
    def label(self):
        return f"US{self.number}"

    @property
    def slug(self):
        return snake(self.title)


@dataclass
class Spec:
    title: str
    description: str
    stories: list
    requirements: list  # (id, text)
    entities: list  # (name, description)
    questions: list


def parse_spec(path):
    text = read(path)
    title = re.search(r"^# Feature Specification: (.*)$", text, re.M)
    description = re.search(r'^\*\*Input\*\*: User description: "(.*)"$', text, re.M)
    stories = []
    for block in parse_blocks(text):
        match = STORY_HEADING.match(block.heading)
        if not match:
            continue
        lines = [line.strip() for line in block.body.splitlines() if line.strip()]
        test = next((ln for ln in lines if ln.startswith("**Independent Test**:")), "")
        stories.append(
            Story(
                number=int(match.group(1)),
                title=match.group(2),
                priority=match.group(3),
                goal=next((ln for ln in lines if not ln.startswith("**")), match.group(2)),
                independent_test=test.removeprefix("**Independent Test**:").strip(),
                scenarios=[ln for ln in lines if re.match(r"^\d+\. ", ln)],
            )
        )
    entities_text = section_text(text, "### Key Entities")
    return Spec(
        title=title.group(1).strip() if title else "Feature",
        description=description.group(1) if description else "",
        stories=stories,
        requirements=re.findall(r"^- \*\*(FR-\d+)\*\*: (.*)$", text, re.M),
        entities=re.findall(r"^- \*\*([^*]+)\*\*: (.*)$", entities_text, re.M),
        questions=MARKER.findall(text),
    )


def story_for_requirement(index, stories):
    """Requirements are dealt to the stories in turn so every one has an owner."""
    return stories[index % len(stories)]


def service_path(pkg, story):
    return f"src/{pkg}/services/{story.slug}.py"


def answer_for(question):
    return next((a for _, q, a in OPEN_QUESTIONS if q == question.strip()), DEFAULT_ANSWER)
