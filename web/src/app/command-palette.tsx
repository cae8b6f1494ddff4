import { useEffect, useMemo, useRef, useState } from 'react';
import { shortcutLabel, type Action } from '../actions/action';

interface Props<C> {
  actions: Action<C>[];
  context: C;
  onClose: () => void;
}

/** Ctrl/⌘+K: every registered action, searchable, runnable from the keyboard. */
export function CommandPalette<C>({ actions, context, onClose }: Props<C>) {
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const visible = useMemo(
    () =>
      actions.filter(
        (a) =>
          a.inPalette !== false &&
          (a.enabled ? a.enabled(context) : true) &&
          a.label.toLowerCase().includes(query.toLowerCase()),
      ),
    [actions, context, query],
  );
  useEffect(() => input.current?.focus(), []);
  useEffect(() => setSelected(0), [query]);

  function run(action: Action<C> | undefined) {
    if (!action) return;
    onClose();
    void action.perform(context);
  }

  return (
    <div className="palette-backdrop" onMouseDown={onClose}>
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        onMouseDown={(e) => e.stopPropagation()}
      >
        <input
          ref={input}
          value={query}
          aria-label="Type a command"
          aria-controls="palette-list"
          aria-activedescendant={visible[selected] ? `palette-${visible[selected].id}` : undefined}
          role="combobox"
          aria-expanded="true"
          placeholder="Type a command…"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onClose();
            else if (e.key === 'ArrowDown') {
              e.preventDefault();
              setSelected((s) => Math.min(s + 1, visible.length - 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setSelected((s) => Math.max(s - 1, 0));
            } else if (e.key === 'Enter') run(visible[selected]);
          }}
        />
        <ul id="palette-list" role="listbox" aria-label="Commands">
          {visible.map((action, i) => (
            <li
              key={action.id}
              id={`palette-${action.id}`}
              role="option"
              aria-selected={i === selected}
              onMouseEnter={() => setSelected(i)}
              onClick={() => run(action)}
            >
              <span>{action.label}</span>
              {action.shortcut && <kbd>{shortcutLabel(action.shortcut)}</kbd>}
            </li>
          ))}
          {visible.length === 0 && <li className="muted">No command matches.</li>}
        </ul>
      </div>
    </div>
  );
}
