// The visual check, run in the page by tests/backoffice/test_browser.py: horizontal overflow,
// interactive elements that overlap, text spilling out of its box, and (on a phone) targets
// smaller than 24x24 CSS px (WCAG 2.2 target size; links inside running text are exempt).
(phone) => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none" &&
      !el.closest("[hidden], .hidden, .calendarbox, .clockbox, .select2-hidden-accessible");
  };
  const name = (el) => {
    const cls = typeof el.className === "string" && el.className ? "." + el.className.split(" ").join(".") : "";
    return el.tagName + (el.id ? "#" + el.id : "") + cls + " " + (el.textContent || el.value || "").trim().slice(0, 30);
  };
  const size = (el) => {
    const r = el.getBoundingClientRect();
    return Math.round(r.width) + "x" + Math.round(r.height);
  };
  const controls = [...document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, [role=button], [contenteditable=true]"
  )].filter(visible).filter((el) => !el.classList.contains("bo-file__input"));
  const rects = controls.map((el) => el.getBoundingClientRect());
  const overlaps = [];
  for (let i = 0; i < controls.length; i++) {
    for (let j = i + 1; j < controls.length; j++) {
      const a = controls[i], b = controls[j];
      if (a.contains(b) || b.contains(a)) continue;
      if (a.closest("label") && a.closest("label") === b.closest("label")) continue;
      const r = rects[i], q = rects[j];
      const w = Math.min(r.right, q.right) - Math.max(r.left, q.left);
      const h = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
      if (w > 2 && h > 2) overlaps.push(name(a) + " <> " + name(b));
    }
  }
  const boxes = "button, .button, .bo-button, .bo-chip, .object-tools a, .bo-quick a, .bo-count, " +
    "label, h1, h2, .bo-file__button";
  const spills = [...document.querySelectorAll(boxes)].filter(visible).filter((el) => {
    const s = getComputedStyle(el);
    return el.scrollWidth > el.clientWidth + 2 && s.overflowX === "visible" && s.display !== "inline";
  }).map(name);
  const small = phone ? controls.filter((el) => {
    if (getComputedStyle(el).display === "inline" && el.tagName === "A") return false;
    if (el.closest(".select2-selection__choice")) return false;
    const r = el.getBoundingClientRect();
    return r.width < 24 || r.height < 24;
  }).map((el) => name(el) + " " + size(el)) : [];
  return {
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    overlaps, spills, small,
  };
}
