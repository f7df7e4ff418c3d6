import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { Stepper } from './stepper.tsx';
import { Banner } from '../banner/banner.tsx';
import { FileDrop } from '../file-drop/file-drop.tsx';
import { SelectField } from '../select-field/select-field.tsx';

const steps = [
  { id: 'a', label: 'Destination' },
  { id: 'b', label: 'Upload' },
  { id: 'c', label: 'Map columns' },
];

describe('presentational components', () => {
  it('stepper marks the current step and makes done steps buttons only when going back is allowed', () => {
    const withGo = renderToStaticMarkup(<Stepper steps={steps} currentId="b" doneIds={['a']} onGo={() => undefined} />);
    expect(withGo).toContain('aria-current="step"');
    expect(withGo).toContain('Go back to step 1: Destination');
    const without = renderToStaticMarkup(<Stepper steps={steps} currentId="b" doneIds={['a']} />);
    expect(without).not.toContain('<button');
    expect(without).toContain('(done)');
  });

  it('the file input is labelled "CSV file"', () => {
    const html = renderToStaticMarkup(<FileDrop onFile={() => undefined} />);
    const id = /<input id="([^"]+)"/.exec(html)?.[1];
    expect(id).toBeTruthy();
    expect(html).toContain(`<label for="${id}" class="section-title">CSV file</label>`);
  });

  it('banners announce errors as alerts and render their text as text', () => {
    const html = renderToStaticMarkup(<Banner tone="error" title={'<img src=x onerror=alert(1)>'} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(renderToStaticMarkup(<Banner tone="info" title="t" />)).toContain('role="status"');
  });

  it('a select field ties its label, hint and error to the control', () => {
    const html = renderToStaticMarkup(
      <SelectField
        label="Module"
        value=""
        placeholder="Choose"
        options={[{ value: 'Contacts', label: 'Contacts' }]}
        onChange={() => undefined}
        hint="h"
        error="e"
      />,
    );
    const id = /<select id="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(html).toContain(`<label class="field__label" for="${id}">Module</label>`);
    expect(html).toContain(`aria-describedby="${id}-hint ${id}-err"`);
    expect(html).toContain('aria-invalid="true"');
  });
});
