import { describe, expect, it } from 'vitest';
import { canGoBack, initialWizardState, wizardReducer, EMPTY_EDITS, type Destination, type WizardState, type WizardAction } from './wizard-state.ts';

type S = WizardState<string[], { cols: string[] }>;
type A = WizardAction<string[], { cols: string[] }>;
const run = (actions: A[], from: S = initialWizardState()) => actions.reduce<S>((s, a) => wizardReducer(s, a), from);

const dest: Destination = { connectionKind: 'emulator', module: 'Contacts', moduleLabel: 'Contacts', operation: 'insert', findBy: null };
const src = (id: string) => ({ name: 'a.csv', size: 10, sourceId: id, table: ['row'] });

describe('wizard reducer', () => {
  it('walks forward through the steps in order', () => {
    const s = run([
      { type: 'destination/submitted', destination: dest },
      { type: 'source/loaded', source: src('1') },
      { type: 'mapping/submitted', mapping: { cols: ['Email'] } },
      { type: 'review/confirmed', edits: EMPTY_EDITS },
    ]);
    expect(s.step).toBe('import');
    expect(s.history).toEqual(['destination', 'upload', 'map', 'review']);
  });

  it('Back keeps what was entered, and going forward again offers it', () => {
    const s = run([
      { type: 'destination/submitted', destination: dest },
      { type: 'source/loaded', source: src('1') },
      { type: 'mapping/submitted', mapping: { cols: ['Email'] } },
      { type: 'back' },
      { type: 'back' },
    ]);
    expect(s.step).toBe('upload');
    expect(s.data.mapping).toEqual({ cols: ['Email'] });
    expect(s.data.destination).toEqual(dest);
    const again = run([{ type: 'source/loaded', source: src('1') }], s);
    expect(again.step).toBe('map');
    expect(again.data.mapping).toEqual({ cols: ['Email'] });
  });

  it('a different file drops the mapping and the edits made to the old rows', () => {
    const edits = { editedRows: new Map([[0, { line: 2, cells: ['x'] }]]), excluded: new Set([1]) };
    const s = run([
      { type: 'destination/submitted', destination: dest },
      { type: 'source/loaded', source: src('1') },
      { type: 'mapping/submitted', mapping: { cols: ['Email'] } },
      { type: 'edits/changed', edits },
      { type: 'back' },
      { type: 'back' },
      { type: 'source/loaded', source: src('2') },
    ]);
    expect(s.step).toBe('map');
    expect(s.data.mapping).toBeUndefined();
    expect(s.data.edits).toBeUndefined();
  });

  it('a different module drops the mapping but keeps the file', () => {
    const s = run([
      { type: 'destination/submitted', destination: dest },
      { type: 'source/loaded', source: src('1') },
      { type: 'mapping/submitted', mapping: { cols: ['Email'] } },
      { type: 'goto', step: 'destination' },
      { type: 'destination/submitted', destination: { ...dest, module: 'Leads' } },
    ]);
    expect(s.step).toBe('upload');
    expect(s.data.mapping).toBeUndefined();
    expect(s.data.source?.sourceId).toBe('1');
  });

  it('Back is refused once the import started, and on the first step', () => {
    expect(canGoBack(initialWizardState())).toBe(false);
    const s = run([
      { type: 'destination/submitted', destination: dest },
      { type: 'source/loaded', source: src('1') },
      { type: 'mapping/submitted', mapping: { cols: [] } },
      { type: 'review/confirmed', edits: EMPTY_EDITS },
      { type: 'import/started', runId: 'r1' },
    ]);
    expect(canGoBack(s)).toBe(false);
    expect(wizardReducer(s, { type: 'back' })).toBe(s);
    const done = wizardReducer(s, { type: 'import/finished', runId: 'r1' });
    expect(done.step).toBe('results');
  });

  it('actions that do not belong to the current step change nothing', () => {
    const s = initialWizardState<string[], { cols: string[] }>();
    expect(wizardReducer(s, { type: 'mapping/submitted', mapping: { cols: [] } })).toBe(s);
    expect(wizardReducer(s, { type: 'goto', step: 'review' })).toBe(s);
  });

  it('opening a past run goes straight to its results', () => {
    const s = wizardReducer(initialWizardState<string[], { cols: string[] }>(), { type: 'open-run', runId: 'r9' });
    expect(s.step === 'results' && s.runId).toBe('r9');
  });
});
