// Evaluated by tests/site/browser_checks.py with page.evaluate().
() => {
/*CONTROLS*/

  const list = controls();
  const inline = (el) => {
    if (el.tagName !== 'A') return false;
    const block = el.closest('p, li, figcaption, td, dd, blockquote');
    return block && block.textContent.trim().length > el.textContent.trim().length + 2 &&
      getComputedStyle(el).display === 'inline';
  };
  const problems = [];
  for (const a of list) {
    const w = a.r.right - a.r.left, h = a.r.bottom - a.r.top;
    const full = a.el.getBoundingClientRect();
    if (full.width - w > 1 || full.height - h > 1) continue;  // partly scrolled out of a strip
    if ((w >= 23.5 && h >= 23.5) || inline(a.el)) continue;
    const cx = (a.r.left + a.r.right) / 2, cy = (a.r.top + a.r.bottom) / 2;
    const clash = list.some((b) => b !== a && !b.el.contains(a.el) && !a.el.contains(b.el) &&
      b.r.left < cx + 12 && b.r.right > cx - 12 && b.r.top < cy + 12 && b.r.bottom > cy - 12);
    if (clash) problems.push(`${Math.round(w)}x${Math.round(h)} px target: ${label(a.el)}`);
  }
  return problems;
}
