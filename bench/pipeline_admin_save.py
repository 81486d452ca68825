"""Admin save of an article with a new 4000x3000 photo: how long the editor waits.

Issue #14 criterion 6: the save answers in <= 300 ms; renditions follow in a background job.
Measures the whole admin POST (form validation with the upload's security re-encode, the
write path, the response) with the jobs queued in the database (as in production), then the
renditions job on its own. Prints the load average with every figure; repeat runs.

Run: .venv/bin/python bench/pipeline_admin_save.py [runs]   (a throwaway SQLite in /tmp)
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings")
os.environ.setdefault("AKHBAR_DATA_DIR", tempfile.mkdtemp(prefix="akhbar-bench-"))
os.environ["AKHBAR_TASKS_BACKEND"] = "database"

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

call_command("migrate", verbosity=0)
from django_tasks_db.models import DBTaskResult  # noqa: E402

from akhbar.newsroom.models import Article, Category  # noqa: E402


def photo(seed: int) -> bytes:
    """A camera-like 4000x3000 JPEG (noise-free gradients and shapes, ~1-2 MB)."""
    img = Image.new("RGB", (4000, 3000), (20 + seed % 200, 90, 140))
    draw = ImageDraw.Draw(img)
    for i in range(0, 4000, 37):
        draw.line(
            [(i, 0), (4000 - i, 3000)], fill=((i * 7) % 255, (i * 3) % 255, seed % 255), width=9
        )
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=92)
    return buf.getvalue()


runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
user = get_user_model().objects.create_superuser("bench", "b@example.org", "x-bench-pass-1")
client = Client()
client.force_login(user)
cat = Category.objects.create(name="قسم", slug="bench")
form = {
    "title": "خبر بصورة كبيرة", "slug": "", "excerpt": "", "body": "<p>نص الخبر.</p>",
    "status": "published", "published_at_0": "2024-01-01", "published_at_1": "10:00",
    "author": "", "category": str(cat.pk), "comments_open": "on", "correction_note": "",
    "image_alt": "صورة", "image_caption": "", "image_credit": "", "source_name": "",
    "source_url": "", "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
    "events-MIN_NUM_FORMS": "0", "events-MAX_NUM_FORMS": "1000",
    "notes-TOTAL_FORMS": "0", "notes-INITIAL_FORMS": "0",
    "notes-MIN_NUM_FORMS": "0", "notes-MAX_NUM_FORMS": "1000",
}  # fmt: skip
uploads = [photo(i) for i in range(runs + 1)]
print(f"photo: 4000x3000 JPEG, {len(uploads[0]) / 1e6:.1f} MB; load {os.getloadavg()}")
client.post("/admin/newsroom/article/add/", {**form, "featured_image": SimpleUploadedFile(
    "warm.jpg", uploads[-1], "image/jpeg")})  # fmt: skip
times = []
for i in range(runs):
    upload = SimpleUploadedFile(f"p{i}.jpg", uploads[i], "image/jpeg")
    t = time.perf_counter()
    r = client.post("/admin/newsroom/article/add/", {**form, "featured_image": upload})
    times.append((time.perf_counter() - t) * 1000)
    if r.status_code != 302:  # the form was refused: say why instead of timing a re-render
        import re

        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', r.content.decode(), re.S)
        raise SystemExit(f"admin refused the article ({r.status_code}): {errors}")
print(
    f"admin save with a new 4000x3000 photo: median {statistics.median(times):.0f} ms, "
    f"min {min(times):.0f}, max {max(times):.0f} (n={runs}); load {os.getloadavg()}"
)
job = DBTaskResult.objects.filter(task_path="akhbar.newsroom.tasks.make_renditions").first()
t = time.perf_counter()
job.task.call(*job.args_kwargs["args"])
print(f"renditions job (background): {(time.perf_counter() - t) * 1000:.0f} ms; "
      f"load {os.getloadavg()}")  # fmt: skip
print(f"articles: {Article.objects.count()}, queued jobs: {DBTaskResult.objects.count()}")
