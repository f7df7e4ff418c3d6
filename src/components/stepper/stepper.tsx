// The wizard's stepper: where you are, what is done; completed steps are buttons back to them when allowed.

export interface StepperStep {
  id: string;
  label: string;
}

export function Stepper(props: {
  steps: readonly StepperStep[];
  currentId: string;
  /** Steps already passed through (shown as done). */
  doneIds: readonly string[];
  /** When given, done steps become buttons that go back to them. */
  onGo?: ((id: string) => void) | undefined;
}) {
  return (
    <nav className="stepper" aria-label="Import steps">
      <ol>
        {props.steps.map((s, i) => {
          const current = s.id === props.currentId;
          const done = props.doneIds.includes(s.id);
          return (
            <li key={s.id} aria-current={current ? 'step' : undefined} className={done ? 'is-done' : undefined}>
              <span className="stepper__num" aria-hidden="true">
                {done ? '✓' : i + 1}
              </span>
              {done && props.onGo ? (
                <button type="button" className="stepper__link" onClick={() => props.onGo?.(s.id)} aria-label={`Go back to step ${i + 1}: ${s.label}`}>
                  {s.label}
                </button>
              ) : (
                <span>
                  {s.label}
                  {done ? <span className="visually-hidden"> (done)</span> : null}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
