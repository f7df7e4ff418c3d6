import { describe, expect, it } from 'vitest';
import { retryOperation } from './retry-plan.ts';

describe('retryOperation', () => {
  it('inserts again after a plain insert', () => {
    expect(retryOperation({ operation: 'insert', findBy: null }).operation).toBe('insert');
  });
  it('upserts by the unique field when one was used', () => {
    expect(retryOperation({ operation: 'insert', findBy: 'Email' })).toMatchObject({ operation: 'upsert', findBy: 'Email' });
    expect(retryOperation({ operation: 'upsert', findBy: 'Email' })).toMatchObject({ operation: 'upsert', findBy: 'Email' });
  });
  it('keeps an update by a field an update: a row that matched nothing must not become a new record', () => {
    expect(retryOperation({ operation: 'update', findBy: 'Email' })).toMatchObject({ operation: 'update', findBy: 'Email' });
  });
  it('upserts unprocessed rows by a mapped unique field, inserts them when there is none', () => {
    expect(retryOperation({ operation: 'insert', findBy: null }, { unprocessed: true, uniqueMapped: 'Email' })).toMatchObject({
      operation: 'upsert',
      findBy: 'Email',
    });
    expect(retryOperation({ operation: 'insert', findBy: null }, { unprocessed: true, uniqueMapped: null }).operation).toBe('insert');
    expect(retryOperation({ operation: 'insert', findBy: null }, { unprocessed: false, uniqueMapped: 'Email' }).operation).toBe('insert');
  });
  it('keeps update by id as update', () => {
    expect(retryOperation({ operation: 'update', findBy: 'id' })).toMatchObject({ operation: 'update', findBy: 'id' });
  });
});
