// Module and field metadata of the emulated org, cached in memory and persisted in SQLite. New pick-list values
// written by a job are added to the field's list here (and so show up in `GET /settings/fields`).
import type Database from 'better-sqlite3';
import type { ZohoFieldMeta } from '../../src/domain/fields/field-meta.ts';
import type { SeedModule } from './seed-metadata.ts';

export type ModuleInfo = Omit<SeedModule, 'fields'> & { id: string };

export interface ModuleEntry {
  info: ModuleInfo;
  fields: ZohoFieldMeta[];
  byName: Map<string, ZohoFieldMeta>;
}

export class MetadataStore {
  private readonly db: Database.Database;
  private cache: Map<string, ModuleEntry> | null = null;
  private readonly sPutField;

  constructor(db: Database.Database) {
    this.db = db;
    this.sPutField = db.prepare<[string, string, string]>(`UPDATE fields SET json = ? WHERE module = ? AND api_name = ?`);
  }

  invalidate(): void {
    this.cache = null;
  }

  private load(): Map<string, ModuleEntry> {
    if (this.cache) return this.cache;
    const map = new Map<string, ModuleEntry>();
    const mods = this.db.prepare(`SELECT api_name, json FROM modules ORDER BY position`).all() as { api_name: string; json: string }[];
    for (const m of mods) {
      const fields = (this.db.prepare(`SELECT json FROM fields WHERE module = ? ORDER BY position`).all(m.api_name) as { json: string }[]).map(
        (r) => JSON.parse(r.json) as ZohoFieldMeta,
      );
      map.set(m.api_name, { info: JSON.parse(m.json) as ModuleInfo, fields, byName: new Map(fields.map((f) => [f.api_name, f])) });
    }
    this.cache = map;
    return map;
  }

  modules(): ModuleEntry[] {
    return [...this.load().values()];
  }

  /** Module by API name. Zoho matches module API names case-insensitively in paths. */
  module(apiName: string): ModuleEntry | null {
    const map = this.load();
    const exact = map.get(apiName);
    if (exact) return exact;
    const lower = apiName.toLowerCase();
    for (const [k, v] of map) if (k.toLowerCase() === lower) return v;
    return null;
  }

  /** Add pick-list values a job wrote; runs inside the job's chunk transaction. */
  addPicklistValues(module: string, apiName: string, values: readonly string[]): void {
    const entry = this.module(module);
    const f = entry?.byName.get(apiName);
    if (!entry || !f) return;
    const existing = new Set((f.pick_list_values ?? []).map((p) => p.actual_value));
    const fresh = values.filter((v) => v !== '' && !existing.has(v));
    if (fresh.length === 0) return;
    const next: ZohoFieldMeta = {
      ...f,
      pick_list_values: [...(f.pick_list_values ?? []), ...[...new Set(fresh)].map((v) => ({ display_value: v, actual_value: v }))],
    };
    this.sPutField.run(JSON.stringify(next), entry.info.api_name, apiName);
    const i = entry.fields.findIndex((x) => x.api_name === apiName);
    entry.fields[i] = next;
    entry.byName.set(apiName, next);
  }
}
