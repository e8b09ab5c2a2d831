#!/usr/bin/env python3
"""Fails when a function, initializer, accessor or computed property in the
given Swift files has a body of more than --max lines (60 by default),
unless a comment line starting with "Kept whole:" within the eight lines
above its declaration says why (a hot loop that must stay in one piece, or
a literal such as a schema).

    python3 scripts/checks/function_length.py [--max 60] Sources

A body's length is the number of lines between its opening and closing
braces. Strings and comments are skipped when braces are counted.
"""
import argparse
import pathlib
import re
import sys

DECLARATION = re.compile(
    r"^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*"
    r"(?:(?:public|package|private|fileprivate|internal|static|class|final|override|mutating|nonmutating"
    r"|convenience|required|nonisolated|consuming|borrowing|lazy)\s+)*"
    r"(func\s+[^\s(<]+|init[?!]?|deinit|subscript|var\s+\w+\s*:[^=]*\{)"
)
MARKER = re.compile(r"^\s*///?\s*Kept whole:")


def code_only(lines):
    """Each line with its strings and comments blanked out."""
    out, block, multiline = [], False, False
    for line in lines:
        kept, i = [], 0
        while i < len(line):
            if block:
                end = line.find("*/", i)
                if end < 0:
                    break
                block, i = False, end + 2
                continue
            if multiline:
                end = line.find('"""', i)
                if end < 0:
                    break
                multiline, i = False, end + 3
                continue
            if line.startswith("//", i):
                break
            if line.startswith("/*", i):
                block, i = True, i + 2
                continue
            if line.startswith('"""', i):
                multiline, i = True, i + 3
                continue
            if line[i] == '"':
                j = i + 1
                while j < len(line) and line[j] != '"':
                    j += 2 if line[j] == "\\" else 1
                i = j + 1
                continue
            kept.append(line[i])
            i += 1
        out.append("".join(kept))
    return out


def long_bodies(path, limit):
    lines = path.read_text().split("\n")
    stack, depth, pending = [], 0, None
    for number, code in enumerate(code_only(lines), 1):
        match = DECLARATION.match(code)
        if match and pending is None:
            pending = (match.group(1).strip(), number)
        for char in code:
            if char == "{":
                depth += 1
                if pending is not None:
                    stack.append((pending[0], pending[1], number, depth))
                    pending = None
            elif char == "}":
                if stack and stack[-1][3] == depth:
                    name, declared, opened, _ = stack.pop()
                    length = number - opened - 1
                    above = lines[max(0, declared - 9):declared - 1]
                    if length > limit and not any(MARKER.match(line) for line in above):
                        yield declared, name, length
                depth -= 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max", type=int, default=60)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    files = []
    for path in map(pathlib.Path, args.paths):
        files += sorted(path.rglob("*.swift")) if path.is_dir() else [path]
    found = 0
    for path in files:
        for line, name, length in long_bodies(path, args.max):
            print(f"{path}:{line}: {name} has a body of {length} lines, more than {args.max}; "
                  f"split it, or say why it stays whole in a comment starting with 'Kept whole:'")
            found += 1
    if found:
        sys.exit(1)
    print(f"ok: no body over {args.max} lines in {len(files)} files")


if __name__ == "__main__":
    main()
