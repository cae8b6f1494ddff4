import { useState } from 'react';
import { endpoints } from '../../api/endpoints';
import { useAsync } from '../../app/use-async';
import { AsyncView } from '../../components/async-view';

function useRunner(onDone: () => void) {
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return { error, run };
}

function Users() {
  const users = useAsync(() => endpoints.users(), []);
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<'admin' | 'member' | 'viewer'>('member');
  const [password, setPassword] = useState('');
  const { error, run } = useRunner(users.reload);
  return (
    <section className="card" aria-labelledby="users-h">
      <h2 id="users-h">Users</h2>
      <AsyncView state={users}>
        {(u) => (
          <ul>
            {u.items.map((user) => (
              <li key={user.username}>
                {user.username}{' '}
                <span className="muted">
                  {user.role}
                  {user.disabled ? ', disabled' : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
      <div className="toolbar">
        <label className="sr-only" htmlFor="nu-name">
          New user name
        </label>
        <input
          id="nu-name"
          placeholder="user name"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label className="sr-only" htmlFor="nu-role">
          Role
        </label>
        <select id="nu-role" value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
          <option value="viewer">viewer</option>
          <option value="member">member</option>
          <option value="admin">admin</option>
        </select>
        <label className="sr-only" htmlFor="nu-pass">
          Password (12+ characters)
        </label>
        <input
          id="nu-pass"
          type="password"
          placeholder="password (12+)"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button
          onClick={() =>
            run(() => endpoints.createUser({ username, role, ...(password ? { password } : {}) }))
          }
          disabled={username.trim() === ''}
        >
          Add user
        </button>
      </div>
      {error && <p className="notice error">{error}</p>}
    </section>
  );
}

function Groups() {
  const groups = useAsync(() => endpoints.groups(), []);
  const templates = useAsync(() => endpoints.templates(), []);
  const [name, setName] = useState('');
  const [member, setMember] = useState<Record<string, string>>({});
  const { error, run } = useRunner(() => {
    groups.reload();
    templates.reload();
  });
  return (
    <section className="card" aria-labelledby="groups-h">
      <h2 id="groups-h">Groups and slot rosters</h2>
      <AsyncView state={groups}>
        {(g) => (
          <ul>
            {g.items.map((group) => (
              <li key={group.name}>
                <strong>{group.name}</strong>:{' '}
                {group.members.join(', ') || <span className="muted">no members</span>}
                <div className="toolbar">
                  <label className="sr-only" htmlFor={`gm-${group.name}`}>
                    Add member to {group.name}
                  </label>
                  <input
                    id={`gm-${group.name}`}
                    placeholder="user name"
                    value={member[group.name] ?? ''}
                    onChange={(e) => setMember({ ...member, [group.name]: e.target.value })}
                  />
                  <button
                    onClick={() => run(() => endpoints.addMember(group.name, member[group.name] ?? ''))}
                  >
                    Add member
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
      <div className="toolbar">
        <label className="sr-only" htmlFor="ng-name">
          New group name
        </label>
        <input id="ng-name" placeholder="group name" value={name} onChange={(e) => setName(e.target.value)} />
        <button onClick={() => run(() => endpoints.createGroup(name))} disabled={name.trim() === ''}>
          Add group
        </button>
      </div>
      <h3>Rosters</h3>
      <AsyncView state={templates}>
        {(t) => (
          <table className="list">
            <thead>
              <tr>
                <th>Template</th>
                <th>Slot</th>
                <th>Roster group</th>
              </tr>
            </thead>
            <tbody>
              {t.items.flatMap((tpl) =>
                (tpl.approvalSlots ?? []).map((slot) => (
                  <tr key={`${tpl.name}-${slot.name}`}>
                    <td>{tpl.name}</td>
                    <td>{slot.name}</td>
                    <td>
                      <label className="sr-only" htmlFor={`roster-${tpl.name}-${slot.name}`}>
                        Roster for {slot.name}
                      </label>
                      <select
                        id={`roster-${tpl.name}-${slot.name}`}
                        defaultValue={slot.roster ?? ''}
                        onChange={(e) =>
                          run(() => endpoints.setRoster(tpl.name, slot.name, e.target.value || null))
                        }
                      >
                        <option value="">anyone</option>
                        {(groups.data?.items ?? []).map((g) => (
                          <option key={g.name} value={g.name}>
                            {g.name}
                          </option>
                        ))}
                        {slot.roster && !(groups.data?.items ?? []).some((g) => g.name === slot.roster) && (
                          <option value={slot.roster}>{slot.roster}</option>
                        )}
                      </select>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        )}
      </AsyncView>
      {error && <p className="notice error">{error}</p>}
    </section>
  );
}

function Tokens() {
  const tokens = useAsync(() => endpoints.tokens(), []);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'read' | 'write' | 'admin'>('read');
  const [shown, setShown] = useState<string | null>(null);
  const { error, run } = useRunner(tokens.reload);
  return (
    <section className="card" aria-labelledby="tokens-h">
      <h2 id="tokens-h">API tokens</h2>
      {shown && (
        <p className="notice ok" role="status">
          Copy this token now; it is not shown again: <code data-testid="new-token">{shown}</code>
        </p>
      )}
      <AsyncView state={tokens}>
        {(t) => (
          <ul>
            {t.items.map((token) => (
              <li key={token.id}>
                {token.name}{' '}
                <span className="muted">
                  {token.scopes.join(', ')}
                  {token.revokedAt ? ' · revoked' : ''}
                </span>{' '}
                {!token.revokedAt && (
                  <button onClick={() => run(() => endpoints.revokeToken(token.id))}>Revoke</button>
                )}
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
      <div className="toolbar">
        <label className="sr-only" htmlFor="nt-name">
          Token name
        </label>
        <input id="nt-name" placeholder="token name" value={name} onChange={(e) => setName(e.target.value)} />
        <label className="sr-only" htmlFor="nt-scope">
          Scope
        </label>
        <select id="nt-scope" value={scope} onChange={(e) => setScope(e.target.value as typeof scope)}>
          <option value="read">read</option>
          <option value="write">read + write</option>
          <option value="admin">read + write + admin</option>
        </select>
        <button
          disabled={name.trim() === ''}
          onClick={() =>
            run(async () => {
              const scopes: Array<'read' | 'write' | 'admin'> =
                scope === 'read'
                  ? ['read']
                  : scope === 'write'
                    ? ['read', 'write']
                    : ['read', 'write', 'admin'];
              const created = await endpoints.createToken(name, scopes);
              setShown(created.token);
              setName('');
            })
          }
        >
          Create token
        </button>
      </div>
      {error && <p className="notice error">{error}</p>}
    </section>
  );
}

function Templates() {
  const templates = useAsync(() => endpoints.templates(), []);
  return (
    <section className="card" aria-labelledby="templates-h">
      <h2 id="templates-h">Templates</h2>
      <AsyncView state={templates}>
        {(t) => (
          <ul>
            {t.items.map((tpl) => (
              <li key={tpl.name}>
                <strong>{tpl.title}</strong> <span className="muted">({tpl.name})</span> — {tpl.description}
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
      <p className="muted">
        Add a template by dropping a markdown file into the server's templates folder (see docs/templates.md).
      </p>
    </section>
  );
}

/** Administration: users, groups and slot rosters, API tokens, templates. */
export function SettingsPage({ isAdmin }: { isAdmin: boolean }) {
  return (
    <>
      <h1>Settings</h1>
      <div className="grid">
        {isAdmin && <Users />}
        {isAdmin && <Groups />}
        <Tokens />
        <Templates />
      </div>
    </>
  );
}
