"""Phone speed of the reader's pages: LCP, CLS and bytes on the wire, in Debian's Chromium.

The profile is Lighthouse's mobile one with DevTools throttling: a 360 x 800 screen at DPR 2,
4x CPU slowdown, and "Slow 4G" (562.5 ms round trip, 1.47 Mbit/s down, 675 kbit/s up),
emulated through the DevTools protocol; the cache is disabled so every run is a first visit.
Each page is loaded ``--runs`` times (default 5) and the median is printed with the load
average, because this machine is shared.

By default the script serves the demo newsroom itself the way docs/deploy.md does (nginx with
gzip and the static files in front of gunicorn, DEBUG off) from a temporary data folder on free
loopback ports, and stops both at the end; ``--base URL`` measures a server you run.

    .venv/bin/python bench/reader_phone.py            # targets: article LCP <= 1.8 s,
    .venv/bin/python bench/reader_phone.py --runs 9   # CLS <= 0.02, <= 200 KB; home LCP <= 2.0 s
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("AKHBAR_CHROMIUM", "/usr/bin/chromium")
SLOW_4G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1474.56 * 1024 / 8,
    "uploadThroughput": 675 * 1024 / 8,
}
TARGETS = {"article": (1.8, 0.02, 200), "home": (2.0, 0.02, None)}

# Watches LCP and layout shifts from the first byte (DevTools injects it; no page change).
OBSERVER = """
window.__lcp = 0; window.__cls = 0; window.__lcpel = "";
new PerformanceObserver((l) => { for (const e of l.getEntries()) {
  window.__lcp = e.startTime;
  window.__lcpel = (e.element ? e.element.tagName + "." + e.element.className : "?") + " " + e.size + "px² " + (e.url || "text");
} })
  .observe({type: 'largest-contentful-paint', buffered: true});
new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
  .observe({type: 'layout-shift', buffered: true});
"""  # noqa: E501


@contextmanager
def demo_server():
    """The production shape (docs/deploy.md): nginx (gzip, static files) in front of gunicorn
    serving a freshly loaded demo newsroom. Yields the base URL nginx listens on."""
    sys.path.insert(0, str(REPO))
    from tests.deploy import servers

    with tempfile.TemporaryDirectory(prefix="akhbar-bench-") as tmp:
        data = Path(tmp)
        env = servers.server_env(data)
        servers.manage(env, "migrate", "--noinput")
        servers.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        servers.manage(env, "load_demo")
        app, listen = servers.free_port(), servers.free_port()
        conf = (
            (REPO / "deploy" / "nginx" / "akhbar.conf")
            .read_text()
            .replace("127.0.0.1:8002", f"127.0.0.1:{app}")
            .replace("127.0.0.1:8001", f"127.0.0.1:{app}")
            .replace("listen 80;", f"listen 127.0.0.1:{listen};")
            .replace("/srv/akhbar/var/", f"{data}/")
        )
        workdir = data / "nginx"
        workdir.mkdir()
        with servers.gunicorn(env, app, workers=2), servers.nginx(conf, workdir):
            yield f"http://127.0.0.1:{listen}", env


def article_url(base: str, env: dict | None) -> str:
    """The demo's lead story (a long one with pictures), found through the home page."""
    import re
    import urllib.request

    html = urllib.request.urlopen(base + "/", timeout=10).read().decode()
    match = re.search(r'class="front-top__lead">.*?href="(/news/[^"]+)"', html, re.S)
    if not match:
        raise SystemExit("could not find the lead story on the home page")
    return base + match.group(1)


def measure(browser, url: str) -> dict:
    context = browser.new_context(
        viewport={"width": 360, "height": 800},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="ar",
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    times: dict[str, list[float]] = {}  # request id -> [sent, finished] (monotonic seconds)

    def sent(e: dict) -> None:
        urls[e["requestId"]] = e["request"]["url"]
        times[e["requestId"]] = [e["timestamp"], 0.0]

    def finished(e: dict) -> None:
        sizes[e["requestId"]] = int(e["encodedDataLength"])
        times.setdefault(e["requestId"], [e["timestamp"], 0.0])[1] = e["timestamp"]

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    page.add_init_script(OBSERVER)
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_timeout(3000)  # late shifts and lazy pictures near the fold
    lcp = page.evaluate("window.__lcp") / 1000
    cls = page.evaluate("window.__cls")
    element = page.evaluate("window.__lcpel")
    context.close()
    if os.environ.get("BENCH_VERBOSE"):
        print(f"    LCP {lcp:.2f} s: {element[-120:]}")
        start = min(t[0] for t in times.values())
        for rid, n in sorted(sizes.items(), key=lambda kv: times[kv[0]][0]):
            t0, t1 = (t - start for t in times[rid])
            print(f"    {t0:5.2f}–{t1:5.2f} s {n / 1024:7.1f} KB  {urls.get(rid, '?')[-70:]}")
    return {"lcp": lcp, "cls": cls, "kb": sum(sizes.values()) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--base", help="measure this server instead of starting one")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    @contextmanager
    def given():
        yield args.base.rstrip("/"), None

    with given() if args.base else demo_server() as (base, env):
        pages = {"home": base + "/", "article": article_url(base, env)}
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print("360x800 DPR 2, 4x CPU slowdown, Slow 4G, cold cache; median of", args.runs)
        print(f"{'page':8} {'LCP s':>7} {'CLS':>7} {'KB':>7}   runs (LCP s)          target")
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic"],
            )
            for name, url in pages.items():
                runs = [measure(browser, url) for _ in range(args.runs)]
                lcp = statistics.median(r["lcp"] for r in runs)
                cls = statistics.median(r["cls"] for r in runs)
                kb = statistics.median(r["kb"] for r in runs)
                t_lcp, t_cls, t_kb = TARGETS[name]
                target = f"LCP<={t_lcp} CLS<={t_cls}" + (f" <={t_kb}KB" if t_kb else "")
                spread = " ".join(f"{r['lcp']:.2f}" for r in runs)
                print(f"{name:8} {lcp:7.2f} {cls:7.3f} {kb:7.0f}   {spread:20} {target}")
            browser.close()
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
