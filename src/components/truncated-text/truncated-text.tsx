// Long values are cut with an ellipsis; the full value stays available as the title and to screen readers.

export function TruncatedText(props: { text: string; maxWidth?: number | string; className?: string }) {
  return (
    <span
      className={`truncate${props.className ? ` ${props.className}` : ''}`}
      title={props.text}
      style={props.maxWidth !== undefined ? { maxWidth: props.maxWidth } : undefined}
    >
      {props.text}
    </span>
  );
}
