// Page object for the import wizard, driven only by the accessible names the wizard promises (decision 040).
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import type { FilePayload } from '../fixtures/csv.ts';
import type { StepRecorder } from './steps.ts';

export type OperationName = 'Insert' | 'Update' | 'Upsert';

export interface DestinationChoice {
  module: string;
  operation: OperationName;
  matchBy?: string;
}

export interface Outcome {
  added: number;
  updated?: number;
  skipped?: number;
}

/** "Added 60,000" and "Added 60000" both match: the wizard formats with Intl.NumberFormat. */
export function countText(label: string, n: number): RegExp {
  const grouped = new Intl.NumberFormat('en-US').format(n).replace(/,/g, '[,.\\u00a0\\u202f ]?');
  return new RegExp(`\\b${label}\\s*:?\\s*${grouped}\\b`);
}

export class WizardPage {
  constructor(
    readonly page: Page,
    readonly rec: StepRecorder,
  ) {}

  get nextButton(): Locator {
    return this.page.getByRole('button', { name: 'Next', exact: true });
  }

  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.page.getByLabel('Module', { exact: true })).toBeVisible();
    // The module list comes from the modules API; wait until Contacts is offered.
    await expect(this.page.getByLabel('Module', { exact: true }).locator('option', { hasText: 'Contacts' })).toHaveCount(1);
  }

  /** Pick an <option> whose visible text contains `text` (labels may carry the API name too). */
  async selectByText(label: string, text: string | RegExp): Promise<void> {
    const select = this.page.getByLabel(label, { exact: true });
    const option = select.locator('option').filter({ hasText: text }).first();
    await expect(option).toHaveCount(1);
    const value = await option.getAttribute('value');
    expect(value, `option "${String(text)}" of ${label}`).not.toBeNull();
    await select.selectOption(value ?? '');
  }

  async chooseDestination(opts: DestinationChoice): Promise<void> {
    await this.selectByText('Module', new RegExp(`^\\s*${opts.module}\\b`));
    await this.page.getByRole('radio', { name: opts.operation, exact: true }).check({ force: true });
    if (opts.matchBy) {
      await expect(this.page.getByLabel('Match records by')).toBeEnabled();
      await this.selectByText('Match records by', new RegExp(`\\b${opts.matchBy}\\b`));
    }
    await this.rec.step('destination');
    await this.nextButton.click();
  }

  /** The straight path to the import plan: destination, upload, then Next through Map and Review unchanged. */
  async toImportPlan(destination: DestinationChoice, file: FilePayload, rows: number): Promise<void> {
    await this.chooseDestination(destination);
    await this.upload(file, rows);
    await this.next('map columns');
    await this.next('review');
    await this.next('import plan');
  }

  async uploadFile(file: FilePayload): Promise<void> {
    await this.page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: file.name, mimeType: file.mimeType, buffer: file.buffer });
  }

  /** Upload and wait for the file summary (rows parsed). */
  async upload(file: FilePayload, expectRows?: number): Promise<void> {
    await this.uploadFile(file);
    const summary = this.page.getByLabel('File summary');
    await expect(summary).toBeVisible({ timeout: 60_000 });
    if (expectRows !== undefined) await expect(summary).toContainText(new Intl.NumberFormat('en-US').format(expectRows));
    await this.rec.step('upload');
  }

  /** Upload a file from disk by path (as a user's file; large files need not cross the wire) and wait for its rows. */
  async uploadPath(path: string, expectRows: number, timeout = 120_000): Promise<void> {
    await this.page.getByLabel('CSV file', { exact: true }).setInputFiles(path);
    const summary = this.page.getByLabel('File summary');
    await expect(summary).toBeVisible({ timeout });
    await expect(summary).toContainText(new Intl.NumberFormat('en-US').format(expectRows));
    await this.rec.step('upload');
  }

  async next(step: string): Promise<void> {
    await expect(this.nextButton).toBeEnabled();
    await this.nextButton.click();
    await this.rec.step(step);
  }

  get grid(): Locator {
    return this.page.getByRole('grid').first();
  }

  async startImport(): Promise<void> {
    const start = this.page.getByRole('button', { name: 'Start import' });
    await expect(start).toBeEnabled();
    await this.rec.step('ready to start');
    await start.click();
  }

  /** Wait for the results screen and check the visible counts. */
  async expectOutcome(outcome: Outcome, timeout = 120_000): Promise<void> {
    const main = this.page.getByRole('main');
    await expect(main.getByText(countText('Added', outcome.added)).first()).toBeVisible({ timeout });
    if (outcome.updated !== undefined) await expect(main.getByText(countText('Updated', outcome.updated)).first()).toBeVisible();
    if (outcome.skipped !== undefined) await expect(main.getByText(countText('Skipped', outcome.skipped)).first()).toBeVisible();
    await this.rec.step('results');
  }
}
