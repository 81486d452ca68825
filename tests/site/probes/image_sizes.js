// Evaluated by tests/site/browser_checks.py with page.evaluate().
async (dpr) => {
  const shown = [...document.images].filter((img) => {
    const r = img.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && img.currentSrc;
  });
  const problems = [];
  for (const img of shown) {
    const probe = new Image();
    probe.src = img.currentSrc;
    try { await probe.decode(); } catch (e) { problems.push(`${img.currentSrc}: does not load`); continue; }
    const width = img.getBoundingClientRect().width;
    if (probe.naturalWidth + 1 < width * dpr) {
      problems.push(`${img.currentSrc.split('/').pop()}: ${probe.naturalWidth}px file for ${Math.round(width)} CSS px x${dpr}`);
    }
  }
  return problems;
}
