"""Every kind of email, rendered as readers get it, checked for structure and looked at in
Chromium at 360 and 600 px, light and dark (screenshots in tests/artifacts/)."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from akhbar.newsletters import messages, render, sending
from akhbar.newsletters.models import Edition, NewsletterList
from tests import factories as f
from tests.conftest import screenshot
from tests.newsroom.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AKHBAR_SITE_URL = "https://news.example.org"
    settings.AKHBAR = {**settings.AKHBAR, "NEWSLETTER_FROM": "news@news.example.org"}
    messages.dkim_key.cache_clear()


def _with_image(**kwargs):
    a = f.article(**kwargs)
    a.image_alt = "مشهد من وسط المدينة صباح اليوم"
    a.featured_image.save("lead.jpg", SimpleUploadedFile("lead.jpg", jpeg_bytes(1200, 800)))
    a.save()
    return a


def editions_of_every_kind() -> dict[str, Edition]:
    lead = _with_image(
        title="افتتاح أول خط للحافلات الكهربائية في العاصمة: ما الذي يتغيّر للركّاب؟",
        excerpt="تبدأ الحافلات الكهربائية رحلاتها صباح الأحد على ثلاثة خطوط، بتذكرة موحّدة. "
        "وتقول البلدية إن الرحلة ستصبح أقصر بعشر دقائق في المتوسط.",
        is_featured=True,
    )
    others = [
        f.article(
            title=f"عنوان خبر رقم {i} (Reuters) مع أرقام 2026 وعلامات ترقيم؟",
            excerpt="ملخّص قصير للخبر، يذكر المصدر والأرقام: 45% من السكان.",
            view_count=100 - i,
        )
        for i in range(7)
    ]
    daily = NewsletterList.objects.get(slug="daily")
    breaking = NewsletterList.objects.get(slug="breaking")
    return {
        "digest": Edition.objects.create(
            newsletter=daily,
            subject="النشرة اليومية — 1 ديسمبر 2026",
            intro="صباح الخير. إليك أهم ما جرى أمس، في دقيقتين.",
            article_ids=[lead.pk, *[a.pk for a in others]],
            status="queued",
        ),
        "breaking": Edition.objects.create(
            newsletter=breaking,
            kind="breaking",
            subject=f"عاجل: {lead.title}",
            article=lead,
            article_ids=[lead.pk],
            status="queued",
        ),
    }


def raw_messages() -> dict[str, bytes]:
    out = {}
    for kind, edition in editions_of_every_kind().items():
        template = sending.template_for(edition)
        out[kind] = template.build(
            to="reader@example.org", subscriber_id=1, key="k", message_id="1.1.abc@news.example.org"
        )
    rendered = render.render_confirmation(
        action_url="https://news.example.org/newsletters/confirm/abc/",
        lists=["النشرة اليومية"],
        already=False,
    )
    out["confirm"] = messages.transactional(
        to="reader@example.org",
        subject=rendered.subject,
        html=rendered.html,
        text=rendered.text,
        sender_name="أخبار",
    )
    return out


def parts(raw: bytes) -> tuple[str, str]:
    msg = message_from_bytes(raw, policy=policy.default)
    return (msg.get_body(("html",)).get_content(), msg.get_body(("plain",)).get_content())


def test_every_email_kind_has_rtl_structure_text_part_and_fits():
    for kind, raw in raw_messages().items():
        assert len(raw) <= 100 * 1024, f"{kind}: {len(raw)} bytes"
        html, text = parts(raw)
        assert len(html.encode()) <= 100 * 1024
        doc = lxml.html.document_fromstring(html)
        assert doc.get("dir") == "rtl" and doc.get("lang") == "ar"
        assert doc.body.get("dir") == "rtl"
        cells = doc.xpath("//td")
        assert cells, kind
        for td in cells:
            assert td.get("dir") == "rtl", f"{kind}: a cell without dir"
            assert td.get("align") in ("right", "center"), f"{kind}: a cell without align"
        for table in doc.xpath("//table"):
            assert table.get("dir") == "rtl" and table.get("role") == "presentation"
        for img in doc.xpath("//img"):
            assert img.get("alt") and img.get("width") and img.get("height"), kind
        assert not doc.xpath("//script") and not doc.xpath("//link[@rel='stylesheet']")
        # CSS inlined (css-inline), font stack with Arabic faces and fallbacks.
        h1 = doc.xpath("//h1")[0]
        assert "font-family" in h1.get("style", "") and "Noto Naskh Arabic" in h1.get("style")
        assert "Tahoma" in h1.get("style") and "sans-serif" in h1.get("style")
        assert 'name="color-scheme" content="light dark"' in html
        assert "prefers-color-scheme: dark" in html
        # Private by default: no pixel, no redirecting links.
        assert "/track" not in html and "utm_" not in html
        assert text.strip() and "@@" not in text and "@@" not in html
    html, text = parts(raw_messages()["digest"])
    assert "افتتاح أول خط للحافلات الكهربائية" in text
    assert "https://news.example.org/newsletters/u/" in text
    assert 'alt="مشهد من وسط المدينة صباح اليوم"' in html


PROBE = """() => {
  const cells = [...document.querySelectorAll('td')];
  const p = document.querySelector('td p:not(.kicker)') || document.querySelector('p');
  const node = [...p.childNodes].find(
    n => n.nodeType === 3 && n.textContent.trim().length > 3);
  const text = node.textContent.trimEnd();
  const r = document.createRange();
  r.setStart(node, 0); r.setEnd(node, 1);
  const first = r.getBoundingClientRect().right;
  r.setStart(node, text.length - 1); r.setEnd(node, text.length);
  const last = r.getBoundingClientRect().left;
  return {
    rtlCells: cells.every(c => getComputedStyle(c).direction === 'rtl'),
    scrollWidth: document.documentElement.scrollWidth,
    body: getComputedStyle(document.body).backgroundColor,
    imgs: [...document.images].map(
      i => [i.complete && i.naturalWidth > 0, i.getBoundingClientRect().width]),
    firstRight: first, lastLeft: last, lastChar: text.slice(-1),
  };
}"""


@pytest.mark.browser
def test_emails_look_right_in_chromium(page_factory, settings):
    media = Path(settings.MEDIA_ROOT)

    def serve(route):
        path = route.request.url.split("/media/", 1)
        file = media / path[1] if len(path) == 2 else None
        if file is not None and file.exists():
            route.fulfill(path=str(file))
        else:
            route.fulfill(status=404, body="")

    for kind, raw in raw_messages().items():
        html, _ = parts(raw)
        for width in (360, 600):
            for scheme in ("light", "dark"):
                page = page_factory(width=width, height=800, color_scheme=scheme)
                page.route("https://news.example.org/**", serve)
                page.set_content(html, wait_until="load")
                info = page.evaluate(PROBE)
                assert info["rtlCells"], kind
                assert info["scrollWidth"] <= width + 1, f"{kind} overflows at {width}px"
                # Punctuation at the correct (left, final) end of the line.
                assert info["lastLeft"] < info["firstRight"], (kind, info)
                for loaded, shown in info["imgs"]:
                    assert loaded and shown <= width
                if scheme == "dark":
                    assert info["body"] in ("rgb(17, 20, 24)",), info["body"]
                screenshot(page, f"email-{kind}-{width}-{scheme}")
                assert page.console_errors == []
