import { useEffect, useRef } from 'react';
import { matchesChord, type Action } from './action';

const pending: { first: string | null; at: number } = { first: null, at: 0 };

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) ||
    !!target.closest('.cm-editor')
  );
}

/**
 * Binds the shortcuts of a set of actions while the calling component is mounted. Two-key
 * sequences (`g d`) work outside text inputs; chords with `mod` work everywhere.
 */
export function useActionShortcuts<C>(actions: Action<C>[], context: C): void {
  const latest = useRef({ actions, context });
  latest.current = { actions, context };
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const { actions: list, context: ctx } = latest.current;
      for (const action of list) {
        if (!action.shortcut) continue;
        const chords = action.shortcut.split(' ');
        const enabled = action.enabled ? action.enabled(ctx) : true;
        if (chords.length === 1) {
          const chord = chords[0] as string;
          if (!chord.includes('mod') && isTyping(event.target)) continue;
          if (matchesChord(event, chord) && enabled) {
            event.preventDefault();
            void action.perform(ctx);
            return;
          }
        } else if (!isTyping(event.target)) {
          const [first, second] = chords as [string, string];
          const now = Date.now();
          if (pending.first === first && now - pending.at < 1200 && matchesChord(event, second) && enabled) {
            pending.first = null;
            event.preventDefault();
            void action.perform(ctx);
            return;
          }
        }
      }
      if (!isTyping(event.target) && event.key.length === 1 && !event.ctrlKey && !event.metaKey) {
        pending.first = event.key.toLowerCase();
        pending.at = Date.now();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
