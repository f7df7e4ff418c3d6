import { describe, expect, it } from 'vitest';
import { retryOperation } from './retry-plan.ts';

describe('retryOperation', () => {
  it('inserts again after a plain insert', () => {
    expect(retryOperation({ operation: 'insert', findBy: null }).operation).toBe('insert');
  });
  it('upserts by the unique field when one was used', () => {
    expect(retryOperation({ operation: 'insert', findBy: 'Email' })).toMatchObject({ operation: 'upsert', findBy: 'Email' });
    expect(retryOperation({ operation: 'update', findBy: 'Email' })).toMatchObject({ operation: 'upsert', findBy: 'Email' });
  });
  it('keeps update by id as update', () => {
    expect(retryOperation({ operation: 'update', findBy: 'id' })).toMatchObject({ operation: 'update', findBy: 'id' });
  });
});
