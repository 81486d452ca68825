"""Cost of counting a read (beacon path) and of making one article's image renditions.

Run: .venv/bin/python bench/newsroom_hits_images.py   (uses a throwaway SQLite in /tmp)
"""

from __future__ import annotations

import io
import os
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings")
os.environ.setdefault("AKHBAR_DATA_DIR", tempfile.mkdtemp(prefix="akhbar-bench-"))

import django
import django.conf

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from PIL import Image  # noqa: E402

call_command("migrate", verbosity=0)
from akhbar.newsroom import images, services  # noqa: E402
from akhbar.newsroom.models import Article, Category  # noqa: E402

cat = Category.objects.create(name="قسم", slug="bench")
a = Article.objects.create(title="خبر", body="<p>نص</p>", category=cat, status="published")
UA = "Mozilla/5.0 Chrome/126"
n = 5000
t = time.perf_counter()
for _ in range(n):
    services.count_hit(a.pk, UA)
dt = time.perf_counter() - t
backend = django.conf.settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
print(f"count_hit ({backend}, flush every 50): {n / dt:,.0f}/s, {dt / n * 1e6:.1f} µs each")

client = Client()
t = time.perf_counter()
for _ in range(1000):
    client.post(f"/hit/{a.pk}/", HTTP_USER_AGENT=UA)
dt = time.perf_counter() - t
print(f"POST /hit/<pk>/ through the Django test client: {dt:.3f} ms each")

img = Image.new("RGB", (4000, 3000), (120, 60, 30))
buf = io.BytesIO()
img.save(buf, "JPEG", quality=90)
name = default_storage.save("bench/src.jpg", ContentFile(buf.getvalue()))
t = time.perf_counter()
data = images.make_renditions(name, "bench/r")
dt = time.perf_counter() - t
widths = len(data["jpeg"])
print(f"renditions of a 4000x3000 JPEG (WebP+JPEG): {dt:.2f} s, {widths} widths")
