import type { Page } from 'playwright-core';

// Driving the portal with the keyboard alone: Tab until the focus is on what a person would
// reach for, then the key they would press. No clicks, no locators that skip the tab order.

/** The focused element's role-ish description: its accessible name, tag and role. */
async function focused(page: Page): Promise<{ name: string; tag: string; role: string | null }> {
  return page.evaluate<{ name: string; tag: string; role: string | null }>(`(() => {
    const element = document.activeElement;
    if (!element) return { name: '', tag: '', role: null };
    const labelledBy = element.getAttribute('aria-labelledby');
    const byId = labelledBy ? labelledBy.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ') : '';
    const label = element.id ? (document.querySelector('label[for="' + CSS.escape(element.id) + '"]')?.textContent ?? '') : '';
    const name = (element.getAttribute('aria-label') || byId || label || element.textContent || element.getAttribute('placeholder') || '').replace(/\\s+/g, ' ').trim();
    return { name, tag: element.tagName.toLowerCase(), role: element.getAttribute('role') };
  })()`);
}

/**
 * Presses Tab (or Shift+Tab) until the focused element's accessible name matches, and fails
 * with the names it passed when it never gets there.
 */
export async function tabTo(page: Page, name: RegExp | string, { backwards = false, limit = 80 } = {}): Promise<void> {
  const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
  const passed: string[] = [];
  for (let step = 0; step < limit; step++) {
    const current = await focused(page);
    if (current.name && matches(current.name)) return;
    passed.push(`${current.tag}${current.role ? `[${current.role}]` : ''} "${current.name.slice(0, 40)}"`);
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${String(name)}; it passed: ${passed.join(' → ')}`);
}
