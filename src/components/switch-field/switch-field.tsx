// An on/off switch (react-aria Switch: role "switch", Space toggles it) with a visible label and an optional hint.
// Presentational: the parent owns the value.
import { useId } from 'react';
import { Switch } from 'react-aria-components';

export function SwitchField(props: { label: string; isSelected: boolean; onChange: (on: boolean) => void; hint?: string | undefined; isDisabled?: boolean }) {
  const hintId = useId();
  return (
    <div className="switch-field">
      <Switch
        className="switch"
        isSelected={props.isSelected}
        onChange={props.onChange}
        isDisabled={props.isDisabled ?? false}
        aria-describedby={props.hint ? hintId : undefined}
      >
        <span className="switch__track" aria-hidden="true">
          <span className="switch__thumb" />
        </span>
        <span className="switch__label">{props.label}</span>
      </Switch>
      {props.hint ? (
        <p id={hintId} className="field__hint">
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}
