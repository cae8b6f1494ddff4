const LABELS: Record<string, string> = {
  draft: 'Draft',
  'in-review': 'In review',
  approved: 'Approved',
  implemented: 'Implemented',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  deferred: 'Deferred',
  superseded: 'Superseded',
  deprecated: 'Deprecated',
};

/** The lifecycle state as a badge; the raw status word is kept in the tooltip. */
export function StatusBadge({ status, raw }: { status: string | null; raw?: string }) {
  const key = status ?? 'none';
  return (
    <span
      className={`badge status-${key}`}
      title={raw ? `Written as “${raw}”` : undefined}
      data-testid="status-badge"
    >
      {status ? (LABELS[status] ?? status) : raw || 'No status'}
    </span>
  );
}
