// The report's stylesheet. Every colour, font and radius is a --segmetry-* CSS variable with a default, so a
// host themes the component from its own CSS (`segmetry-report { --segmetry-accent: rebeccapurple }`).
export const reportCss = `
.segmetry-report, :host {
  --_fg: var(--segmetry-fg, #1b1f24);
  --_muted: var(--segmetry-muted, #59636e);
  --_bg: var(--segmetry-bg, #ffffff);
  --_surface: var(--segmetry-surface, #f6f8fa);
  --_border: var(--segmetry-border, #d1d9e0);
  --_accent: var(--segmetry-accent, #0b6bcb);
  --_good: var(--segmetry-positive, #1a7f37);
  --_bad: var(--segmetry-negative, #b42318);
  --_warn-bg: var(--segmetry-warning-bg, #fff8e1);
  --_radius: var(--segmetry-radius, 8px);
}
:host { display: block; }
.segmetry-report {
  font-family: var(--segmetry-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  color: var(--_fg);
  background: var(--_bg);
  font-size: var(--segmetry-font-size, 0.92rem);
  line-height: 1.45;
}
.segmetry-report h3 { font-size: 1.05em; margin: 1.25rem 0 0.4rem; }
.segmetry-report h4 { font-size: 1em; margin: 0 0 0.4rem; display: flex; gap: 0.5rem; align-items: baseline; flex-wrap: wrap; }
.segmetry-report .sr-meta { color: var(--_muted); font-weight: normal; font-size: 0.9em; }
.segmetry-report .sr-status { color: var(--_muted); }
.segmetry-report .sr-error { color: var(--_bad); border: 1px solid var(--_bad); border-radius: var(--_radius); padding: 0.6rem 0.8rem; white-space: pre-wrap; }
.segmetry-report .sr-warnings { background: var(--_warn-bg); border-radius: var(--_radius); padding: 0.5rem 0.9rem; margin: 0.5rem 0 1rem; }
.segmetry-report .sr-warnings summary { cursor: pointer; font-weight: 600; }
.segmetry-report .sr-warnings ul { margin: 0.4rem 0 0; padding-left: 1.2rem; }
.segmetry-report .sr-segment { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.75rem 0.9rem; margin: 0 0 0.9rem; background: var(--_bg); }
.segmetry-report .sr-scroll { overflow-x: auto; }
.segmetry-report table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
.segmetry-report th, .segmetry-report td { padding: 0.3rem 0.55rem; border-bottom: 1px solid var(--_border); text-align: right; white-space: nowrap; vertical-align: top; }
.segmetry-report th { color: var(--_muted); font-weight: 600; font-size: 0.88em; }
.segmetry-report th:first-child, .segmetry-report td:first-child { text-align: left; }
.segmetry-report td small { display: block; color: var(--_muted); font-size: 0.82em; }
.segmetry-report .sr-pos { color: var(--_good); font-weight: 600; }
.segmetry-report .sr-neg { color: var(--_bad); font-weight: 600; }
.segmetry-report .sr-badge { display: inline-block; border-radius: 999px; padding: 0 0.5rem; font-size: 0.8em; font-weight: 600; border: 1px solid currentColor; }
.segmetry-report .sr-badge.sr-bad { color: var(--_bad); }
.segmetry-report .sr-badge.sr-ok { color: var(--_good); }
.segmetry-report .sr-control { color: var(--_muted); font-size: 0.8em; }
.segmetry-report .sr-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); gap: 1rem; margin: 0.5rem 0 1rem; }
.segmetry-report figure { margin: 0; border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.6rem 0.8rem; background: var(--_bg); min-width: 0; }
.segmetry-report figure figure { border: none; padding: 0; margin: 0; }
.segmetry-report figcaption { font-weight: 600; margin-bottom: 0.2rem; }
.segmetry-report figure p { margin: 0 0 0.4rem; color: var(--_muted); font-size: 0.85em; }
.segmetry-report figure svg { max-width: 100%; height: auto; overflow: visible; }
.segmetry-report .sr-note { color: var(--_muted); font-size: 0.85em; }
`;

/** Adopt the stylesheet once per document or shadow root (constructable stylesheets need no inline <style>). */
export function adoptStyles(root) {
  const target = root && 'adoptedStyleSheets' in root ? root : null;
  if (target && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    if (target.__segmetryReportSheet) return;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(reportCss);
    target.adoptedStyleSheets = [...target.adoptedStyleSheets, sheet];
    target.__segmetryReportSheet = sheet;
    return;
  }
  const doc = root?.ownerDocument ?? document;
  if (doc.getElementById('segmetry-report-css')) return;
  const style = doc.createElement('style');
  style.id = 'segmetry-report-css';
  style.textContent = reportCss;
  doc.head.append(style);
}
