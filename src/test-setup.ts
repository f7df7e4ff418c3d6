// Vitest setup (vite.config.ts, test.setupFiles): runs before every test file.
import { expect } from 'vitest';
import { isPackedRow } from './domain/csv/packed-rows.ts';

// A packed row and an edited row read as `{ line, cells }` but keep what they are made of under symbols (made by
// object literals so that V8 can allocate a million of them in the old generation, decision 154), and toEqual
// compares enumerable symbols too. Such a row is compared as exactly its `line` and `cells`, as spreads, JSON and
// structured clone see it; any other pair of values is left to toEqual's own rules.
expect.addEqualityTesters([
  function packedRowsAsRead(a: unknown, b: unknown, customTesters) {
    const packedA = isPackedRow(a);
    const packedB = isPackedRow(b);
    if (!packedA && !packedB) return undefined;
    const seen = (x: unknown) => (isPackedRow(x) ? { line: x.line, cells: x.cells } : x);
    return this.equals(seen(a), seen(b), customTesters);
  },
]);
