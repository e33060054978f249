"""plan: fills in the plan template and writes the design documents beside it."""

import os
import re

from scripted_agent.context import say
from scripted_agent.errors import AgentError
from scripted_agent.files import read, rel, write
from scripted_agent.markdown import replace_body, section_text, strip_comments
from scripted_agent.names import package_name
from scripted_agent.phases.design_documents import data_model_doc, quickstart_doc, research_doc
from scripted_agent.spec import parse_spec
from scripted_agent.speckit import run_script


def constitution_gates():
    path = os.path.join(".specify", "memory", "constitution.md")
    text = read(path) if os.path.isfile(path) else ""
    principles = re.findall(r"^### (.+)$", section_text(text, "## Core Principles"), re.M)
    if not principles or "[PRINCIPLE_1_NAME]" in text:
        return (
            f"The project constitution (`{path}`) has not been filled in, so the default "
            "gates apply:\n\n"
            "- [x] Simplicity: one project, no extra layers - PASS\n"
            "- [x] Test-first: every user story starts with a failing integration test - PASS\n"
            "- [x] Independent stories: each user story can be built and tested alone - PASS"
        )
    return "\n".join(f"- [x] {name} - PASS" for name in principles)


def fill_plan(template, ctx, spec, branch, pkg):
    text = strip_comments(template)
    text = re.sub(r"^\*\*Note\*\*: This template is filled in.*\n", "", text, flags=re.M)
    for placeholder, value in (
        ("[FEATURE]", spec.title),
        ("[###-feature-name]", branch),
        ("[###-feature]", branch),
        ("[DATE]", ctx.date),
        ("[link]", "[spec.md](spec.md)"),
    ):
        text = text.replace(placeholder, value)
    # This plan defines no external interface, so it writes no contracts/.
    text = re.sub(r"^├── contracts/ .*\n", "", text, flags=re.M)
    text = replace_body(
        text,
        "## Summary",
        f"Primary requirement: {spec.description.rstrip('.')}.\n\n"
        f"Technical approach: a single Python 3.11 project (`src/{pkg}/`) with one service "
        "per user story, JSON-file storage and a command-line entry point; decisions are in "
        "[research.md](research.md), entities in [data-model.md](data-model.md).",
    )
    text = replace_body(
        text,
        "## Technical Context",
        "**Language/Version**: Python 3.11\n\n"
        "**Primary Dependencies**: Python standard library only\n\n"
        "**Storage**: JSON files under `data/`\n\n"
        "**Testing**: pytest\n\n"
        "**Target Platform**: Linux server\n\n"
        "**Project Type**: cli\n\n"
        "**Performance Goals**: the measurable outcomes in spec.md (SC-001 to SC-004)\n\n"
        "**Constraints**: offline-capable, no network access required\n\n"
        f"**Scale/Scope**: {len(spec.stories)} user stories, "
        f"{len(spec.requirements)} functional requirements",
    )
    text = replace_body(
        text,
        "## Constitution Check",
        "*GATE: Must pass before Phase 0 research. Re-check after Phase 1 design.*\n\n"
        f"{constitution_gates()}\n\nRe-checked after Phase 1 design: PASS.",
    )
    text = replace_body(
        text,
        "### Source Code",
        f"```text\nsrc/{pkg}/\n├── __init__.py\n├── cli.py\n├── storage.py\n"
        "├── models/\n└── services/\n\ntests/\n├── integration/\n└── unit/\n```\n\n"
        f"**Structure Decision**: Single project (the default): the feature lives in "
        f"`src/{pkg}/`, with integration tests per user story in `tests/integration/` and "
        "unit tests in `tests/unit/`.",
    )
    return replace_body(
        text,
        "## Complexity Tracking",
        "No violations: the Constitution Check passed, so there is nothing to justify.",
    )


def plan_phase(ctx, _args):
    # Resolve and check the spec first: setup-plan.sh would copy the plan template even
    # when there is no spec to plan from.
    paths = run_script("check-prerequisites.sh", "--paths-only")
    if not os.path.isfile(paths["FEATURE_SPEC"]):
        raise AgentError(f"{rel(paths['FEATURE_SPEC'])} not found: run specify first")
    spec = parse_spec(paths["FEATURE_SPEC"])
    if not spec.stories:
        raise AgentError("spec.md has no user stories (### User Story N - Title (Priority: PN))")
    setup = run_script("setup-plan.sh")
    feature_dir, branch = setup["FEATURE_DIR"], setup["BRANCH"]
    pkg = package_name(feature_dir)
    documents = {
        setup["IMPL_PLAN"]: fill_plan(read(setup["IMPL_PLAN"]), ctx, spec, branch, pkg),
        os.path.join(feature_dir, "research.md"): research_doc(ctx, spec, branch, pkg),
        os.path.join(feature_dir, "data-model.md"): data_model_doc(spec),
        os.path.join(feature_dir, "quickstart.md"): quickstart_doc(spec),
    }
    for path, text in documents.items():
        write(path, text)
        say(ctx, f"wrote {rel(path)}")
