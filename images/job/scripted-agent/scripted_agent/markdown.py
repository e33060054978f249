"""Markdown sections.

Templates are edited section by section so their headings, order and untouched text survive;
fenced code is never mistaken for a heading.
"""

import re
from dataclasses import dataclass


@dataclass
class Block:
    level: int  # 0 for the text before the first heading
    heading: str
    body: str


def parse_blocks(text):
    sections = [(0, "", [])]
    in_fence = False
    for line in text.split("\n"):
        if line.startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else re.match(r"^(#{1,6}) ", line)
        if match:
            sections.append((len(match.group(1)), line, []))
        else:
            sections[-1][2].append(line)
    return [
        Block(level, heading, "\n".join(lines).strip("\n")) for level, heading, lines in sections
    ]


def render_blocks(blocks):
    parts = [part for b in blocks for part in (b.heading, b.body) if part]
    return re.sub(r"\n{3,}", "\n\n", "\n\n".join(parts)).strip("\n") + "\n"


def section_end(blocks, start):
    """Index after the section starting at `start`, subsections included."""
    end = start + 1
    while end < len(blocks) and blocks[end].level > blocks[start].level:
        end += 1
    return end


def find_block(blocks, prefix):
    return next((i for i, b in enumerate(blocks) if b.heading.startswith(prefix)), None)


def replace_body(text, heading_prefix, body):
    """Keep the heading that starts with heading_prefix; replace everything under it."""
    blocks = parse_blocks(text)
    i = find_block(blocks, heading_prefix)
    if i is None:
        blocks.append(Block(heading_prefix.count("#"), heading_prefix, body))
    else:
        blocks[i : section_end(blocks, i)] = [Block(blocks[i].level, blocks[i].heading, body)]
    return render_blocks(blocks)


def replace_sections(text, heading_prefix, replacement):
    """Replace every section whose heading starts with heading_prefix by one markdown text."""
    blocks = parse_blocks(text)
    first = None
    i = len(blocks) - 1
    while i >= 0:
        if blocks[i].heading.startswith(heading_prefix):
            del blocks[i : section_end(blocks, i)]
            first = i
        i -= 1
    blocks.insert(len(blocks) if first is None else first, Block(0, "", replacement))
    return render_blocks(blocks)


def section_text(text, heading_prefix):
    """Body of a section including its subsections, or "" when it does not exist."""
    blocks = parse_blocks(text)
    i = find_block(blocks, heading_prefix)
    if i is None:
        return ""
    return render_blocks([Block(0, "", blocks[i].body), *blocks[i + 1 : section_end(blocks, i)]])


def strip_comments(text):
    return re.sub(r"<!--.*?-->\n?", "", text, flags=re.S)
