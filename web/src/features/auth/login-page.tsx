import { useState, type FormEvent } from 'react';
import { ApiError, setCsrfToken } from '../../api/client';
import { endpoints, type Session } from '../../api/endpoints';

interface Props {
  expired: boolean;
  onSignedIn: (session: Session) => void;
}

/** Local-account sign-in. The first-run admin password is printed once by `npm start`. */
export function LoginPage({ expired, onSignedIn }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await endpoints.login(username, password);
      setCsrfToken(result.csrfToken);
      onSignedIn({ user: result.user, groups: result.user.groups ?? [], csrfToken: result.csrfToken });
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 401
          ? 'That user name and password do not match.'
          : (e as Error).message,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <h1>Sign in to designdoc</h1>
      {expired && (
        <p className="notice" role="status">
          Your session has ended. Sign in again; unsaved edits are kept in this browser.
        </p>
      )}
      <form onSubmit={submit}>
        <label htmlFor="username">User name</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
        <p>
          <button className="primary" type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </p>
      </form>
      <p className="muted">
        On a new installation, the admin password was printed once by the server when it first started.
      </p>
    </main>
  );
}
