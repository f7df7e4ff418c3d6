import { describe, expect, it } from 'vitest';

describe('toolchain', () => {
  it('runs in node', () => {
    expect(typeof window).toBe('undefined');
  });
});
