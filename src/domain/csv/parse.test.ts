import { describe, expect, it } from 'vitest';
import { readTable } from './read-table.ts';
import { normaliseLineBreaks, detectDelimiter } from './parse.ts';

const t = (s: string, opts: Parameters<typeof readTable>[1] = {}) => readTable(new TextEncoder().encode(s), opts);

describe('parseTable details', () => {
  it('an undoubled quote inside a quoted value is flagged where it sits, and the value runs to the real close', () => {
    const r = t('a,b\n"x"y",z\n1,2\n');
    expect(r.rows).toEqual([
      { line: 2, cells: ['x"y', 'z'] },
      { line: 3, cells: ['1', '2'] },
    ]);
    expect(r.issues.find((i) => i.code === 'STRAY_QUOTE')).toMatchObject({ line: 2, column: 3 });
  });

  it('quote positions after multi-line quoted values are counted in physical lines', () => {
    const r = t('a,b\r\n"p\r\nq\rr",1\r\nx"y,2\r\n');
    expect(r.rows.map((x) => x.line)).toEqual([2, 5]);
    expect(r.issues.find((i) => i.code === 'STRAY_QUOTE')).toMatchObject({ line: 5, column: 2 });
  });

  it('comment mode and plain mode agree on lines and cells when there are no comment lines', () => {
    const text = 'a,b\n"m\nn",1\n\n"q",2\n';
    const plain = t(text);
    const withComments = t(text, { parse: { commentChar: '#' } });
    expect(withComments.rows).toEqual(plain.rows);
    expect(plain.rows.map((r) => r.line)).toEqual([2, 5]);
  });

  it('normaliseLineBreaks keeps quoted breaks and turns the others into LF', () => {
    expect(normaliseLineBreaks('a\r\nb\r"c\r\nd"\re')).toBe('a\nb\n"c\r\nd"\ne');
  });

  it('delimiter evidence: consistent rows per candidate', () => {
    const c = detectDelimiter('a;b;c\n1;2;3\n4;5;6\n');
    expect(c.find((x) => x.char === ';')).toMatchObject({ fieldCountMode: 3, consistentRows: 3, score: 1 });
    expect(c.find((x) => x.char === ',')).toMatchObject({ fieldCountMode: 1, score: 0 });
  });

  it('a file of blank lines only has no data rows', () => {
    const r = t('\n\n  \n');
    expect(r.blocked).toBe(true);
    expect(r.issues.map((i) => i.code)).toContain('NO_DATA_ROWS');
  });

  it('blank lines before the header are counted, the header line is the first non-blank one', () => {
    const r = t('\n\na,b\n1,2\n');
    expect(r.headerLine).toBe(3);
    expect(r.rows).toEqual([{ line: 4, cells: ['1', '2'] }]);
    expect(r.stats.blankLines).toBe(2);
  });
});
