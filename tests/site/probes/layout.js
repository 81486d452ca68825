// Evaluated by tests/site/browser_checks.py with page.evaluate().
() => {
/*CONTROLS*/

  const problems = [];
  const de = document.documentElement;
  if (de.scrollWidth > de.clientWidth + 1) {
    problems.push(`horizontal overflow: page is ${de.scrollWidth}px wide in ${de.clientWidth}px`);
  }
  const list = controls();
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i], b = list[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > 1 && h > 1) problems.push(`overlap ${Math.round(w)}x${Math.round(h)}: ${label(a.el)} / ${label(b.el)}`);
    }
  }
  // Text wider than its box (a word or a line sticking out), outside scrolling strips.
  for (const el of document.querySelectorAll('body *')) {
    if (!el.firstChild || el.closest('svg, picture, script, style, template')) continue;
    const s = getComputedStyle(el);
    if (s.display === 'inline' || s.display === 'none' || s.display === 'contents') continue;
    if (s.overflowX !== 'visible') continue;  // scrollers and clipped boxes show their own edge
    let scroller = false;
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).overflowX === 'auto' || getComputedStyle(p).overflowX === 'scroll') { scroller = true; break; }
    }
    if (scroller || !isVisible(el)) continue;
    if (el.scrollWidth > el.clientWidth + 2 && el.clientWidth > 0) {
      problems.push(`text overflows its box by ${el.scrollWidth - el.clientWidth}px: ${label(el)}`);
    }
  }
  return problems;
}
