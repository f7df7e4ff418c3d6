// Keyboard-only helpers: move focus with Tab until the wanted control has it, never clicking.
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

/** Accessible-ish name of the focused element: aria-label, <label for>, labelledby, or text. */
export async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const aria = el.getAttribute('aria-label');
    if (aria) return aria;
    const by = el.getAttribute('aria-labelledby');
    if (by)
      return by
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ')
        .trim();
    const labels = (el as HTMLInputElement).labels;
    if (labels && labels.length > 0)
      return Array.from(labels)
        .map((l) => l.textContent ?? '')
        .join(' ')
        .trim();
    return (el.textContent ?? '').trim();
  });
}

/** Press Tab (or Shift+Tab) until the focused element's name matches; fails after `max` presses. */
export async function tabTo(page: Page, name: RegExp, opts: { max?: number; backwards?: boolean } = {}): Promise<void> {
  const max = opts.max ?? 60;
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    const current = await focusedName(page);
    if (name.test(current)) return;
    seen.push(current.slice(0, 40));
    await page.keyboard.press(opts.backwards ? 'Shift+Tab' : 'Tab');
  }
  const last = await focusedName(page);
  expect(last, `could not reach ${String(name)} with Tab; focus went through: ${seen.join(' → ')}`).toMatch(name);
}

/** The focus indicator is visible: an outline or box-shadow on the focused element. */
export async function expectVisibleFocus(page: Page): Promise<void> {
  const style = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'none';
    const cs = getComputedStyle(el);
    return `${cs.outlineStyle} ${cs.outlineWidth} | ${cs.boxShadow}`;
  });
  expect(style, 'focused element has no visible focus style').not.toMatch(/^(none \S+|\S+ 0px) \| none$/);
}
