// The encoding proposal (e.g. windows-1252 for a file that is not valid UTF-8): the lines whose characters
// change, before and after, and one button to confirm. Nothing is guessed silently (bad-inputs #9).
import { Banner } from '../../components/banner/banner.tsx';
import { TruncatedText } from '../../components/truncated-text/truncated-text.tsx';
import type { EncodingProposal } from '../../domain/csv/types.ts';
import { formatInt } from '../../lib/format.ts';

export function EncodingProposalPanel(props: { proposal: EncodingProposal; disabled: boolean; onConfirm: (name: string) => void }) {
  const p = props.proposal;
  return (
    <Banner tone="warning" title={`This file is not UTF-8. It reads correctly as ${p.name} — please confirm`}>
      <p>
        {formatInt(p.totalChangedLines)} line{p.totalChangedLines === 1 ? '' : 's'} change when read as {p.name}. Check the characters below look right
        (accents, €, quotes), then confirm. If they don’t, pick another encoding above.
      </p>
      <div className="table-wrap" tabIndex={0} style={{ maxHeight: 240, marginTop: 8 }}>
        <table className="table before-after">
          <caption className="visually-hidden">Lines that change with {p.name}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                Line
              </th>
              <th scope="col">As UTF-8 (broken)</th>
              <th scope="col">As {p.name}</th>
            </tr>
          </thead>
          <tbody>
            {p.changedLines.map((l) => (
              <tr key={l.line}>
                <td className="num">{formatInt(l.line)}</td>
                <td className="before">
                  <TruncatedText text={l.before} maxWidth={420} />
                </td>
                <td className="after">
                  <TruncatedText text={l.after} maxWidth={420} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="row" style={{ marginTop: 8 }}>
        <button type="button" className="btn btn--primary btn--small" disabled={props.disabled} onClick={() => props.onConfirm(p.name)}>
          Use {p.name}
        </button>
      </div>
    </Banner>
  );
}
