/**
 * Production sign-in: OpenID Connect Authorization Code flow with PKCE (a public client, no
 * secret), with oauth4webapi. The page sends the browser to the provider, which redirects back to
 * the portal with a code; the code and the PKCE verifier are exchanged for tokens; the access token
 * is the bearer token the gateway verifies (its audience must be the gateway's OIDC_AUDIENCE).
 */
import * as oauth from 'oauth4webapi';

export interface OidcSettings {
  /** The provider's issuer URL, e.g. https://sso.example.gov.cn/realms/civil. */
  issuer: string;
  /** The portal's public client. */
  clientId: string;
  scope: string;
}

/** Where a sign-in in progress keeps its verifier, state and nonce (sessionStorage in the page). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  kind: 'citizen' | 'staff';
  next: string;
}

export interface OidcResult {
  accessToken: string;
  displayName: string;
  kind: 'citizen' | 'staff';
  next: string;
}

const PENDING = 'portal.oidc.pending';

export class OidcSignIn {
  private server: Promise<oauth.AuthorizationServer> | undefined;
  private readonly client: oauth.Client;

  constructor(
    private readonly settings: OidcSettings,
    private readonly redirectUri: string,
    private readonly store: KeyValueStore,
    /** Plain-HTTP providers are refused unless this is set (local development and tests only). */
    private readonly allowHttp = false,
  ) {
    this.client = { client_id: settings.clientId };
  }

  /** The provider's authorization URL for a new sign-in; remembers what the redirect back needs. */
  async authorizationUrl(kind: 'citizen' | 'staff', next: string): Promise<string> {
    const as = await this.discover();
    if (!as.authorization_endpoint) throw new Error('the provider has no authorization endpoint');
    const pending: Pending = { verifier: oauth.generateRandomCodeVerifier(), state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce(), kind, next };
    this.store.setItem(PENDING, JSON.stringify(pending));
    const url = new URL(as.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: this.settings.clientId,
      redirect_uri: this.redirectUri,
      response_type: 'code',
      scope: this.settings.scope,
      code_challenge: await oauth.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    }).toString();
    return url.href;
  }

  /** True when the page was opened by the provider's redirect (a code or an error in the query). */
  static isCallback(url: URL): boolean {
    return url.searchParams.has('state') && (url.searchParams.has('code') || url.searchParams.has('error'));
  }

  /** Completes the sign-in the redirect back carries: checks state, exchanges the code with the verifier, checks the ID token. */
  async complete(callback: URL): Promise<OidcResult> {
    const raw = this.store.getItem(PENDING);
    this.store.removeItem(PENDING);
    if (!raw) throw new Error('no sign-in in progress');
    const pending = JSON.parse(raw) as Pending;
    const as = await this.discover();
    const parameters = oauth.validateAuthResponse(as, this.client, callback, pending.state);
    const response = await oauth.authorizationCodeGrantRequest(as, this.client, oauth.None(), parameters, this.redirectUri, pending.verifier, this.options());
    const result = await oauth.processAuthorizationCodeResponse(as, this.client, response, { expectedNonce: pending.nonce, requireIdToken: true });
    const claims = oauth.getValidatedIdTokenClaims(result);
    const name = [claims?.name, claims?.preferred_username, claims?.sub].find((v): v is string => typeof v === 'string' && v !== '');
    return { accessToken: result.access_token, displayName: name ?? '', kind: pending.kind, next: pending.next };
  }

  private discover(): Promise<oauth.AuthorizationServer> {
    const issuer = new URL(this.settings.issuer);
    this.server ??= oauth
      .discoveryRequest(issuer, { algorithm: 'oidc', ...this.options() })
      .then((response) => oauth.processDiscoveryResponse(issuer, response))
      .catch((error: unknown) => {
        this.server = undefined; // try again next time
        throw error;
      });
    return this.server;
  }

  private options(): { [oauth.allowInsecureRequests]?: boolean } {
    return this.allowHttp ? { [oauth.allowInsecureRequests]: true } : {};
  }
}
