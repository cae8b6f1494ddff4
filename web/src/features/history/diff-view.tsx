import { diffLines, type Change } from 'diff';
import { useMemo } from 'react';

interface Props {
  before: string;
  after: string;
  mode: 'inline' | 'side-by-side';
  /** Section titles changed between the two revisions, highlighted above the diff. */
  changedSections?: string[];
}

interface Row {
  kind: 'same' | 'added' | 'removed';
  left: string | null;
  right: string | null;
  leftNo: number | null;
  rightNo: number | null;
}

function toRows(changes: Change[]): Row[] {
  const rows: Row[] = [];
  let l = 1;
  let r = 1;
  for (const change of changes) {
    const lines = change.value.replace(/\n$/, '').split('\n');
    for (const line of lines) {
      if (change.added) rows.push({ kind: 'added', left: null, right: line, leftNo: null, rightNo: r++ });
      else if (change.removed)
        rows.push({ kind: 'removed', left: line, right: null, leftNo: l++, rightNo: null });
      else rows.push({ kind: 'same', left: line, right: line, leftNo: l++, rightNo: r++ });
    }
  }
  return rows;
}

/** Pairs removed and added runs so side-by-side rows line up. */
function pairRows(rows: Row[]): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < rows.length;) {
    const row = rows[i] as Row;
    if (row.kind !== 'removed') {
      out.push(row);
      i++;
      continue;
    }
    const removed: Row[] = [];
    while (i < rows.length && (rows[i] as Row).kind === 'removed') removed.push(rows[i++] as Row);
    const added: Row[] = [];
    while (i < rows.length && (rows[i] as Row).kind === 'added') added.push(rows[i++] as Row);
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const a = removed[k];
      const b = added[k];
      out.push({
        kind: a && b ? 'removed' : a ? 'removed' : 'added',
        left: a?.left ?? null,
        leftNo: a?.leftNo ?? null,
        right: b?.right ?? null,
        rightNo: b?.rightNo ?? null,
      });
    }
  }
  return out;
}

/** Line diff between two revisions, inline or side by side. */
export function DiffView({ before, after, mode, changedSections = [] }: Props) {
  const rows = useMemo(() => toRows(diffLines(before, after)), [before, after]);
  const paired = useMemo(() => (mode === 'side-by-side' ? pairRows(rows) : rows), [rows, mode]);
  const added = rows.filter((r) => r.kind === 'added').length;
  const removed = rows.filter((r) => r.kind === 'removed').length;
  return (
    <div className="diff" data-testid="diff-view">
      <p className="diff-summary">
        <span className="diff-added-count">+{added}</span>{' '}
        <span className="diff-removed-count">−{removed}</span>
        {changedSections.length > 0 && (
          <>
            {' '}
            · changed sections:{' '}
            {changedSections.map((s) => (
              <mark key={s} className="changed-section">
                {s}
              </mark>
            ))}
          </>
        )}
      </p>
      <table className={`diff-table diff-${mode}`}>
        <tbody>
          {paired.map((row, i) =>
            mode === 'inline' ? (
              <tr key={i} className={`diff-${row.kind}`}>
                <td className="ln">{row.leftNo ?? ''}</td>
                <td className="ln">{row.rightNo ?? ''}</td>
                <td className="sign">{row.kind === 'added' ? '+' : row.kind === 'removed' ? '−' : ' '}</td>
                <td className="code">{row.kind === 'added' ? row.right : row.left}</td>
              </tr>
            ) : (
              <tr key={i} className={`diff-${row.kind}`}>
                <td className="ln">{row.leftNo ?? ''}</td>
                <td className={`code ${row.left !== null && row.kind !== 'same' ? 'diff-removed' : ''}`}>
                  {row.left ?? ''}
                </td>
                <td className="ln">{row.rightNo ?? ''}</td>
                <td className={`code ${row.right !== null && row.kind !== 'same' ? 'diff-added' : ''}`}>
                  {row.right ?? ''}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
