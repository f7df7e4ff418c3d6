// Save, load, export and import mapping profiles (Zoho field_mappings JSON); suggests a saved profile whose
// header fingerprint matches this file.
import { useId, useMemo, useState } from 'react';
import { Banner } from '../../components/banner/banner.tsx';
import type { FieldModel } from '../../domain/fields/field-model.ts';
import { fromZohoFieldMappings, toZohoFieldMappings } from '../../domain/mapping/field-mappings-json.ts';
import { headerFingerprint } from '../../domain/mapping/fingerprint.ts';
import type { Mapping } from '../../domain/mapping/mapping.ts';
import { safeFileName, saveBytes } from '../../lib/download.ts';
import { profileStore, useProfiles, type MappingProfile } from '../../lib/profiles.ts';

export function ProfilesBar(props: {
  module: string;
  headers: readonly string[];
  mapping: Mapping;
  fields: readonly FieldModel[];
  onLoad: (m: Mapping, message: string) => void;
}) {
  const id = useId();
  const profiles = useProfiles(props.module);
  const fingerprint = useMemo(() => headerFingerprint(props.headers), [props.headers]);
  const suggested = profiles.find((p) => p.fingerprint === fingerprint);
  const [dismissed, setDismissed] = useState(false);
  const [name, setName] = useState('');
  const [problems, setProblems] = useState<string[]>([]);

  const load = (json: unknown, label: string) => {
    const { mapping, problems: p } = fromZohoFieldMappings(json, props.headers.length, props.fields);
    setProblems(p.map((x) => x.message));
    props.onLoad(mapping, p.length === 0 ? `Loaded “${label}”.` : `Loaded “${label}” with ${p.length} problem(s) listed above.`);
  };
  const applyProfile = (p: MappingProfile) => load(p.fieldMappings, p.name);

  return (
    <div className="stack">
      {suggested && !dismissed ? (
        <Banner tone="info" title={`The saved mapping “${suggested.name}” was made for files with these headers`} live={false}>
          <div className="row">
            <button
              type="button"
              className="btn btn--small"
              onClick={() => {
                applyProfile(suggested);
                setDismissed(true);
              }}
            >
              Apply “{suggested.name}”
            </button>
            <button type="button" className="btn btn--small" onClick={() => setDismissed(true)}>
              Keep the suggestions
            </button>
          </div>
        </Banner>
      ) : null}
      <details>
        <summary className="subtle">Mapping profiles: save, load, export or import a Zoho field_mappings JSON</summary>
        <div className="row" style={{ marginTop: 8 }}>
          <label className="field">
            <span className="field__label">Profile name</span>
            <input className="input input--small" value={name} onChange={(e) => setName(e.currentTarget.value)} placeholder="e.g. Trade-show leads" />
          </label>
          <button
            type="button"
            className="btn btn--small"
            disabled={name.trim() === ''}
            onClick={() => {
              profileStore.save({
                id: `${props.module}:${name.trim()}`,
                name: name.trim(),
                module: props.module,
                fingerprint,
                savedAt: new Date().toISOString(),
                fieldMappings: toZohoFieldMappings(props.mapping),
              });
              setName('');
            }}
          >
            Save mapping
          </button>
          {profiles.length > 0 ? (
            <label className="field">
              <span className="field__label">Load a saved mapping</span>
              <select
                className="select select--small"
                value=""
                onChange={(e) => {
                  const p = profiles.find((x) => x.id === e.currentTarget.value);
                  if (p) applyProfile(p);
                }}
              >
                <option value="">Choose…</option>
                {profiles.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <button
            type="button"
            className="btn btn--small"
            onClick={() =>
              saveBytes(JSON.stringify(toZohoFieldMappings(props.mapping), null, 2), safeFileName(`${props.module}-field_mappings.json`), 'application/json')
            }
          >
            Export as Zoho JSON
          </button>
          <label className="field" htmlFor={`${id}-import`}>
            <span className="field__label">Import Zoho field_mappings JSON</span>
            <input
              id={`${id}-import`}
              type="file"
              accept="application/json,.json"
              className="dropzone__input"
              onChange={(e) => {
                const f = e.currentTarget.files?.[0];
                e.currentTarget.value = '';
                if (!f) return;
                void f.text().then((t) => {
                  try {
                    const json: unknown = JSON.parse(t);
                    // Accept a bare array, or a whole create-job body / resource element.
                    const arr = Array.isArray(json) ? json : extractMappings(json);
                    load(arr, f.name);
                  } catch {
                    setProblems([`${f.name} is not JSON.`]);
                  }
                });
              }}
            />
          </label>
        </div>
      </details>
      {problems.length > 0 ? (
        <Banner tone="warning" title="Some mappings in the profile could not be applied">
          <ul className="issue-list" tabIndex={0}>
            {problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </Banner>
      ) : null}
    </div>
  );
}

function extractMappings(json: unknown): unknown {
  if (typeof json !== 'object' || json === null) return json;
  const o = json as Record<string, unknown>;
  if (Array.isArray(o.field_mappings)) return o.field_mappings;
  if (Array.isArray(o.resource)) {
    const first: unknown = o.resource[0];
    if (typeof first === 'object' && first !== null && Array.isArray((first as Record<string, unknown>).field_mappings))
      return (first as Record<string, unknown>).field_mappings;
  }
  return json;
}
