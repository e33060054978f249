"""analyze: reports on spec, plan and tasks without changing a file."""

import os
import re

from scripted_agent.context import say
from scripted_agent.files import read, rel
from scripted_agent.spec import TASK_LINE, parse_spec
from scripted_agent.speckit import run_script


def analyze_phase(ctx, _args):
    checked = run_script(
        "check-prerequisites.sh", "--require-spec", "--require-tasks", "--include-tasks"
    )
    feature_dir = checked["FEATURE_DIR"]
    spec_file = os.path.join(feature_dir, "spec.md")
    spec = parse_spec(spec_file)
    tasks_text = read(os.path.join(feature_dir, "tasks.md"))
    task_lines = TASK_LINE.findall(tasks_text)
    findings = []
    coverage = []
    for req_id, _ in spec.requirements:
        ids = [tid for _, tid, desc in task_lines if re.search(rf"\b{req_id}\b", desc)]
        coverage.append((req_id, ids))
        if not ids:
            findings.append(
                (
                    "Coverage",
                    "HIGH",
                    "spec.md",
                    f"{req_id} has no task",
                    f"add a task that references {req_id}",
                )
            )
    if spec.questions:
        findings.append(
            (
                "Ambiguity",
                "HIGH",
                "spec.md",
                f"{len(spec.questions)} [NEEDS CLARIFICATION] marker(s) remain",
                "run clarify",
            )
        )
    for story in spec.stories:
        if f"[{story.label}]" not in tasks_text:
            findings.append(
                (
                    "Coverage",
                    "MEDIUM",
                    "tasks.md",
                    f"User Story {story.number} has no task",
                    "run tasks again",
                )
            )
    for name in ("spec.md", "plan.md", "tasks.md"):
        path = os.path.join(feature_dir, name)
        leftovers = (
            re.findall(
                r"\[FEATURE(?: NAME)?\]|\[DATE\]|\[###-feature(?:-name)?\]"
                r"|\$ARGUMENTS",
                read(path),
            )
            if os.path.isfile(path)
            else []
        )
        if leftovers:
            findings.append(
                (
                    "Placeholder",
                    "MEDIUM",
                    name,
                    f"template placeholders remain: {', '.join(sorted(set(leftovers)))}",
                    "fill them in",
                )
            )

    print("## Specification Analysis Report\n")
    print(f"Feature: {rel(feature_dir)}\n")
    if findings:
        print("| ID | Category | Severity | Location(s) | Summary | Recommendation |")
        print("|----|----------|----------|-------------|---------|----------------|")
        for i, (category, severity, where, summary, fix) in enumerate(findings, start=1):
            print(f"| F{i} | {category} | {severity} | {where} | {summary} | {fix} |")
    else:
        print("No issues found.")
    print("\n### Coverage Summary\n")
    print("| Requirement | Has Task? | Task IDs |")
    print("|-------------|-----------|----------|")
    for req_id, ids in coverage:
        print(f"| {req_id} | {'yes' if ids else 'no'} | {', '.join(ids)} |")
    covered = sum(1 for _, ids in coverage if ids)
    percent = 100 * covered // len(coverage) if coverage else 100
    print("\n### Metrics\n")
    print(f"- Total requirements: {len(coverage)}")
    print(f"- Total tasks: {len(task_lines)}")
    print(f"- Coverage: {percent}% ({covered}/{len(coverage)} requirements with >=1 task)")
    print(f"- Open clarification markers: {len(spec.questions)}")
    print(f"- Findings: {len(findings)}")
    say(ctx, f"{len(findings)} finding(s); no files changed")
