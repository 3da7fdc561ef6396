import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

// axe-core in the real browser: the page's own accessibility, as rendered, checked against WCAG
// 2.1 A/AA rules. The script is evaluated through the DevTools protocol, so the portal's
// Content-Security-Policy (which rightly refuses injected scripts) does not stand in the way.

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
  /** The first offending element's markup, shortened. */
  html: string;
}

export interface AxeReport {
  /** Rules that passed on the page. */
  passes: number;
  violations: AxeFinding[];
  /** The serious and critical ones: what a test refuses. */
  blocking: AxeFinding[];
}

export async function checkAccessibility(page: Page): Promise<AxeReport> {
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(axeSource);
  // Colours are judged as they settle: a dialog or a page that is still fading in (or a button
  // mid-transition) has a contrast that is not the one people read. Spinners never finish; at
  // most two seconds are waited for the rest.
  await page.evaluate(`Promise.race([
    Promise.all(document.getAnimations().filter((animation) => animation.effect && animation.effect.getComputedTiming().endTime !== Infinity).map((animation) => animation.finished.catch(() => undefined))),
    new Promise((resolve) => setTimeout(resolve, 2000)),
  ])`);
  const result = await page.evaluate<{ passes: number; violations: AxeFinding[] }>(`(async () => {
    const outcome = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return {
      passes: outcome.passes.length,
      violations: outcome.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')), html: (violation.nodes[0]?.html ?? '').slice(0, 160) })),
    };
  })()`);
  const blocking = result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  return { ...result, blocking };
}

/** One line per page for the test's log: how many rules passed, what was found. */
export function describeAxe(name: string, report: AxeReport): string {
  const found = report.violations.map((violation) => `${violation.id} (${violation.impact})`).join(', ');
  return `axe ${name}: ${report.passes} rules passed, ${report.violations.length} violations${found ? `: ${found}` : ''}`;
}
