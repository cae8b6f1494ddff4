import type { Action } from '../../actions/action';

export interface DocumentActionContext {
  id: string;
  navigate: (to: string) => void;
  canEdit: boolean;
}

/** Commands on an open document, shared by its toolbar, the palette and shortcuts. */
export const documentActions: Action<DocumentActionContext>[] = [
  {
    id: 'document.edit',
    label: 'Edit',
    shortcut: 'e',
    enabled: (c) => c.canEdit,
    perform: (c) => c.navigate(`/d/${c.id}/edit`),
  },
  {
    id: 'document.history',
    label: 'History',
    shortcut: 'h',
    perform: (c) => c.navigate(`/d/${c.id}/history`),
  },
  {
    id: 'document.export',
    label: 'Download markdown',
    perform: (c) => {
      window.location.href = `/api/v1/documents/${encodeURIComponent(c.id)}/export`;
    },
  },
];
