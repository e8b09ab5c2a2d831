#!/usr/bin/env python3
"""Checks report.html files as a strict HTML5 parser reads them.

For each file: html5lib with strict=True must parse it without a single
parse error; nothing may be loaded from elsewhere (no src/href/xlink:href to
http:, https: or //, no <script>, <link>, <img>, <iframe>, no url() or
@import in styles); every <svg> must be an accessible image (role="img",
a <title> and a <desc>, named by aria-labelledby) and draw at least one
data mark. Exit 1 with one line per problem.

    python3 scripts/checks/check_html.py evalgate-report/report.html [...]
"""
import re
import sys

import html5lib

SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EXTERNAL = re.compile(r"^\s*(https?:|//)", re.I)


def local(tag):
    return tag.split("}", 1)[-1]


def check(path):
    problems = []
    with open(path, "rb") as f:
        data = f.read()
    try:
        document = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(data)
    except html5lib.html5parser.ParseError as error:
        return [f"{path}: not strict HTML5: {error}"]
    charts = 0
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        name = local(element.tag)
        if name in ("script", "link", "img", "iframe", "object", "embed", "base"):
            problems.append(f"{path}: <{name}> is not allowed in a self-contained report")
        for attribute, value in element.attrib.items():
            if local(attribute) in ("src", "href", "action", "data", "srcset") and EXTERNAL.match(value):
                problems.append(f"{path}: <{name} {local(attribute)}=\"{value}\"> loads from elsewhere")
        if name == "style" and re.search(r"url\(|@import", element.text or ""):
            problems.append(f"{path}: a stylesheet loads from elsewhere (url() or @import)")
        if element.tag == SVG + "svg":
            charts += 1
            ids = (element.get("aria-labelledby") or "").split()
            title = element.find(SVG + "title")
            desc = element.find(SVG + "desc")
            if element.get("role") != "img" or title is None or desc is None:
                problems.append(f"{path}: chart {charts} lacks role=img, <title> or <desc>")
            elif [title.get("id"), desc.get("id")] != ids or not (title.text or "").strip() or not (desc.text or "").strip():
                problems.append(f"{path}: chart {charts} is not named by its title and description")
            marks = [e for e in element.iter() if "mark" in (e.get("class") or "").split()]
            if not marks:
                problems.append(f"{path}: chart {charts} ({(title.text if title is not None else '?')}) draws nothing")
    if charts == 0:
        problems.append(f"{path}: no chart at all")
    if not problems:
        print(f"ok: {path}: strict HTML5, self-contained, {charts} charts each with a title, a description and marks")
    return problems


def main():
    problems = [p for path in sys.argv[1:] for p in check(path)]
    for p in problems:
        print(f"FAIL: {p}")
    sys.exit(1 if problems or len(sys.argv) < 2 else 0)


if __name__ == "__main__":
    main()
