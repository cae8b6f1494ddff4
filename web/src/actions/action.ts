/**
 * Every user command is one action object, shared by buttons, menus, the command palette and
 * keyboard shortcuts, so a command behaves the same wherever it is started.
 */
export interface Action<C = void> {
  id: string;
  label: string;
  /** `mod` is Ctrl on Linux/Windows and ⌘ on macOS, e.g. `mod+s`, `g d`. */
  shortcut?: string;
  /** Shown in the palette; false hides it there but keeps the shortcut. */
  inPalette?: boolean;
  enabled?: (context: C) => boolean;
  perform: (context: C) => void | Promise<void>;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Human form of a shortcut for tooltips and the palette. */
export function shortcutLabel(shortcut: string): string {
  return shortcut
    .split(' ')
    .map((chord) =>
      chord
        .split('+')
        .map((key) => (key === 'mod' ? (isMac ? '⌘' : 'Ctrl') : key.length === 1 ? key.toUpperCase() : key))
        .join(isMac ? '' : '+'),
    )
    .join(' then ');
}

/** True when a keyboard event matches a single-chord shortcut such as `mod+s` or `shift+?`. */
export function matchesChord(event: KeyboardEvent, chord: string): boolean {
  const parts = chord.toLowerCase().split('+');
  const key = parts[parts.length - 1];
  const wantMod = parts.includes('mod');
  const wantShift = parts.includes('shift');
  const wantAlt = parts.includes('alt');
  const mod = isMac ? event.metaKey : event.ctrlKey;
  return (
    event.key.toLowerCase() === key &&
    mod === wantMod &&
    event.altKey === wantAlt &&
    (key === '?' || event.shiftKey === wantShift)
  );
}
