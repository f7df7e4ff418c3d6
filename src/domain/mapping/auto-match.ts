// Suggest a field for each CSV header, with the reason shown to the user: exact API name, label, the same words
// after folding case/spaces/punctuation, or a fuzzy similarity score. Never maps two columns to one field, and an
// exact API name always wins its field.
import type { FieldModel } from '../fields/field-model.ts';

export type MatchKind = 'api_name' | 'lookup_api_name' | 'label' | 'normalised' | 'fuzzy';

export interface HeaderMatch {
  column: number;
  header: string;
  /** Suggested field, or null. */
  apiName: string | null;
  /** For `Account_Name.id`-style headers: the lookup's find_by. */
  findBy: string | null;
  kind: MatchKind | null;
  /** 0–1; 1 for exact matches. */
  score: number;
  /** Shown next to the suggestion, e.g. "matched by label", "similar to label 'Mobile' (82%)". */
  reason: string;
}

/** Fuzzy suggestions below this similarity are not made. */
export const FUZZY_THRESHOLD = 0.72;

/**
 * Fold a header or field name for comparison: BOM and zero-width characters removed, NBSP → space, compatibility
 * forms folded (NFKC), lower-cased, `_` and punctuation → space, camelCase split, runs of spaces collapsed.
 */
export function normaliseHeader(text: string): string {
  return text
    .replace(/[\ufeff\u200b-\u200d\u2060]/g, '')
    .normalize('NFKC')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[\s_\p{P}\p{S}]+/gu, ' ')
    .trim();
}

/** Header text as it would be compared exactly: BOM/zero-width removed and surrounding whitespace (incl. NBSP) trimmed. */
function cleanHeader(text: string): string {
  return text.replace(/[\ufeff\u200b-\u200d\u2060]/g, '').trim();
}

/** A folded string prepared for repeated similarity checks: its bigram counts and its words. */
interface Profile {
  text: string;
  grams: Map<string, number>;
  gramCount: number;
  words: Set<string>;
}

function profile(text: string): Profile {
  const grams = new Map<string, number>();
  const t = ` ${text} `;
  for (let i = 0; i < t.length - 1; i++) {
    const g = t.slice(i, i + 2);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return { text, grams, gramCount: Math.max(0, t.length - 1), words: new Set(text.split(' ')) };
}

function profileSimilarity(a: Profile, b: Profile): number {
  if (a.text === b.text) return a.text === '' ? 0 : 1;
  if (a.text === '' || b.text === '') return 0;
  let common = 0;
  for (const [g, n] of a.grams) {
    const m = b.grams.get(g);
    if (m !== undefined) common += Math.min(n, m);
  }
  const dice = (2 * common) / (a.gramCount + b.gramCount);
  let shared = 0;
  for (const w of a.words) if (b.words.has(w)) shared++;
  const jaccard = shared / (a.words.size + b.words.size - shared);
  return Math.max(dice, jaccard);
}

/** Similarity 0–1: the better of bigram Dice (typos, abbreviations) and word overlap (reordered words). */
export function similarity(a: string, b: string): number {
  return profileSimilarity(profile(a), profile(b));
}

interface Candidate {
  column: number;
  apiName: string;
  findBy: string | null;
  kind: MatchKind;
  /** Lower is stronger. */
  tier: number;
  score: number;
  reason: string;
}

const TIER: Record<MatchKind, number> = { api_name: 0, lookup_api_name: 1, label: 2, normalised: 3, fuzzy: 4 };
const pct = (s: number) => `${Math.round(s * 100)}%`;

/**
 * Suggest a field for each header. Only writable fields are suggested. Strongest evidence first across the whole
 * table (exact API name, then lookup `X.id` headers, label, folded words, fuzzy), each field given to one column.
 */
export function autoMatch(headers: readonly string[], fields: readonly FieldModel[]): HeaderMatch[] {
  const writable = fields.filter((f) => f.writable.ok);
  const folded = writable.map((f) => {
    const api = normaliseHeader(f.apiName);
    const label = normaliseHeader(f.label);
    return { f, api, label, apiP: profile(api), labelP: profile(label) };
  });
  const candidates: Candidate[] = [];
  headers.forEach((header, column) => {
    const clean = cleanHeader(header);
    const norm = normaliseHeader(header);
    if (clean === '') return;
    const normP = profile(norm);
    const dot = clean.lastIndexOf('.');
    // The record id (for update/upsert by id) is not a field in the metadata but can be mapped.
    if (clean === 'id' || /^(record[ _]?)?id$/i.test(clean)) {
      candidates.push({
        column,
        apiName: 'id',
        findBy: null,
        kind: clean === 'id' ? 'api_name' : 'label',
        tier: clean === 'id' ? 0 : 2,
        score: 1,
        reason: clean === 'id' ? 'matched by API name (record id)' : 'matched the record id',
      });
    }
    for (const { f, api, label, apiP, labelP } of folded) {
      const add = (kind: MatchKind, score: number, reason: string, findBy: string | null = null) =>
        candidates.push({ column, apiName: f.apiName, findBy, kind, tier: TIER[kind], score, reason });
      if (clean === f.apiName) {
        add('api_name', 1, 'matched by API name');
        continue;
      }
      if (f.dataType === 'lookup' && dot > 0 && clean.slice(0, dot) === f.apiName && dot < clean.length - 1) {
        const findBy = clean.slice(dot + 1);
        add('lookup_api_name', 1, `matched by API name (lookup by ${findBy})`, findBy);
        continue;
      }
      if (clean.toLowerCase() === f.label.toLowerCase() || clean.toLowerCase() === f.apiName.toLowerCase()) {
        add('label', 1, clean.toLowerCase() === f.label.toLowerCase() ? 'matched by label' : 'matched by API name (different case)');
        continue;
      }
      if (norm !== '' && (norm === label || norm === api)) {
        add('normalised', 0.99, `same words as ${norm === label ? `label '${f.label}'` : `API name '${f.apiName}'`} (ignoring case, spaces and punctuation)`);
        continue;
      }
      const sLabel = profileSimilarity(normP, labelP);
      const sApi = profileSimilarity(normP, apiP);
      const s = Math.max(sLabel, sApi);
      if (s >= FUZZY_THRESHOLD) add('fuzzy', s, `similar to ${sLabel >= sApi ? `label '${f.label}'` : `API name '${f.apiName}'`} (${pct(s)})`);
    }
  });
  candidates.sort((a, b) => a.tier - b.tier || b.score - a.score || a.column - b.column || a.apiName.localeCompare(b.apiName));
  const byColumn = new Map<number, Candidate>();
  const takenFields = new Set<string>();
  for (const c of candidates) {
    if (byColumn.has(c.column) || takenFields.has(c.apiName)) continue;
    byColumn.set(c.column, c);
    takenFields.add(c.apiName);
  }
  return headers.map((header, column): HeaderMatch => {
    const c = byColumn.get(column);
    if (c !== undefined) return { column, header, apiName: c.apiName, findBy: c.findBy, kind: c.kind, score: c.score, reason: c.reason };
    return { column, header, apiName: null, findBy: null, kind: null, score: 0, reason: unmatchedReason(header, fields, candidates, column) };
  });
}

function unmatchedReason(header: string, fields: readonly FieldModel[], candidates: readonly Candidate[], column: number): string {
  const clean = cleanHeader(header);
  if (clean === '') return 'no header text to match';
  const blocked = fields.find((f) => !f.writable.ok && (f.apiName === clean || f.label.toLowerCase() === clean.toLowerCase()));
  if (blocked !== undefined && !blocked.writable.ok) return `matches ${blocked.label}, which cannot be imported: ${blocked.writable.reason}`;
  const lost = candidates.find((c) => c.column === column);
  if (lost !== undefined) return `${lost.reason.replace(/^matched by/, 'would match by')}, but that field is already matched to another column`;
  return 'no similar field found';
}
