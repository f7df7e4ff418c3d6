// Searchable single choice (react-aria ComboBox): type to filter by label, API name or type; each option shows
// its meta line (API name, type, mandatory/unique marks). Presentational: options in, selection out.
import { Button, ComboBox, Input, Label, ListBox, ListBoxItem, Popover, Text } from 'react-aria-components';

export interface ComboOption {
  id: string;
  label: string;
  meta?: string;
  /** What the input shows once chosen and what typing searches (defaults to the label). */
  textValue?: string;
  disabled?: boolean;
}

export function FieldCombobox(props: {
  label: string;
  /** Visually hide the label (it is still the accessible name). */
  hideLabel?: boolean;
  options: readonly ComboOption[];
  selectedId: string | null;
  onChange: (id: string | null) => void;
  placeholder?: string;
  description?: string | undefined;
  /** Focus the input on mount (when the picker replaces a button the user just pressed). */
  autoFocus?: boolean;
}) {
  const disabledKeys = props.options.filter((o) => o.disabled).map((o) => o.id);
  return (
    <ComboBox
      className="combo"
      selectedKey={props.selectedId}
      onSelectionChange={(k) => props.onChange(k === null ? null : String(k))}
      defaultItems={props.options}
      disabledKeys={disabledKeys}
      menuTrigger="focus"
      defaultFilter={(text, input) => text.toLowerCase().includes(input.trim().toLowerCase())}
    >
      <Label className={props.hideLabel ? 'visually-hidden' : 'field__label'}>{props.label}</Label>
      <div className="combo__control">
        <Input className="input input--small" placeholder={props.placeholder ?? 'Type to search fields'} autoFocus={props.autoFocus ?? false} />
        <Button className="combo__button" aria-label="Show options">
          ▾
        </Button>
      </div>
      {props.description ? (
        <Text slot="description" className="field__hint">
          {props.description}
        </Text>
      ) : null}
      <Popover className="popover">
        <ListBox className="listbox">
          {(o: ComboOption) => (
            <ListBoxItem id={o.id} className="listbox__item" textValue={o.textValue ?? o.label}>
              <span>{o.label}</span>
              {o.meta ? <span className="listbox__meta">{o.meta}</span> : null}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
