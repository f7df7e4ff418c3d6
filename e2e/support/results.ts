// Reading the Results step as a user sees it: the per-job counts table, the grid of rows not written, and the
// files its buttons save (opened and read, not just clicked).
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import Papa from 'papaparse';

export interface JobCounts {
  status: string;
  rows: number;
  added: number;
  updated: number;
  skipped: number;
}

const digits = (s: string) => Number(s.replace(/\D/g, ''));

/** Every row of "Counts per job" (columns: Job, Job id, Status, Rows, Added, Updated, Skipped), in job order. */
export async function perJobCounts(page: Page): Promise<JobCounts[]> {
  const rows = page.getByRole('table', { name: 'Counts per job' }).locator('tbody tr');
  const out: JobCounts[] = [];
  for (const row of await rows.all()) {
    const cells = (await row.getByRole('cell').allInnerTexts()).map((t) => t.trim());
    out.push({
      status: cells[2] ?? '',
      rows: digits(cells[3] ?? ''),
      added: digits(cells[4] ?? ''),
      updated: digits(cells[5] ?? ''),
      skipped: digits(cells[6] ?? ''),
    });
  }
  return out;
}

/** The rows a data grid has rendered: the source line of each and its cells' full values (a cell's title). */
export async function gridRows(page: Page, gridName: string): Promise<{ line: number; cells: string[] }[]> {
  const grid = page.getByRole('grid', { name: gridName });
  const out: { line: number; cells: string[] }[] = [];
  for (const row of await grid.locator('[role=row][aria-rowindex]:not([aria-rowindex="1"])').all()) {
    const line = digits(await row.getByRole('rowheader').innerText());
    const cells: string[] = [];
    for (const cell of await row.getByRole('gridcell').all()) cells.push((await cell.getAttribute('title')) ?? '');
    out.push({ line, cells });
  }
  return out;
}

/** Clicks a download button and returns the saved file's text (a leading BOM removed). */
export async function downloadText(page: Page, name: string | RegExp): Promise<string> {
  const pending = page.waitForEvent('download');
  await page.getByRole('button', { name }).click();
  const path = await (await pending).path();
  return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
}

/** A CSV as rows of cells (RFC 4180, empty lines skipped). */
export const parseCsv = (text: string): string[][] => Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
