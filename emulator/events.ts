// Fan-out of job events to browsers over Server-Sent Events (`GET /__emulator/events`); format in README.
import type { JobEvent } from '../src/api/contract/emulator.ts';

type Listener = (e: JobEvent, seq: number) => void;

export class EventHub {
  private readonly listeners = new Set<Listener>();
  private seq = 0;
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  emit(e: JobEvent): void {
    const seq = ++this.seq;
    for (const fn of this.listeners) fn(e, seq);
  }
  get size(): number {
    return this.listeners.size;
  }
}
