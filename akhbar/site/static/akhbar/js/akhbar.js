// Small progressive enhancements. The page works fully without this file: the whole article is
// in the HTML and the back-to-top control is a plain "#top" link.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // "أظهر المزيد" on phones only. The rest of the article stays in the HTML and in the page:
  // hidden="until-found" keeps it searchable (find in page opens it) and indexable, readers
  // without JavaScript never see it hidden, and from 48rem up the whole article shows.
  function setUpShowMore() {
    var phone = window.matchMedia("(max-width: 47.99rem)");
    document.querySelectorAll("[data-show-more]").forEach(function (body) {
      var more = body.querySelector("[data-more]");
      var button = body.querySelector("[data-show-more-button]");
      if (!more || !button) return;
      var opened = false;
      var expand = function () {
        more.removeAttribute("hidden");
        button.hidden = true;
        button.setAttribute("aria-expanded", "true");
      };
      var update = function () {
        if (opened || !phone.matches) { expand(); return; }
        more.setAttribute("hidden", "until-found");
        button.hidden = false;
        button.setAttribute("aria-expanded", "false");
      };
      more.addEventListener("beforematch", function () { opened = true; expand(); });
      button.addEventListener("click", function () {
        opened = true;
        expand();
        var first = more.querySelector("p, h2, h3, li");
        if (first) { first.setAttribute("tabindex", "-1"); first.focus({ preventScroll: true }); }
      });
      if (phone.addEventListener) phone.addEventListener("change", update);
      update();
    });
  }

  // The section menu scrolls sideways on phones; its arrow hint goes once the end is reached.
  function setUpScrollHint() {
    document.querySelectorAll("[data-scroll-hint]").forEach(function (nav) {
      var list = nav.querySelector("[data-scroll-list]");
      if (!list) return;
      var update = function () {
        var room = list.scrollWidth - list.clientWidth;
        nav.classList.toggle("fits", room <= 2);
        nav.classList.toggle("is-at-end", Math.abs(list.scrollLeft) >= room - 2);
      };
      list.addEventListener("scroll", update, { passive: true });
      window.addEventListener("resize", update);
      update();
    });
  }

  function setUpToTop() {
    var button = document.querySelector("[data-to-top]");
    if (!button) return;
    var update = function () {
      button.classList.toggle("is-visible", window.scrollY > 400);
    };
    // (Below 80rem the link sits at the end of the page and the CSS ignores is-visible.)
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

  function start() { setUpShowMore(); setUpScrollHint(); setUpToTop(); setUpCopyLink(); countRead(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
