/**
 * Unsaved text lives in localStorage until the server acknowledges a save, so a closed tab, an
 * expired session or a conflict never loses an edit.
 */
export interface LocalDraft {
  text: string;
  baseRevision: number;
  savedAt: number;
}

const key = (id: string) => `designdoc.draft.${id}`;

export function readDraft(id: string): LocalDraft | null {
  try {
    const raw = localStorage.getItem(key(id));
    return raw ? (JSON.parse(raw) as LocalDraft) : null;
  } catch {
    return null;
  }
}

export function writeDraft(id: string, draft: LocalDraft): void {
  localStorage.setItem(key(id), JSON.stringify(draft));
}

export function clearDraft(id: string): void {
  localStorage.removeItem(key(id));
}
