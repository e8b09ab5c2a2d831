#!/usr/bin/env python3
"""Renders summary.md files to HTML as GitHub would (GFM tables) and checks
that every table survived: same row count as in the Markdown, every row
with as many cells as its header, no stray pipes or raw HTML tags in cells.

    python3 scripts/checks/render_summary.py evalgate-report/summary.md [...]

Writes summary.html beside each file, to look at in a browser.
"""
import re
import sys

from markdown_it import MarkdownIt


def check(path):
    text = open(path, encoding="utf-8").read()
    size = len(text.encode("utf-8"))
    assert size <= 1024 * 1024, f"{path}: {size} bytes, over GitHub's 1 MiB step-summary limit"
    md = MarkdownIt("gfm-like", {"linkify": False}).disable("linkify")
    html = md.render(text)
    with open(path[:-3] + ".html", "w", encoding="utf-8") as f:
        f.write("<!doctype html><meta charset=utf-8><body style='font-family:sans-serif'>" + html)
    tables_md = []
    current = []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables_md.append(current)
            current = []
    if current:
        tables_md.append(current)
    tables_html = re.findall(r"<table>(.*?)</table>", html, re.S)
    assert len(tables_md) == len(tables_html), f"{path}: {len(tables_md)} tables in Markdown, {len(tables_html)} rendered"
    for lines, table in zip(tables_md, tables_html):
        rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
        assert len(rows) == len(lines) - 1, f"{path}: table with {len(lines) - 1} rows rendered {len(rows)}"
        width = len(re.findall(r"<th", rows[0]))
        for row in rows[1:]:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            assert len(cells) == width, f"{path}: row has {len(cells)} cells, header {width}: {row[:200]}"
    return len(tables_html)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(f"ok: {path} renders {check(path)} GFM tables")
