// The frame every wizard step shares: a heading (focused when the step opens, so keyboard and screen-reader users
// land on it), a lead sentence, the content, and one row of actions with Back on the left and the primary on the right.
import { useEffect, useRef, type ReactNode } from 'react';

export function StepFrame(props: {
  title: string;
  lead?: ReactNode;
  children: ReactNode;
  /** Back button; omitted when going back is not possible. */
  onBack?: (() => void) | undefined;
  /** The one primary action of the step. */
  primary?: ReactNode;
  /** Secondary actions shown before the primary. */
  secondary?: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: false });
  }, [props.title]);
  return (
    <section className="panel" aria-labelledby="step-title">
      <div className="panel__head">
        <h2 className="panel__title" id="step-title" tabIndex={-1} ref={heading}>
          {props.title}
        </h2>
      </div>
      {props.lead ? <p className="panel__lead">{props.lead}</p> : null}
      {props.children}
      {props.onBack || props.primary || props.secondary ? (
        <div className="step-actions">
          {props.onBack ? (
            <button type="button" className="btn" onClick={props.onBack}>
              Back
            </button>
          ) : null}
          <span className="step-actions__spacer" />
          {props.secondary}
          {props.primary}
        </div>
      ) : null}
    </section>
  );
}
