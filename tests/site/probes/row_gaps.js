// Evaluated by tests/site/test_front_page.py: rows of story lists that leave a hole.
() => {
  const problems = [];
  const containers = document.querySelectorAll('.flow, .front-top, .front-columns');
  for (const box of containers) {
    const kids = [...box.children].filter(k => k.getBoundingClientRect().height > 2 && !k.matches('.visually-hidden'));
    if (!kids.length) continue;
    const outer = box.getBoundingClientRect();
    const s = getComputedStyle(box);
    const gap = parseFloat(s.columnGap) || 0;
    const rows = new Map();
    for (const k of kids) {
      const top = Math.round(k.getBoundingClientRect().top);
      if (!rows.has(top)) rows.set(top, []);
      rows.get(top).push(k.getBoundingClientRect());
    }
    for (const [top, rects] of rows) {
      const used = rects.reduce((n, r) => n + r.width, 0) + gap * (rects.length - 1);
      if (outer.width - used > 2) {
        problems.push(`${box.className}: row at ${top}px uses ${Math.round(used)} of ${Math.round(outer.width)}px`);
      }
    }
  }
  return problems;
}
