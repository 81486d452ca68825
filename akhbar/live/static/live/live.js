/* Live coverage for readers: poll the small update endpoint every 12 s (the browser sends
   If-None-Match, so an unchanged coverage costs a 304), announce "N تحديثات جديدة", and insert
   the new entries only when the reader asks, keeping what they are reading where it is.
   Edits and deletions apply in place. Embedded posts load only on click. */
(function () {
  "use strict";

  function updatesLabel(n) {
    if (n === 1) return "تحديث جديد واحد";
    if (n === 2) return "تحديثان جديدان";
    if (n >= 3 && n <= 10) return n + " تحديثات جديدة";
    return n + " تحديثًا جديدًا";
  }

  function fromHtml(html) {
    var box = document.createElement("div");
    box.innerHTML = html;
    return box.firstElementChild;
  }

  function loadEmbed(button) {
    var box = button.closest("[data-embed-src]");
    if (!box) return;
    var frame = document.createElement("iframe");
    frame.src = box.getAttribute("data-embed-src");
    frame.title = "منشور مضمّن";
    frame.loading = "lazy";
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.className = "live-embed__frame live-embed__frame--" + box.getAttribute("data-embed-provider");
    box.replaceChildren(frame);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-embed-load]");
    if (button) loadEmbed(button);
  });

  var section = document.querySelector("[data-live-updates]");
  if (!section || section.hasAttribute("data-live-archive")) return;
  var stream = section.querySelector("[data-live-stream]");
  var notice = section.querySelector("[data-live-notice]");
  var showButton = section.querySelector("[data-live-show]");
  var url = section.getAttribute("data-live-updates");
  var seconds = parseFloat(section.getAttribute("data-live-poll")) || 12;
  var POLL_MS = Math.max(1, seconds) * 1000;
  var pending = [];
  var timer = null;

  function known() {
    var ids = {};
    section.querySelectorAll("[data-entry]").forEach(function (el) {
      ids[el.getAttribute("data-entry")] = el;
    });
    return ids;
  }

  function newest() {
    var first = stream.querySelector("[data-entry]");
    return first ? parseInt(first.getAttribute("data-entry"), 10) : 0;
  }

  function apply(payload) {
    var have = known();
    (payload.deleted || []).forEach(function (id) {
      var el = have[String(id)];
      if (el) el.remove();
    });
    var top = newest();
    var fresh = [];
    payload.entries.forEach(function (item) {
      var el = have[String(item.id)];
      if (el) {
        if (el.getAttribute("data-version") !== String(item.version)) {
          el.replaceWith(fromHtml(item.html)); // an edit: same place, new text
        }
      } else if (item.id > top && !pending.some(function (p) { return p.id === item.id; })) {
        fresh.push(item);
      }
    });
    pending = fresh.concat(pending);
    var label = section.querySelector("[data-live-state-label]");
    if (label && payload.state_label) label.textContent = payload.state_label;
    if (pending.length) {
      showButton.textContent = updatesLabel(pending.length) + " — اعرضها";
      notice.hidden = false;
    }
    if (payload.state === "ended") stop();
  }

  function firstVisible() {
    var entries = stream.querySelectorAll("[data-entry]");
    for (var i = 0; i < entries.length; i++) {
      if (entries[i].getBoundingClientRect().bottom > 0) return entries[i];
    }
    return null;
  }

  function insertPending() {
    if (!pending.length) return;
    // Keep the entry the reader is looking at where it is on screen: measure it, change the
    // page, then scroll by however far it moved (zero where the browser's own scroll
    // anchoring already kept it in place).
    var anchor = firstVisible();
    var before = anchor ? anchor.getBoundingClientRect().top : 0;
    var empty = stream.querySelector(".live__empty");
    if (empty) empty.remove();
    pending.slice().reverse().forEach(function (item) {
      stream.insertBefore(fromHtml(item.html), stream.firstElementChild);
    });
    pending = [];
    notice.hidden = true;
    if (anchor) {
      var moved = anchor.getBoundingClientRect().top - before;
      if (Math.abs(moved) > 0.5) window.scrollBy(0, moved);
    }
  }

  function poll() {
    fetch(url, { cache: "no-cache", credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (r) { return r.status === 200 ? r.json() : null; })
      .then(function (payload) { if (payload) apply(payload); })
      .catch(function () { /* offline for a moment: try again on the next tick */ });
  }

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  showButton.addEventListener("click", insertPending);
  if (section.getAttribute("data-live-state") !== "ended") {
    timer = setInterval(function () { if (!document.hidden) poll(); }, POLL_MS);
    document.addEventListener("visibilitychange", function () { if (!document.hidden && timer) poll(); });
  }
})();
