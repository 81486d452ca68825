"""Every picture is sharp and no bigger than needed: the rendition the browser picks from
srcset/sizes is at least as wide as the picture is shown, times the screen's pixel ratio."""

from __future__ import annotations

import pytest

from tests.site.browser_checks import TOO_SMALL_IMAGES_JS, load_everything

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_natural_width_covers_rendered_width_times_dpr(live_server, browser, demo_site):
    problems = []
    for width in (360, 768, 1366):
        for dpr in (1, 2):
            context = browser.new_context(
                viewport={"width": width, "height": 900}, device_scale_factor=dpr, locale="ar"
            )
            page = context.new_page()
            for url in (demo_site.home, demo_site.section, demo_site.article, demo_site.gallery):
                page.goto(live_server.url + url)
                load_everything(page)
                shown = page.evaluate(
                    "[...document.images].filter(i => i.getBoundingClientRect().width > 0).length"
                )
                assert shown >= 2, (url, width, "pictures expected on the page")
                for problem in page.evaluate(TOO_SMALL_IMAGES_JS, dpr):
                    problems.append(f"{width}px x{dpr} {url}: {problem}")
            context.close()
    assert problems == [], "\n".join(problems)
