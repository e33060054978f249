"""clarify: answers the spec's [NEEDS CLARIFICATION] markers and records the answers."""

import os

from scripted_agent.context import say
from scripted_agent.errors import AgentError
from scripted_agent.files import read, rel, write
from scripted_agent.markdown import Block, find_block, parse_blocks, render_blocks, section_end
from scripted_agent.spec import MARKER, answer_for
from scripted_agent.speckit import run_script


def record_clarifications(text, date, answered):
    """Add the Q/A bullets under `## Clarifications` / `### Session <date>`, as Spec Kit does."""
    bullets = "\n".join(f"- Q: {q} → A: {a}" for q, a in answered)
    session = f"### Session {date}"
    blocks = parse_blocks(text)
    top = find_block(blocks, "## Clarifications")
    if top is None:
        # Right after the overview, before the first mandatory section.
        first_section = next((i for i, b in enumerate(blocks) if b.level == 2), len(blocks))
        blocks[first_section:first_section] = [
            Block(2, "## Clarifications", ""),
            Block(3, session, bullets),
        ]
        return render_blocks(blocks)
    end = section_end(blocks, top)
    existing = next((i for i in range(top, end) if blocks[i].heading == session), None)
    if existing is None:
        blocks.insert(end, Block(3, session, bullets))
    else:
        blocks[existing].body = f"{blocks[existing].body}\n{bullets}".strip("\n")
    return render_blocks(blocks)


def clarify_phase(ctx, _args):
    paths = run_script("check-prerequisites.sh", "--paths-only")
    spec_file = paths["FEATURE_SPEC"]
    if not os.path.isfile(spec_file):
        raise AgentError(f"{rel(spec_file)} not found: run specify first")
    text = read(spec_file)
    questions = MARKER.findall(text)
    if not questions:
        say(ctx, f"no [NEEDS CLARIFICATION] markers in {rel(spec_file)}: nothing to clarify")
        return
    answered = [(q.strip(), answer_for(q)) for q in questions]
    text = MARKER.sub(lambda m: answer_for(m.group(1)), text)
    write(spec_file, record_clarifications(text, ctx.date, answered))
    for question, answer in answered:
        say(ctx, f"Q: {question} -> A: {answer}")
    say(ctx, f"resolved {len(answered)} marker(s) in {rel(spec_file)}")
