#!/usr/bin/env python3
"""Renders report.html pages in headless Chromium, as a reviewer opens them.

For each page it writes two PNG screenshots under --out: NAME-first-screen.png
(1280 x 900, what a reviewer sees on opening it) and NAME-full.png (the whole
page), with the network disabled. It fails when Chromium logs any console
message for the page (the page has no script, so any message is a load or
parse error), or when a chart renders empty: a copy of the page with a
measuring script appended reports, for every <svg>, its size on screen and
how many data marks (class "mark") have a non-empty box.

    python3 scripts/checks/render_report.py --out ci-artifacts/screenshots evalgate-report/report.html
    python3 scripts/checks/render_report.py --self-test    # the checks catch a broken page
"""
import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

MEASURE = """<script>
(function () {
  var charts = Array.prototype.map.call(document.querySelectorAll('svg'), function (svg) {
    var box = svg.getBoundingClientRect();
    var marks = Array.prototype.filter.call(svg.querySelectorAll('.mark'), function (m) {
      var b = m.getBBox(); return b.width > 0 || b.height > 0;
    });
    var title = svg.querySelector('title');
    return {title: title ? title.textContent : '', width: box.width, height: box.height, marks: marks.length};
  });
  document.body.setAttribute('data-measured', JSON.stringify({height: document.documentElement.scrollHeight, charts: charts}));
})();
</script>"""


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("FAIL: Chromium is not installed (apt-get install -y chromium); .ci/run installs it")


def run(url, *extra):
    """Runs headless Chromium on a file URL; returns (stdout, console lines)."""
    command = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
        "--disable-background-networking", "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND",
        "--enable-logging=stderr", "--v=0", *extra, url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    if done.returncode != 0:
        console.append(f"chromium exited {done.returncode}: {done.stderr[-500:]}")
    return done.stdout, console


def measure(page):
    """The page's height and each chart's rendered size and marks."""
    with open(page, encoding="utf-8") as f:
        text = f.read()
    with tempfile.TemporaryDirectory() as folder:
        copy = os.path.join(folder, "measured.html")
        with open(copy, "w", encoding="utf-8") as f:
            f.write(text.replace("</body>", MEASURE + "</body>", 1))
        dom, _ = run("file://" + copy, "--window-size=1280,900", "--dump-dom")
    found = re.search(r'data-measured="([^"]*)"', dom)
    if not found:
        return None
    return json.loads(html.unescape(found.group(1)))


def check(page, out):
    """Screenshots `page`; returns the problems found."""
    problems = []
    name = os.path.splitext(os.path.basename(page))[0]
    if os.path.basename(os.path.dirname(os.path.abspath(page))) not in ("", "."):
        name = os.path.basename(os.path.dirname(os.path.abspath(page))) + "-" + name
    url = "file://" + os.path.abspath(page)
    measured = measure(page)
    if measured is None:
        return [f"{page}: the page could not be measured (did Chromium load it?)"]
    height = max(900, min(int(measured["height"]) + 20, 30000))
    _, console = run(url, "--window-size=1280,900", f"--screenshot={os.path.join(out, name + '-first-screen.png')}")
    _, console_full = run(url, f"--window-size=1280,{height}", f"--screenshot={os.path.join(out, name + '-full.png')}")
    for line in console + console_full:
        problems.append(f"{page}: Chromium console: {line}")
    charts = measured["charts"]
    if not charts:
        problems.append(f"{page}: no chart rendered")
    for chart in charts:
        if chart["width"] < 50 or chart["height"] < 50 or chart["marks"] == 0:
            problems.append(f"{page}: chart '{chart['title']}' rendered empty ({chart['width']:.0f} x {chart['height']:.0f} px, {chart['marks']} marks)")
    for png in (name + "-first-screen.png", name + "-full.png"):
        if not os.path.exists(os.path.join(out, png)) or os.path.getsize(os.path.join(out, png)) < 1000:
            problems.append(f"{page}: no screenshot {png}")
    if not problems:
        print(f"ok: {page}: {len(charts)} charts rendered with marks, no console message; "
              f"screenshots {out}/{name}-first-screen.png and {name}-full.png (1280 x {height})")
    return problems


def self_test(out):
    """The checks must fail a page with a console error and one with an empty chart."""
    with tempfile.TemporaryDirectory() as folder:
        broken = os.path.join(folder, "console.html")
        with open(broken, "w") as f:
            f.write('<!DOCTYPE html><html><body><svg role="img" width="200" height="200"><title>t</title>'
                    '<rect class="mark" width="50" height="50"/></svg><script>console.error("deliberate")</script></body></html>')
        empty = os.path.join(folder, "empty.html")
        with open(empty, "w") as f:
            f.write('<!DOCTYPE html><html><body><svg role="img" width="200" height="200"><title>e</title>'
                    '<path class="mark" d=""/></svg></body></html>')
        a, b = check(broken, out), check(empty, out)
    ok = any("console" in p for p in a) and any("rendered empty" in p for p in b)
    print(("ok" if ok else "FAIL") + ": self-test: a console error and an empty chart are caught")
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="*")
    parser.add_argument("--out", default="ci-artifacts/screenshots")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.self_test:
        sys.exit(0 if self_test(tempfile.mkdtemp()) else 1)
    problems = [p for page in args.pages for p in check(page, args.out)]
    for p in problems:
        print(f"FAIL: {p}")
    sys.exit(1 if problems or not args.pages else 0)


if __name__ == "__main__":
    main()
