import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, Route, Switch, useLocation, useRoute } from 'wouter';
import type { Action } from '../actions/action';
import { useActionShortcuts } from '../actions/use-actions';
import { onUnauthorized, setCsrfToken } from '../api/client';
import { endpoints, type Session } from '../api/endpoints';
import { LoginPage } from '../features/auth/login-page';
import { DashboardPage } from '../features/dashboard/dashboard-page';
import { DocumentPage } from '../features/documents/document-page';
import { DocumentsPage } from '../features/documents/documents-page';
import { NewDocumentPage } from '../features/documents/new-document-page';
import { CommandPalette } from './command-palette';
import { applyTheme, initialTheme, type Theme } from './theme';

// The editor (CodeMirror), history (diff) and settings are split into chunks loaded on demand.
const EditorPage = lazy(() =>
  import('../features/editor/editor-page').then((m) => ({ default: m.EditorPage })),
);
const HistoryPage = lazy(() =>
  import('../features/history/history-page').then((m) => ({ default: m.HistoryPage })),
);
const SettingsPage = lazy(() =>
  import('../features/settings/settings-page').then((m) => ({ default: m.SettingsPage })),
);

interface GlobalContext {
  navigate: (to: string) => void;
  toggleTheme: () => void;
  openPalette: () => void;
  signOut: () => void;
}

const globalActions: Action<GlobalContext>[] = [
  {
    id: 'palette',
    label: 'Command palette',
    shortcut: 'mod+k',
    inPalette: false,
    perform: (c) => c.openPalette(),
  },
  { id: 'go.dashboard', label: 'Go to dashboard', shortcut: 'g d', perform: (c) => c.navigate('/') },
  { id: 'go.documents', label: 'Go to documents', shortcut: 'g l', perform: (c) => c.navigate('/documents') },
  { id: 'document.new', label: 'New document', shortcut: 'g n', perform: (c) => c.navigate('/new') },
  {
    id: 'search',
    label: 'Search documents',
    shortcut: '/',
    perform: (c) => {
      c.navigate('/documents');
      setTimeout(() => document.getElementById('doc-search')?.focus(), 50);
    },
  },
  { id: 'go.settings', label: 'Go to settings', shortcut: 'g s', perform: (c) => c.navigate('/settings') },
  { id: 'theme.toggle', label: 'Toggle dark mode', perform: (c) => c.toggleTheme() },
  { id: 'session.sign-out', label: 'Sign out', perform: (c) => c.signOut() },
];

function NavLink({ href, children }: { href: string; children: string }) {
  const [active] = useRoute(href === '/' ? '/' : `${href}/*?`);
  return (
    <Link href={href} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function Routed({ session }: { session: Session }) {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <Switch>
        <Route path="/">{() => <DashboardPage />}</Route>
        <Route path="/documents">{() => <DocumentsPage />}</Route>
        <Route path="/new">{() => <NewDocumentPage />}</Route>
        <Route path="/d/:id/edit">{(p) => <EditorPage id={p.id} />}</Route>
        <Route path="/d/:id/history">{(p) => <HistoryPage id={p.id} />}</Route>
        <Route path="/d/:id">{(p) => <DocumentPage id={p.id} session={session} />}</Route>
        <Route path="/settings">{() => <SettingsPage isAdmin={session.user.role === 'admin'} />}</Route>
        <Route>
          <h1>Not found</h1>
          <p>
            Nothing lives at this address. <Link href="/">Back to the dashboard</Link>.
          </p>
        </Route>
      </Switch>
    </Suspense>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null | 'loading'>('loading');
  const [expired, setExpired] = useState(false);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [palette, setPalette] = useState(false);
  const [, navigate] = useLocation();

  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => {
    endpoints.session().then(
      (s) => {
        setCsrfToken(s.csrfToken);
        setSession(s);
      },
      () => setSession(null),
    );
  }, []);
  useEffect(
    () =>
      onUnauthorized(() => {
        setSession((s) => {
          if (s && s !== 'loading') setExpired(true);
          return null;
        });
      }),
    [],
  );

  const context = useMemo<GlobalContext>(
    () => ({
      navigate,
      toggleTheme: () => setTheme((t) => (t === 'dark' ? 'light' : 'dark')),
      openPalette: () => setPalette(true),
      signOut: () => {
        void endpoints.logout().finally(() => {
          setCsrfToken(null);
          setSession(null);
        });
      },
    }),
    [navigate],
  );
  useActionShortcuts(globalActions, context);

  if (session === 'loading') return <p className="muted">Loading…</p>;
  if (session === null)
    return (
      <LoginPage
        expired={expired}
        onSignedIn={(s) => {
          setExpired(false);
          setSession(s);
        }}
      />
    );

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          designdoc
        </Link>
        <nav aria-label="Main">
          <NavLink href="/">Dashboard</NavLink>
          <NavLink href="/documents">Documents</NavLink>
          <NavLink href="/new">New document</NavLink>
          <NavLink href="/settings">Settings</NavLink>
        </nav>
        <span className="spacer" />
        <button onClick={() => setPalette(true)} aria-keyshortcuts="Control+K">
          Commands <kbd>Ctrl K</kbd>
        </button>
        <button
          onClick={context.toggleTheme}
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} mode`}
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
        <span className="muted">{session.user.displayName || session.user.username}</span>
        <button onClick={context.signOut}>Sign out</button>
      </header>
      <main id="main">
        <Routed session={session} />
      </main>
      {palette && (
        <CommandPalette actions={globalActions} context={context} onClose={() => setPalette(false)} />
      )}
    </div>
  );
}
