// File picker + drag-and-drop zone. The real <input type=file> carries the accessible name "CSV file" (tests and
// screen readers use it); dropping a file onto the zone does the same as picking it.
import { useId, useState, type DragEvent } from 'react';

export function FileDrop(props: {
  label?: string;
  hint?: string;
  accept?: string;
  disabled?: boolean;
  onFile: (file: File) => void;
  /** When given, several files may be picked or dropped at once; two or more go here instead of `onFile`. */
  onFiles?: ((files: File[]) => void) | undefined;
}) {
  const id = useId();
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    if (props.disabled) return;
    pick(Array.from(e.dataTransfer.files));
  };
  const pick = (files: File[]) => {
    if (files.length > 1 && props.onFiles) props.onFiles(files);
    else if (files[0]) props.onFile(files[0]);
  };
  return (
    <div
      className={`dropzone${over ? ' is-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <label htmlFor={id} className="section-title">
        {props.label ?? 'CSV file'}
      </label>
      <p className="subtle" id={`${id}-hint`}>
        {props.hint ?? 'Drop a .csv file here, or choose one.'}
      </p>
      <input
        id={id}
        className="dropzone__input"
        type="file"
        accept={props.accept ?? '.csv,.txt,.tsv,text/csv,text/plain'}
        aria-describedby={`${id}-hint`}
        disabled={props.disabled}
        multiple={props.onFiles !== undefined}
        onChange={(e) => {
          pick(Array.from(e.currentTarget.files ?? []));
          // Allow picking the same file again after a failure.
          e.currentTarget.value = '';
        }}
      />
    </div>
  );
}
