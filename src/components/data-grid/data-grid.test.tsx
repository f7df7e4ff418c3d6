// Server-renders the grid in Node (no DOM needed) to check the ARIA structure and text-only rendering.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { DataGrid } from './data-grid.tsx';
import type { GridRow } from './grid-model.ts';

const columns = [
  { key: 'a', header: 'First Name', subheader: 'First_Name', issueCounts: { error: 0, warning: 2 } },
  { key: 'b', header: '<img src=x onerror=alert(1)>', issueCounts: { error: 1, warning: 0 } },
];

function makeRow(i: number): GridRow {
  return {
    id: `r${i}`,
    line: i + 2,
    cells: [`name ${i}`, i === 0 ? '<script>alert(1)</script>' : i === 1 ? '=HYPERLINK("x")' : 'plain'],
    excluded: i === 2,
    cellIssues: i === 0 ? new Map([[1, [{ severity: 'error' as const, message: 'Email is not valid.' }]]]) : undefined,
  };
}

describe('DataGrid markup', () => {
  const html = renderToStaticMarkup(
    <DataGrid
      columns={columns}
      rowCount={250_000}
      getRow={makeRow}
      ariaLabel="Rows to import"
      onEditCell={() => undefined}
      onToggleRow={() => undefined}
      onShowOnlyIssuesChange={() => undefined}
      locale="en-US"
    />,
  );

  it('has grid semantics with counts for the virtualised rows and columns', () => {
    expect(html).toContain('role="grid"');
    expect(html).toContain('aria-label="Rows to import"');
    expect(html).toContain('aria-rowcount="250001"');
    expect(html).toContain('aria-colcount="3"');
    expect(html).toContain('role="columnheader"');
    expect(html).toContain('role="rowheader"');
    expect(html).toMatch(/role="row" aria-rowindex="2"/);
    expect(html).toContain('aria-colindex="3"');
  });

  it('renders only a window of rows, not all 250,000', () => {
    const rendered = html.match(/role="row"/g)?.length ?? 0;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
  });

  it('renders hostile header and cell text as text, never as markup (S5)', () => {
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('marks issues, formula-like values, counts and row inclusion in words', () => {
    expect(html).toContain('dg-cell--error');
    expect(html).toContain('dg-cell--formula');
    expect(html).toContain('formula-like value');
    expect(html).toContain('1 error');
    expect(html).toContain('2 warnings');
    expect(html).toContain('aria-label="Include row 2"');
    expect(html).toContain('Show only rows with issues');
    expect(html).toContain('250,000 rows');
    expect(html).toContain('excluded');
  });

  it('has exactly one tab stop (roving tabindex)', () => {
    expect(html.match(/tabindex="0"/g)?.length).toBe(1);
  });
});

describe('DataGrid: a derived (read-only) column', () => {
  it('is not marked formula-like: its text (an org value, old → new) is not what is sent', () => {
    const html = renderToStaticMarkup(
      <DataGrid
        columns={[{ key: 'phone', header: 'Phone', subheader: '1 changed · old → new', readOnly: true }]}
        rowCount={1}
        getRow={() => ({ id: 'r0', line: 2, cells: ['+15550001 → (empty)'], excluded: false })}
        ariaLabel="Changes to existing records"
        locale="en-US"
      />,
    );
    expect(html).toContain('+15550001 → (empty)');
    expect(html).not.toContain('dg-cell--formula');
    expect(html).not.toContain('formula-like value');
  });
});
