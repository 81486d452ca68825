// Evaluated by tests/site/browser_checks.py with page.evaluate().
() => {
const isVisible = (el) => {
  const details = el.closest('details');
  if (details && !details.open && !el.closest('summary')) return false;  // folded away
  for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
    const s = getComputedStyle(n);
    if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false;
    if (s.contentVisibility === 'hidden') return false;
  }
  const r = el.getBoundingClientRect();
  return r.width > 1 && r.height > 1;
};
// The part of el's box that is really on screen (inside every clipping ancestor).
const shownRect = (el) => {
  let r = el.getBoundingClientRect();
  let box = {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    const s = getComputedStyle(p);
    if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
      const q = p.getBoundingClientRect();
      box = {left: Math.max(box.left, q.left), right: Math.min(box.right, q.right),
             top: Math.max(box.top, q.top), bottom: Math.min(box.bottom, q.bottom)};
    }
  }
  return box;
};
const controls = () => [...document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'
)].filter((el) => !el.closest('[aria-hidden="true"], .hp-field, .visually-hidden, .skip-link'))
  .filter(isVisible)
  .map((el) => ({el, r: shownRect(el)}))
  .filter(({r}) => r.right - r.left > 1 && r.bottom - r.top > 1);
const label = (el) => (el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
  (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '') +
  ' «' + (el.textContent || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 30) + '»');

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
