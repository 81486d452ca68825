// Evaluated by tests/site/browser_checks.py with page.evaluate().
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const ring = s.boxShadow && s.boxShadow !== 'none';
  return {visible: outline || ring, what: el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 30)};
}
