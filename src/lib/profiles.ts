// Saved mapping profiles (localStorage): a name, the module, the header fingerprint they were made for, and the
// mapping as Zoho `field_mappings` JSON with original column indexes — so an exported profile is a valid Bulk
// Write mapping. No cell values are stored (default values are what the user typed as defaults).
import { useSyncExternalStore } from 'react';
import { z } from 'zod';

export const PROFILES_KEY = 'zoho-bulk-import.mapping-profiles.v1';

const profileSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  module: z.string().min(1),
  fingerprint: z.string(),
  savedAt: z.string(),
  fieldMappings: z.array(z.unknown()),
});
export type MappingProfile = z.infer<typeof profileSchema>;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function read(): MappingProfile[] {
  const raw = storage()?.getItem(PROFILES_KEY);
  if (!raw) return [];
  try {
    const parsed = z.array(profileSchema).safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

let cache = read();
const listeners = new Set<() => void>();

export const profileStore = {
  get: (): readonly MappingProfile[] => cache,
  save: (p: MappingProfile) => {
    cache = [p, ...cache.filter((x) => x.id !== p.id && !(x.name === p.name && x.module === p.module))];
    try {
      storage()?.setItem(PROFILES_KEY, JSON.stringify(cache.map((x) => profileSchema.parse(x))));
    } catch {
      // storage full or disabled: the profile lives for this session only
    }
    for (const l of listeners) l();
  },
  subscribe: (l: () => void) => {
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  },
};

export function useProfiles(module: string): MappingProfile[] {
  const all = useSyncExternalStore(profileStore.subscribe, profileStore.get, profileStore.get);
  return all.filter((p) => p.module === module);
}
