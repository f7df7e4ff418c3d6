// A labelled text input with a hint and an error, the <input> counterpart of SelectField. The input's own props
// (name, type, value/onChange or a react-hook-form `register(...)` result, ref included) pass straight through.
import { useId, type ComponentProps, type ReactNode } from 'react';

export function TextField(props: { label: string; hint?: ReactNode; error?: string | undefined; input: ComponentProps<'input'> }) {
  const id = useId();
  const describedBy = [props.hint ? `${id}-hint` : null, props.error ? `${id}-err` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {props.label}
      </label>
      <input
        id={id}
        className="input"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
        {...props.input}
      />
      {props.hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field__error" id={`${id}-err`} role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
