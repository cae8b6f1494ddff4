import type { ReactNode } from 'react';
import type { AsyncState } from '../app/use-async';

/** Loading, error (with the server's reason) or content. */
export function AsyncView<T>({
  state,
  children,
}: {
  state: AsyncState<T>;
  children: (data: T) => ReactNode;
}) {
  if (state.error)
    return (
      <p className="notice error" role="alert">
        {state.error.message}
      </p>
    );
  if (state.loading && state.data === null)
    return (
      <p className="muted" aria-live="polite">
        Loading…
      </p>
    );
  if (state.data === null) return null;
  return <>{children(state.data)}</>;
}
