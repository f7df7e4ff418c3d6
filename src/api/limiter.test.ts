import { describe, expect, it } from 'vitest';
import { Limiter } from './limiter.ts';

/** A call that finishes when told to, recording how many calls were running at once. */
function gate(state: { running: number; most: number; order: number[] }, id: number) {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<number>((resolve, reject) => {
    open = () => resolve(id);
    fail = reject;
  });
  const call = async () => {
    state.running++;
    state.most = Math.max(state.most, state.running);
    state.order.push(id);
    try {
      return await done;
    } finally {
      state.running--;
    }
  };
  return { call, open, fail };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('Limiter', () => {
  it('runs at most `max` calls at once, the others in the order they came, each with its own answer', async () => {
    const limit = new Limiter(3);
    const state = { running: 0, most: 0, order: [] as number[] };
    const gates = Array.from({ length: 10 }, (_, i) => gate(state, i));
    const answers = gates.map((g) => limit.run(g.call));
    await settle();
    expect(state.order).toEqual([0, 1, 2]);
    gates[1]!.open();
    await settle();
    expect(state.order).toEqual([0, 1, 2, 3]);
    for (const g of gates) g.open();
    expect(await Promise.all(answers)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(state.most).toBe(3);
    expect(state.order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('frees the place of a call that fails', async () => {
    const limit = new Limiter(1);
    const state = { running: 0, most: 0, order: [] as number[] };
    const a = gate(state, 0);
    const b = gate(state, 1);
    const first = limit.run(a.call);
    const second = limit.run(b.call);
    a.fail(new Error('429'));
    await expect(first).rejects.toThrow('429');
    b.open();
    await expect(second).resolves.toBe(1);
  });

  it('a waiting call whose signal aborts leaves the queue without taking a place; one aborted before it asks never starts', async () => {
    const limit = new Limiter(1);
    const state = { running: 0, most: 0, order: [] as number[] };
    const a = gate(state, 0);
    const b = gate(state, 1);
    const c = gate(state, 2);
    const ctrl = new AbortController();
    const first = limit.run(a.call);
    const second = limit.run(b.call, ctrl.signal);
    const third = limit.run(c.call);
    ctrl.abort(new Error('cancelled'));
    await expect(second).rejects.toThrow('cancelled');
    a.open();
    c.open();
    expect(await Promise.all([first, third])).toEqual([0, 2]);
    expect(state.order).toEqual([0, 2]);
    await expect(limit.run(b.call, ctrl.signal)).rejects.toThrow('cancelled');
    expect(state.order).toEqual([0, 2]);
  });
});
