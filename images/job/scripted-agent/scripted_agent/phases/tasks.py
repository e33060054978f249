"""tasks: fills in the tasks template with one phase per user story, as Spec Kit lays it out."""

import os
import re

from scripted_agent.context import say
from scripted_agent.errors import AgentError
from scripted_agent.files import rel, write
from scripted_agent.markdown import replace_body, replace_sections, strip_comments
from scripted_agent.names import package_name, snake
from scripted_agent.spec import TASK_LINE, parse_spec, service_path, story_for_requirement
from scripted_agent.speckit import run_script


class TaskList:
    """Numbers tasks in the order they are added."""

    def __init__(self):
        self.count = 0

    def line(self, description, parallel=False, story=None):
        self.count += 1
        marks = "".join([" [P]" if parallel else "", f" [{story.label}]" if story else ""])
        return f"- [ ] T{self.count:03d}{marks} {description}"


def entity_file(pkg, name):
    return f"src/{pkg}/models/{snake(name, max_words=4)}.py"


def story_section(tasks, number, story, spec, pkg, last):
    owned = [
        req_id
        for i, (req_id, _) in enumerate(spec.requirements)
        if story_for_requirement(i, spec.stories) is story
    ]
    covers = f" ({', '.join(owned)})" if owned else ""
    test = tasks.line(
        f"Integration test for the User Story {story.number} acceptance scenarios in "
        f"tests/integration/test_us{story.number}_{story.slug}.py",
        parallel=True,
        story=story,
    )
    # Entities serve every story, so they go to the first one (the MVP).
    models = [
        tasks.line(f"Create {name} model in {entity_file(pkg, name)}", parallel=True, story=story)
        for name, _ in (spec.entities if story is spec.stories[0] else [])
    ]
    implementation = [
        *models,
        tasks.line(
            f"Implement the {story.slug} service in {service_path(pkg, story)}{covers}",
            story=story,
        ),
        tasks.line(f"Add the {story.slug} command to src/{pkg}/cli.py", story=story),
    ]
    mvp = " 🎯 MVP" if story is spec.stories[0] else ""
    checkpoint = (
        "All user stories should now be independently functional"
        if last
        else f"At this point, User Story {story.number} should be fully functional and "
        "testable independently"
    )
    return (
        f"## Phase {number}: User Story {story.number} - {story.title} "
        f"(Priority: {story.priority}){mvp}\n\n"
        f"**Goal**: {story.goal}\n\n"
        f"**Independent Test**: {story.independent_test}\n\n"
        f"### Tests for User Story {story.number}\n\n{test}\n\n"
        f"### Implementation for User Story {story.number}\n\n"
        + "\n".join(implementation)
        + f"\n\n**Checkpoint**: {checkpoint}\n\n---"
    )


def task_phases(spec, branch, pkg, feature_dir):
    tasks = TaskList()
    setup = "\n".join(
        [
            tasks.line(f"Create the package skeleton in src/{pkg}/__init__.py"),
            tasks.line("Initialize the Python 3.11 project metadata in pyproject.toml"),
            tasks.line("Configure pytest in tests/conftest.py", parallel=True),
        ]
    )
    foundational = "\n".join(
        [
            tasks.line(f"Create the shared base entity in src/{pkg}/models/base.py"),
            tasks.line(f"Implement JSON file storage in src/{pkg}/storage.py", parallel=True),
            tasks.line(
                f"Configure error handling and logging in src/{pkg}/errors.py", parallel=True
            ),
        ]
    )
    phases = [
        "## Phase 1: Setup (Shared Infrastructure)\n\n"
        f"**Purpose**: Project initialization and basic structure\n\n{setup}\n\n---",
        "## Phase 2: Foundational (Blocking Prerequisites)\n\n"
        "**Purpose**: Core infrastructure that MUST be complete before ANY user story can be "
        "implemented\n\n"
        "**⚠️ CRITICAL**: No user story work can begin until this phase is complete\n\n"
        f"{foundational}\n\n"
        "**Checkpoint**: Foundation ready - user story implementation can now begin in "
        "parallel\n\n---",
    ]
    for offset, story in enumerate(spec.stories):
        last = offset == len(spec.stories) - 1
        phases.append(story_section(tasks, offset + 3, story, spec, pkg, last))
    polish = "\n".join(
        [
            tasks.line(f"Document the feature in docs/{branch}.md", parallel=True),
            tasks.line(
                "Add unit tests for the services in tests/unit/test_services.py", parallel=True
            ),
            tasks.line(f"Run the quickstart.md validation in {rel(feature_dir)}/quickstart.md"),
        ]
    )
    phases.append(
        f"## Phase {len(spec.stories) + 3}: Polish & Cross-Cutting Concerns\n\n"
        f"**Purpose**: Improvements that affect multiple user stories\n\n{polish}\n\n---"
    )
    return "\n\n".join(phases)


def fill_tasks(template, spec, branch, pkg, feature_dir):
    text = strip_comments(template)
    frontmatter = 'description: "Tasks for ' + spec.title.replace('"', "'") + '"'
    text = re.sub(r'^description: ".*"$', lambda _: frontmatter, text, count=1, flags=re.M)
    text = text.replace("[FEATURE NAME]", spec.title).replace("[###-feature-name]", branch)
    text = re.sub(
        r"^\*\*Tests\*\*: .*$",
        "**Tests**: Each user story starts with an integration test built from its "
        "acceptance scenarios in spec.md.",
        text,
        count=1,
        flags=re.M,
    )
    text = replace_sections(text, "## Phase ", task_phases(spec, branch, pkg, feature_dir))
    stories = spec.stories
    last_story_phase = len(stories) + 2
    text = replace_body(
        text,
        "### Phase Dependencies",
        "- **Setup (Phase 1)**: No dependencies - can start immediately\n"
        "- **Foundational (Phase 2)**: Depends on Setup completion - BLOCKS all user stories\n"
        f"- **User Stories (Phase 3-{last_story_phase})**: All depend on Foundational phase "
        "completion, then proceed in parallel or in priority order ("
        + " → ".join(s.priority for s in stories)
        + ")\n"
        f"- **Polish (Phase {last_story_phase + 1})**: Depends on all user stories being "
        "complete",
    )
    text = replace_body(
        text,
        "### User Story Dependencies",
        "\n".join(
            f"- **User Story {s.number} ({s.priority})**: Can start after Foundational "
            "(Phase 2) - "
            + (
                "No dependencies on other stories"
                if s is stories[0]
                else f"uses the models created in User Story {stories[0].number}"
            )
            for s in stories
        ),
    )
    first_story_tasks = re.findall(rf"^- \[ \] T\d+ \[P\] \[{stories[0].label}\] (.*)$", text, re.M)
    return replace_sections(
        text,
        "## Parallel Example",
        f"## Parallel Example: User Story {stories[0].number}\n\n"
        f"```bash\n# Launch the parallel tasks of User Story {stories[0].number} together:\n"
        + "\n".join(f'Task: "{t}"' for t in first_story_tasks)
        + "\n```\n\n---",
    )


def tasks_phase(ctx, _args):
    setup = run_script("setup-tasks.sh")
    feature_dir = setup["FEATURE_DIR"]
    spec = parse_spec(os.path.join(feature_dir, "spec.md"))
    if not spec.stories:
        raise AgentError("spec.md has no user stories (### User Story N - Title (Priority: PN))")
    branch = os.path.basename(feature_dir.rstrip("/"))
    text = fill_tasks(
        setup["TASKS_TEMPLATE_CONTENT"], spec, branch, package_name(feature_dir), feature_dir
    )
    path = os.path.join(feature_dir, "tasks.md")
    write(path, text)
    say(
        ctx,
        f"wrote {rel(path)} ({len(TASK_LINE.findall(text))} tasks, "
        f"{len(spec.stories)} user stories)",
    )
