// Per-test step recorder: every step gets a screenshot at test-results/screenshots/<test>/<nn-step>.png and an
// axe-core scan that fails the test on any serious or critical violation (decision 051: accessibility on every step).
import { expect } from '@playwright/test';
import type { Page, TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);

export interface StepRecorder {
  /** Screenshot + axe scan of the page as it is now. */
  step(name: string, opts?: { axe?: boolean }): Promise<void>;
  /** All axe findings seen so far (any impact), for a summary attachment. */
  readonly findings: string[];
}

export function recordSteps(page: Page, testInfo: TestInfo): StepRecorder {
  const dir = join('test-results', 'screenshots', slug(testInfo.titlePath.slice(1).join(' ')));
  rmSync(dir, { recursive: true, force: true }); // a re-run must not leave stale steps behind
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const findings: string[] = [];
  return {
    findings,
    async step(name, opts = {}) {
      n += 1;
      const file = join(dir, `${String(n).padStart(2, '0')}-${slug(name)}.png`);
      await page.screenshot({ path: file, fullPage: true });
      if (opts.axe === false) return;
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      for (const v of result.violations) {
        findings.push(
          `[${name}] ${v.impact ?? 'unknown'} ${v.id}: ${v.help} (${v.nodes.length} node(s): ${v.nodes
            .map((x) => x.target.join(' '))
            .slice(0, 3)
            .join(' | ')})`,
        );
      }
      const blocking = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(
        blocking.map(
          (v) =>
            `${v.impact} ${v.id}: ${v.help} — ${v.nodes
              .map((x) => `${x.target.join(' ')}: ${x.failureSummary ?? ''}`)
              .slice(0, 3)
              .join(' | ')}`,
        ),
        `axe at step "${name}"`,
      ).toEqual([]);
    },
  };
}
