// Shared by layout.js and target_size.js: where each probe says /*CONTROLS*/ (see browser_checks.probe).
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
