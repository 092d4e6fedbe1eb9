import type { Api } from './api';
import type { PortalConfig } from './config';
import type { Session } from './session';

/** What every page gets: configuration, the API client, the session and navigation. */
export interface AppContext {
  config: PortalConfig;
  api: Api;
  session: () => Session | null;
  signIn: (session: Session) => void;
  navigate: (hash: string) => void;
  /** Query parameters of the current route (`#/staff?year=2023`). */
  params: URLSearchParams;
  /** Sends the browser to the OpenID provider (only when config.oidc is set). */
  oidcSignIn: (kind: 'citizen' | 'staff', next: string) => void;
}

export type Page = (ctx: AppContext) => HTMLElement | Promise<HTMLElement>;
