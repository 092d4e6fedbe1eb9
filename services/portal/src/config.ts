/** Runtime configuration, read from config.json next to index.html so one build serves any environment. */
export interface PortalConfig {
  /** The gateway's origin, e.g. https://api.example.gov.cn (no trailing slash). */
  gatewayUrl: string;
  /** Show the development sign-in forms (POST /api/v1/dev/tokens); default: on without `oidc`, off with it. */
  devSignIn: boolean;
  /** Cemetery sites offered for visit booking (the API has no public list of sites yet). */
  cemeterySites: { id: string; name: string }[];
  /** The year the dashboard opens on; the previous calendar year when unset. */
  dashboardYear: number | null;
  /** Sign-in with the bureau's OpenID provider (Authorization Code + PKCE); null: none offered. */
  oidc: { issuer: string; clientId: string; scope: string } | null;
}

export const DEFAULT_CEMETERY_SITES: PortalConfig['cemeterySites'] = [{ id: '0193a0a0-0000-7000-8000-0000000000c1', name: '雨溪公墓' }];

/** Validates config.json's content; throws naming the bad key. */
export function parseConfig(raw: unknown): PortalConfig {
  if (typeof raw !== 'object' || raw === null) throw new Error('config.json is not an object');
  const record = raw as Record<string, unknown>;
  const gatewayUrl = record.gatewayUrl;
  if (typeof gatewayUrl !== 'string' || !/^https?:\/\/[^/]+/.test(gatewayUrl)) throw new Error('gatewayUrl must be an http(s) URL');
  const sites = Array.isArray(record.cemeterySites)
    ? record.cemeterySites.filter((s): s is { id: string; name: string } => typeof s === 'object' && s !== null && typeof (s as { id?: unknown }).id === 'string' && typeof (s as { name?: unknown }).name === 'string')
    : DEFAULT_CEMETERY_SITES;
  const oidc = parseOidc(record.oidc);
  return {
    oidc,
    gatewayUrl: gatewayUrl.replace(/\/+$/, ''),
    // Development sign-in is on unless turned off, or unless an OpenID provider is configured.
    devSignIn: typeof record.devSignIn === 'boolean' ? record.devSignIn : oidc === null,
    cemeterySites: sites,
    dashboardYear: typeof record.dashboardYear === 'number' && Number.isInteger(record.dashboardYear) ? record.dashboardYear : null,
  };
}

function parseOidc(raw: unknown): PortalConfig['oidc'] {
  if (raw === undefined || raw === null) return null;
  const record = typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const { issuer, clientId, scope } = record;
  if (typeof issuer !== 'string' || !/^https?:\/\//.test(issuer)) throw new Error('oidc.issuer must be an http(s) URL');
  if (typeof clientId !== 'string' || clientId === '') throw new Error('oidc.clientId is required');
  return { issuer, clientId, scope: typeof scope === 'string' && scope.includes('openid') ? scope : 'openid profile' };
}
