"""What the reader-side browser tests measure in a page, as small JavaScript probes.

Each probe returns a list of human-readable problems (empty = fine), so a failing assertion
says which element, where, and by how much.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO

AXE_JS = REPO / "tests" / "node_modules" / "axe-core" / "axe.min.js"

PROBES = Path(__file__).resolve().parent / "probes"


def probe(name: str) -> str:
    """A JavaScript function expression from tests/site/probes/ (kept as .js to stay readable)."""
    text = (PROBES / name).read_text(encoding="utf-8")
    # Helpers two probes share (visibility, on-screen box, the page's controls) live once.
    text = text.replace("/*CONTROLS*/", (PROBES / "_controls.js").read_text(encoding="utf-8"))
    return "\n".join(line for line in text.splitlines() if not line.startswith("//"))


# Each returns a list of problems. layout: horizontal overflow, controls on top of each other,
# text wider than its box. target_size: WCAG 2.2 (2.5.8) — at least 24 x 24 CSS px unless in a
# sentence or a 24 px square around its centre touches no other target (spacing exception).
# image_sizes(dpr): the file's real width (img.naturalWidth is density-corrected for srcset, so
# a plain Image() of currentSrc is measured) must cover the shown width x dpr.
LAYOUT_PROBLEMS_JS = probe("layout.js")
TARGET_SIZE_JS = probe("target_size.js")
TOO_SMALL_IMAGES_JS = probe("image_sizes.js")
FOCUS_STYLE_JS = probe("focus.js")


def load_everything(page) -> None:
    """Scroll to the end and back so lazy pictures load, then wait for every picture."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + 800, 700):
        page.evaluate(f"window.scrollTo({{top: {y}, behavior: 'instant'}})")
        page.wait_for_timeout(30)
    page.wait_for_function(
        "() => [...document.images].filter(i => i.getBoundingClientRect().width > 0)"
        ".every(i => i.complete)",
        timeout=15000,
    )
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    page.wait_for_function("() => window.scrollY === 0")


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """Run the pinned axe-core (npm, tests only) in ``page``; serious/critical violations."""
    if not AXE_JS.exists():
        pytest.fail(
            f"axe-core is not installed ({AXE_JS.relative_to(REPO)} missing): run `make test`, "
            "which installs it from the npm registry (`npm ci --prefix tests`, pinned by "
            "tests/package-lock.json); "
            "if the registry is unreachable these accessibility tests cannot run."
        )
    # Evaluated through the DevTools protocol, not as a <script>: the site's strict CSP (no
    # inline script) must not stop the test tool, and the page must not need to allow it.
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} — {v['nodes']}"
        for v in result
        if v["impact"] in impacts
    ]
