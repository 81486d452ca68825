// Small progressive enhancements. The page works fully without this file: the whole article is
// in the HTML and the back-to-top control is a plain "#top" link.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setUpShowMore() {
    document.querySelectorAll("[data-show-more]").forEach(function (body) {
      var more = body.querySelector("[data-more]");
      var button = body.querySelector("[data-show-more-button]");
      if (!more || !button) return;
      more.classList.add("is-collapsed");
      button.hidden = false;
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () {
        more.classList.remove("is-collapsed");
        button.setAttribute("aria-expanded", "true");
        button.hidden = true;
        var first = more.querySelector("p, h2, h3, li");
        if (first) { first.setAttribute("tabindex", "-1"); first.focus({ preventScroll: true }); }
      });
    });
  }

  function setUpToTop() {
    var button = document.querySelector("[data-to-top]");
    if (!button) return;
    var update = function () {
      button.classList.toggle("is-visible", window.scrollY > 400);
    };
    window.addEventListener("scroll", update, { passive: true });
    update();
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      window.scrollTo({ top: 0, behavior: smooth ? "smooth" : "auto" });
      var skip = document.querySelector(".skip-link");
      if (skip) skip.focus({ preventScroll: true });
    });
  }

  // One read = one tiny POST after the page is shown; the page itself stays cacheable whole.
  function countRead() {
    var article = document.querySelector("[data-hit-url]");
    if (!article || !navigator.sendBeacon) return;
    var send = function () { navigator.sendBeacon(article.getAttribute("data-hit-url")); };
    if (document.visibilityState === "visible") { send(); return; }
    var onVisible = function () {
      if (document.visibilityState !== "visible") return;
      document.removeEventListener("visibilitychange", onVisible);
      send();
    };
    document.addEventListener("visibilitychange", onVisible);
  }

  function setUpCopyLink() {
    document.querySelectorAll("[data-copy-link]").forEach(function (button) {
      if (!navigator.clipboard) return;
      var status = document.querySelector("[data-copy-status]");
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.getAttribute("data-copy-link")).then(function () {
          if (status) status.textContent = "نُسخ الرابط.";
        }, function () {
          if (status) status.textContent = "تعذّر نسخ الرابط؛ انسخه من شريط العنوان.";
        });
      });
    });
  }

  function start() { setUpShowMore(); setUpToTop(); setUpCopyLink(); countRead(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
