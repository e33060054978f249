"""specify: creates the feature with Spec Kit's script and fills in its spec template."""

from scripted_agent.context import say
from scripted_agent.errors import AgentError
from scripted_agent.files import read, rel, write
from scripted_agent.markdown import replace_body, replace_sections, strip_comments
from scripted_agent.names import feature_title, focus_words
from scripted_agent.spec import OPEN_QUESTIONS
from scripted_agent.speckit import run_script


def spec_stories(title, description, focus):
    stories = [
        (
            title,
            f'A user asks for "{description}". They start the {focus} flow, '
            "provide the input it needs, and receive the result without outside help.",
            f'This is the core of the request ("{description}"); without it the feature '
            "delivers no value.",
            f"Can be fully tested by completing one {focus} request with valid input and "
            "checking the result; it delivers the main value of the feature on its own.",
            [
                f"**Given** a user with valid input, **When** they start the {focus} flow, "
                "**Then** the request completes and the result is shown to them",
                f"**Given** a completed {focus} request, **When** the user repeats it with the "
                "same input, **Then** they get the same result",
            ],
        ),
        (
            f"Reject invalid {focus} input clearly",
            f"A user makes a mistake while using {focus} (missing or malformed input). The "
            "system refuses the request, explains what is wrong, and changes nothing.",
            "Clear errors prevent wrong results and support requests; it builds on User "
            "Story 1 but can be tested on its own.",
            f"Can be fully tested by submitting an invalid {focus} request and checking that "
            "it is rejected with an explanation and that nothing changed.",
            [
                "**Given** a request with missing input, **When** the user submits it, "
                "**Then** the system rejects it and names the missing input",
                "**Given** a rejected request, **When** the user corrects the input and "
                "submits it again, **Then** the request succeeds",
            ],
        ),
        (
            f"Review past {focus} activity",
            f"A user looks back at earlier {focus} requests to see what happened and when.",
            "Seeing past results builds trust and helps diagnose problems, but the feature "
            "is usable without it.",
            f"Can be fully tested by completing two {focus} requests and checking that both "
            "appear in the history with their outcome.",
            [
                "**Given** two completed requests, **When** the user opens the history, "
                "**Then** both are listed, newest first, with their time and outcome",
            ],
        ),
    ]
    parts = []
    for number, (story_title, journey, why, test, scenarios) in enumerate(stories, start=1):
        numbered = "\n".join(f"{i}. {s}" for i, s in enumerate(scenarios, start=1))
        parts.append(
            f"### User Story {number} - {story_title} (Priority: P{number})\n\n{journey}\n\n"
            f"**Why this priority**: {why}\n\n**Independent Test**: {test}\n\n"
            f"**Acceptance Scenarios**:\n\n{numbered}\n\n---"
        )
    return "\n\n".join(parts)


def spec_requirements(description, focus, clarifications):
    requirements = [
        f'System MUST provide {focus} as requested: "{description}"',
        f"System MUST validate every {focus} request and reject invalid input with a message "
        "that names the problem",
        f"Users MUST be able to see the outcome (success or failure) of each {focus} request",
        f"System MUST persist completed {focus} requests and their results",
        f"System MUST record each {focus} request with its time and outcome so it can be "
        "reviewed later",
    ]
    for requirement, question, _ in OPEN_QUESTIONS[:clarifications]:
        requirements.append(f"{requirement.format(focus=focus)} [NEEDS CLARIFICATION: {question}]")
    return "\n".join(f"- **FR-{i:03d}**: {text}" for i, text in enumerate(requirements, start=1))


def fill_spec(template, ctx, branch, description):
    title = feature_title(description)
    words = focus_words(description)
    focus = " ".join(words)
    entity = " ".join(w if w[:1].isupper() else w.capitalize() for w in words)
    text = strip_comments(template)
    for placeholder, value in (
        ("[FEATURE NAME]", title),
        ("[###-feature-name]", branch),
        ("[DATE]", ctx.date),
        ("$ARGUMENTS", description),
    ):
        text = text.replace(placeholder, value)
    text = replace_sections(text, "### User Story", spec_stories(title, description, focus))
    text = replace_body(
        text,
        "### Edge Cases",
        f"- What happens when the {focus} input is empty? The request is rejected with a "
        "message and nothing changes.\n"
        f"- How does the system handle a failure partway through a {focus} request? The "
        "request is marked failed, partial results are discarded, and the user can retry.\n"
        f"- What happens when the same {focus} request is submitted twice at once? Both "
        "return the same result and no duplicate is stored.",
    )
    text = replace_body(
        text,
        "### Functional Requirements",
        spec_requirements(description, focus, ctx.clarifications),
    )
    text = replace_body(
        text,
        "### Key Entities",
        f"- **{entity} Request**: One use of the feature by a user: who asked, when, the "
        "input provided, and its status.\n"
        f"- **{entity} Result**: The outcome of a request: success or failure, the output "
        "produced or the error message; belongs to exactly one request.",
    )
    text = replace_body(
        text,
        "### Measurable Outcomes",
        f"- **SC-001**: Users complete a {focus} request in under 2 minutes on their first "
        "attempt.\n"
        f"- **SC-002**: 95% of valid {focus} requests succeed on the first try.\n"
        f"- **SC-003**: 100% of invalid {focus} requests are rejected with a message that "
        "names the problem.\n"
        f"- **SC-004**: Completed {focus} requests appear in the history within 5 seconds.",
    )
    return replace_body(
        text,
        "## Assumptions",
        "- Users are already signed in; authentication is provided by the existing system.\n"
        f'- The scope is exactly the request "{description}"; related features are out of '
        "scope for this iteration.\n"
        "- Data volumes are moderate (thousands of records, not millions).\n"
        "- No external service is required; the feature works with the system's existing "
        "data.",
    )


def specify_phase(ctx, args):
    description = " ".join(" ".join(args).split())
    created = run_script("create-new-feature.sh", description)
    spec_file, branch = created["SPEC_FILE"], created["BRANCH_NAME"]
    template = read(spec_file)
    if not template.strip():
        raise AgentError(
            f"{rel(spec_file)} is empty: the spec template is missing "
            "(.specify/templates/spec-template.md); run specify init again"
        )
    write(spec_file, fill_spec(template, ctx, branch, description))
    say(ctx, f"feature {branch}")
    say(ctx, f"created {rel(spec_file)}")
    if ctx.clarifications:
        say(ctx, f"left {ctx.clarifications} [NEEDS CLARIFICATION] marker(s) in spec.md")
