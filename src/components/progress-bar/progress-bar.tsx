// A determinate progress bar (react-aria ProgressBar) with a visible label and value text; indeterminate when
// the total is unknown.
import { ProgressBar as AriaProgressBar, Label } from 'react-aria-components';

export function ProgressBar(props: {
  label: string;
  value: number;
  max: number;
  /** Shown on the right, e.g. "1.2 MB of 3 MB"; defaults to the percentage. */
  valueText?: string | undefined;
  tone?: 'accent' | 'success' | 'error' | undefined;
  indeterminate?: boolean | undefined;
}) {
  const pct = props.max > 0 ? Math.min(100, Math.max(0, (props.value / props.max) * 100)) : 0;
  return (
    <AriaProgressBar
      className={`progress${props.tone && props.tone !== 'accent' ? ` progress--${props.tone}` : ''}`}
      value={props.indeterminate ? undefined : pct}
      isIndeterminate={props.indeterminate ?? false}
      {...(props.valueText ? { valueLabel: props.valueText } : {})}
    >
      {({ valueText }) => (
        <>
          <div className="progress__top">
            <Label>{props.label}</Label>
            <span className="progress__value">{props.valueText ?? valueText}</span>
          </div>
          <div className="progress__track">
            {/* Scaled, not sized, and not animated: a width change is laid out and painted on the page's thread, and
                even a transform's transition ran frames and transition events there; 41 bars moving four times a
                second kept it busy for the whole jobs' run (decisions 157, 160). */}
            <div className="progress__fill" style={{ transform: `scaleX(${props.indeterminate ? 1 : pct / 100})`, opacity: props.indeterminate ? 0.4 : 1 }} />
          </div>
        </>
      )}
    </AriaProgressBar>
  );
}
