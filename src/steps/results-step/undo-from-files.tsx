// "Undo from files": after a reload, or in another browser, the tab no longer holds the import. The admin drops the
// import's result ZIP(s) (and, for updated records, the backup CSV); the same confirmation and undo follow. Result
// files are read strictly (decision 100): a file not understood is refused, naming the row.
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import type { Connection } from '../../api/connection.ts';
import { importableModules, modulesQuery } from '../../api/get-modules.ts';
import { readZipCsv } from '../../api/download-result.ts';
import { parseResultCsv } from '../../domain/jobs/reconcile.ts';
import { resultRowsForUndo, type UndoJobResult } from '../../domain/undo/plan.ts';
import { UndoControls } from './undo-panel.tsx';

interface DroppedResult {
  name: string;
  size: number;
  read: { ok: true; job: UndoJobResult } | { ok: false; message: string };
}

async function readResultZip(file: File, job: number): Promise<DroppedResult> {
  try {
    const csv = await readZipCsv(file);
    return { name: file.name, size: file.size, read: resultRowsForUndo(job, parseResultCsv(csv), file.name) };
  } catch (e) {
    return { name: file.name, size: file.size, read: { ok: false, message: `${file.name}: ${e instanceof Error ? e.message : 'not a result ZIP'}` } };
  }
}

export function UndoFromFiles(props: { connection: Connection }) {
  const id = useId();
  const modules = useQuery(modulesQuery(props.connection));
  const [module, setModule] = useState('');
  const [dropped, setDropped] = useState<DroppedResult[]>([]);
  const options = importableModules(modules.data ?? []);
  const results = useMemo(() => dropped.flatMap((d) => (d.read.ok ? [d.read.job] : [])), [dropped]);
  const problems = useMemo(() => dropped.flatMap((d) => (d.read.ok ? [] : [d.read.message])), [dropped]);
  const source = useMemo(() => ({ results }), [results]);
  // The same files give the same id, so a reload can resume the undo they started.
  const undoId = `files:${module}:${dropped
    .map((d) => `${d.name}/${d.size}`)
    .sort()
    .join('+')}`;

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="section-title">
        Undo from files
      </h2>
      <p className="panel__lead">When this browser no longer holds an import, add its result ZIP file(s) (Download result) and choose its module.</p>
      <div className="field">
        <label htmlFor={`${id}-module`}>Module of the import</label>
        <select id={`${id}-module`} value={module} onChange={(e) => setModule(e.target.value)}>
          <option value="">Choose…</option>
          {options.map((m) => (
            <option key={m.api_name} value={m.api_name}>
              {m.plural_label ?? m.api_name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-zips`}>Result ZIP files</label>
        <input
          id={`${id}-zips`}
          type="file"
          accept=".zip,application/zip"
          multiple
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            void Promise.all(files.map((f, i) => readResultZip(f, dropped.length + i))).then((read) => setDropped((d) => [...d, ...read]));
            e.currentTarget.value = '';
          }}
        />
      </div>
      {dropped.length > 0 ? (
        <ul>
          {dropped.map((d) => (
            <li key={`${d.name}/${d.size}`}>
              {d.name}: {d.read.ok ? `${d.read.job.rows.length} result rows` : 'refused'}
            </li>
          ))}
        </ul>
      ) : null}
      {module !== '' && results.length > 0 ? (
        <UndoControls key={undoId} connection={props.connection} undoId={undoId} module={module} importEnd={null} source={source} problems={problems} />
      ) : null}
    </section>
  );
}
