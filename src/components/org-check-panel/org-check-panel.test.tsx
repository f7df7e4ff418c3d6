// Server-renders the org-check panel in Node to check what it promises before anything is read: the switch, the
// fields per module, the cost in jobs × credits, and each state's words (running with Cancel, failed, off).
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { OrgCheckPanel, type OrgCheckStatus } from './org-check-panel.tsx';

const reads = [
  { module: 'Contacts', fields: ['id', 'Email', 'Title'], jobs: 1 },
  { module: 'Accounts', fields: ['id', 'Account_Name'], jobs: 1 },
];
const render = (status: OrgCheckStatus, enabled = true) =>
  renderToStaticMarkup(
    <OrgCheckPanel
      enabled={enabled}
      onEnabledChange={() => undefined}
      reads={reads}
      readsUsers
      creditsPerJob={50}
      status={status}
      onStart={() => undefined}
      onCancel={() => undefined}
    />,
  );

describe('OrgCheckPanel', () => {
  it('says what it reads and what it costs before it starts', () => {
    const html = render({ kind: 'ready' });
    expect(html).toContain('role="switch"');
    expect(html).toContain('Check against the org');
    expect(html).toContain('2 Bulk Read jobs × 50 credits = 100 credits');
    expect(html).toMatch(/<strong>Contacts<\/strong>.*<code>id<\/code>.*<code>Email<\/code>.*<code>Title<\/code>/);
    expect(html).toContain('<strong>Users</strong>');
    expect(html).toContain('Run the check (100 credits)');
  });
  it('shows progress with Cancel while running, and says the file-only prediction stands after a failure', () => {
    const running = render({ kind: 'running', phase: 'Reading Contacts', done: 1, total: 2 });
    expect(running).toContain('Cancel the check');
    expect(running).toContain('Reading Contacts — 1 of 2');
    expect(running).not.toContain('Run the check');
    const failed = render({ kind: 'failed', message: 'The Bulk Read job of Contacts ended in FAILURE.', earlier: false });
    expect(failed).toContain('The check against the org did not finish');
    expect(failed).toContain('ended in FAILURE');
    expect(failed).toContain('the prediction from the file alone still stands');
    expect(failed).toContain('Run the check (100 credits)');
  });
  it('after a run that did not finish, says an earlier result still shows rather than that nothing was found', () => {
    const failed = render({ kind: 'failed', message: 'The Bulk Read result of Contacts was cut short.', earlier: true });
    expect(failed).toContain('was cut short');
    expect(failed).toContain('The result of the earlier check still shows below');
    expect(failed).not.toContain('found nothing wrong or right yet');
    expect(failed).toContain('Check again (100 credits)');
    const cancelled = render({ kind: 'cancelled', earlier: true });
    expect(cancelled).toContain('Check cancelled: nothing was kept from it.');
    expect(cancelled).toContain('The result of the earlier check still shows below');
    expect(cancelled).not.toContain('file-only prediction below still stands');
    expect(render({ kind: 'cancelled', earlier: false })).toContain('The file-only prediction below still stands.');
  });
  it('reads nothing and offers nothing when switched off', () => {
    const html = render({ kind: 'ready' }, false);
    expect(html).toContain('nothing is read from the org');
    expect(html).not.toContain('Run the check');
    expect(html).not.toContain('credits');
  });
});
