/**
 * The signed-in user: the bearer token and what the page shows about it. Kept in sessionStorage,
 * so closing the tab signs out. Roles decoded here only choose what to show; the gateway decides.
 */
export interface Session {
  token: string;
  kind: 'citizen' | 'staff';
  displayName: string;
  roles: string[];
}

const KEY = 'portal.session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Session;
    return typeof parsed.token === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** Applications this browser submitted, so a citizen can follow them (the API has no "my applications" list). */
export interface TrackedApplication {
  kind: 'dibao' | 'temporary';
  id: string;
}

const APPLICATIONS = 'portal.applications';

export function trackedApplications(): TrackedApplication[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(APPLICATIONS) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as TrackedApplication[]).filter((a) => (a.kind === 'dibao' || a.kind === 'temporary') && typeof a.id === 'string') : [];
  } catch {
    return [];
  }
}

export function trackApplication(application: TrackedApplication): void {
  const list = trackedApplications().filter((a) => a.id !== application.id);
  localStorage.setItem(APPLICATIONS, JSON.stringify([application, ...list].slice(0, 20)));
}
