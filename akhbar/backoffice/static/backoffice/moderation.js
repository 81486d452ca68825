/* Keyboard shortcuts in the moderation queue (admin comments list):
 *   j / ↓ next comment, k / ↑ previous, a approve, s spam, d delete (to trash), x select.
 * The decision buttons are ordinary submit buttons in each row (formaction), so everything
 * also works without JavaScript; this only saves the moderator the mouse.
 */
(function () {
  "use strict";

  function rows() {
    return Array.from(document.querySelectorAll("#result_list tbody tr"));
  }

  var current = -1;

  function setCurrent(i) {
    var all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, i));
    all.forEach(function (row, n) { row.classList.toggle("bo-current", n === current); });
    var row = all[current];
    var focusable = row.querySelector("input.action-select") || row.querySelector("button");
    if (focusable) focusable.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable ||
      (tag === "INPUT" && !/^(checkbox|radio|button|submit)$/.test(target.type));
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    var key = e.key;
    if (key === "j" || key === "ArrowDown") { e.preventDefault(); setCurrent(current + 1); return; }
    if (key === "k" || key === "ArrowUp") { e.preventDefault(); setCurrent(current - 1); return; }
    // Keys pressed on an Arabic keyboard layout map to the same physical keys.
    var mapped = { "ش": "a", "س": "s", "ي": "d", "ء": "x", "ت": "j", "ن": "k" }[key] || key;
    if (mapped === "j") { e.preventDefault(); setCurrent(current + 1); return; }
    if (mapped === "k") { e.preventDefault(); setCurrent(current - 1); return; }
    var row = rows()[current];
    if (!row && e.target && e.target.closest) row = e.target.closest("#result_list tbody tr");
    if (!row) return;
    if (mapped === "x") {
      var box = row.querySelector("input.action-select");
      if (box) { e.preventDefault(); box.click(); }
      return;
    }
    var button = row.querySelector('button[data-shortcut="' + mapped + '"]');
    if (button) { e.preventDefault(); button.click(); }
  });

  document.addEventListener("focusin", function (e) {
    var row = e.target && e.target.closest && e.target.closest("#result_list tbody tr");
    if (!row) return;
    var i = rows().indexOf(row);
    if (i >= 0 && i !== current) {
      current = i;
      rows().forEach(function (r, n) { r.classList.toggle("bo-current", n === current); });
    }
  });
})();
