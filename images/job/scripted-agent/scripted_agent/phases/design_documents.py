"""The design documents plan writes beside plan.md: research, data model and quickstart."""

import itertools

from scripted_agent.spec import answer_for, service_path, story_for_requirement


def research_doc(ctx, spec, branch, pkg):
    rows = []
    for i, (req_id, text) in enumerate(spec.requirements):
        story = story_for_requirement(i, spec.stories)
        cell = text.replace("|", r"\|")  # a bare | would end the table cell
        rows.append(
            f"| {req_id} | {cell} | User Story {story.number}: `{service_path(pkg, story)}` |"
        )
    rows = "\n".join(rows)
    if spec.questions:
        questions = "\n\n".join(
            f"### {q}\n\n- **Decision**: {answer_for(q)}\n"
            "- **Rationale**: the spec leaves this open; this default keeps the plan moving "
            "and can be revised by clarify\n"
            "- **Alternatives considered**: blocking the plan until the question is answered"
            for q in spec.questions
        )
    else:
        questions = "None: spec.md leaves no question open."
    return (
        f"# Research: {spec.title}\n\n"
        f"**Feature**: `{branch}` | **Date**: {ctx.date} | **Spec**: [spec.md](spec.md)\n\n"
        "## Technical decisions\n\n"
        "### Language and runtime\n\n"
        "- **Decision**: Python 3.11 with the standard library only\n"
        "- **Rationale**: available on the target platform, no third-party dependencies to "
        "vet or install\n"
        "- **Alternatives considered**: TypeScript on Node.js (needs a build step), Go (a "
        "compiled toolchain for a small feature)\n\n"
        "### Storage\n\n"
        "- **Decision**: JSON files under `data/`, one per request\n"
        "- **Rationale**: simple, inspectable, and enough for the moderate volumes assumed "
        "in spec.md\n"
        "- **Alternatives considered**: SQLite (more setup than needed), PostgreSQL (a "
        "server for a single-process tool)\n\n"
        "### Testing\n\n"
        "- **Decision**: pytest, one integration test per user story plus unit tests\n"
        "- **Rationale**: the acceptance scenarios in spec.md translate directly into "
        "integration tests\n"
        "- **Alternatives considered**: unittest (more boilerplate)\n\n"
        "## Requirements\n\n"
        "| Requirement | Text | Implemented by |\n"
        "|-------------|------|----------------|\n"
        f"{rows}\n\n"
        f"## Open questions\n\n{questions}\n"
    )


def data_model_doc(spec):
    entities = spec.entities or [(f"{spec.title} Record", "One use of the feature.")]
    sections = []
    for name, description in entities:
        sections.append(
            f"## {name}\n\n{description}\n\n"
            "| Field | Type | Rules |\n"
            "|-------|------|-------|\n"
            "| id | string | required, unique, assigned by the system |\n"
            "| created_at | timestamp (UTC) | required, set on creation |\n"
            "| status | enum: pending, succeeded, failed | required, starts as pending |"
        )
    relationships = (
        "\n".join(
            f"- Each **{b}** refers to exactly one **{a}**."
            for (a, _), (b, _) in itertools.pairwise(entities)
        )
        or "- None: the feature has a single entity."
    )
    rules = "\n".join(f"- {req_id}: {text}" for req_id, text in spec.requirements)
    return (
        f"# Data Model: {spec.title}\n\n"
        "Derived from the Key Entities and Functional Requirements in [spec.md](spec.md).\n\n"
        + "\n\n".join(sections)
        + f"\n\n## Relationships\n\n{relationships}\n\n"
        "## State transitions\n\n"
        "`pending` → `succeeded` | `failed`. No other transitions: a failed request is "
        "retried as a new request.\n\n"
        f"## Validation rules\n\n{rules}\n"
    )


def quickstart_doc(spec):
    stories = "\n\n".join(
        f"### User Story {s.number} - {s.title}\n\n"
        + "\n".join(s.scenarios)
        + f"\n\nRun: `pytest tests/integration/test_us{s.number}_{s.slug}.py`"
        for s in spec.stories
    )
    return (
        f"# Quickstart: {spec.title}\n\n"
        "## Prerequisites\n\n- Python 3.11\n- pytest\n\n"
        "## Setup\n\n"
        "```bash\npython3 -m venv .venv && . .venv/bin/activate\n"
        "python3 -m pip install -e . pytest\n```\n\n"
        f"## Validate the user stories\n\n{stories}\n\n"
        "## Run all tests\n\n```bash\npytest\n```\n"
    )
