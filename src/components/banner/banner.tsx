// A message box: errors and warnings are announced (role=alert / status); the content is rendered as text.
import type { ReactNode } from 'react';

export function Banner(props: { tone: 'error' | 'warning' | 'success' | 'info'; title: string; children?: ReactNode; live?: boolean }) {
  const role = props.live === false ? undefined : props.tone === 'error' ? 'alert' : 'status';
  return (
    <div className={`banner banner--${props.tone}`} role={role}>
      <p className="banner__title">{props.title}</p>
      {props.children ? <div>{props.children}</div> : null}
    </div>
  );
}
