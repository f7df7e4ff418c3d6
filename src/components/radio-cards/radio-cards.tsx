// A radio group (react-aria) drawn as cards with a title and a line of explanation each.
import { Label, Radio, RadioGroup, Text } from 'react-aria-components';

export interface RadioCardOption {
  value: string;
  title: string;
  text: string;
}

export function RadioCards(props: { label: string; value: string; options: readonly RadioCardOption[]; onChange: (v: string) => void; description?: string }) {
  return (
    <RadioGroup className="radio-group" value={props.value} onChange={props.onChange} orientation="horizontal">
      <Label className="field__label">{props.label}</Label>
      {props.description ? (
        <Text slot="description" className="field__hint">
          {props.description}
        </Text>
      ) : null}
      <div className="radio-group__options">
        {props.options.map((o) => (
          <Radio key={o.value} value={o.value} className="radio-card" aria-label={o.title}>
            <span className="radio-card__title">{o.title}</span>
            <span className="radio-card__text">{o.text}</span>
          </Radio>
        ))}
      </div>
    </RadioGroup>
  );
}
