import { DEFAULT_CEMETERY_SITES, parseConfig } from './config';

describe('config.json', () => {
  it('reads the gateway URL and defaults the rest', () => {
    expect(parseConfig({ gatewayUrl: 'http://127.0.0.1:3000/' })).toEqual({ gatewayUrl: 'http://127.0.0.1:3000', devSignIn: true, cemeterySites: DEFAULT_CEMETERY_SITES, dashboardYear: null, oidc: null });
    expect(parseConfig({ gatewayUrl: 'https://api.example.org', devSignIn: false, dashboardYear: 2023, cemeterySites: [{ id: 'a', name: 'b' }, { id: 1 }] })).toEqual({
      gatewayUrl: 'https://api.example.org',
      devSignIn: false,
      cemeterySites: [{ id: 'a', name: 'b' }],
      dashboardYear: 2023,
      oidc: null,
    });
    expect(parseConfig({ gatewayUrl: 'https://api.example.org', oidc: { issuer: 'https://sso.example.org/realms/civil', clientId: 'portal' } }).oidc).toEqual({
      issuer: 'https://sso.example.org/realms/civil',
      clientId: 'portal',
      scope: 'openid profile',
    });
  });

  it('refuses a configuration without a usable gateway URL', () => {
    expect(() => parseConfig(null)).toThrow(/not an object/);
    expect(() => parseConfig({ gatewayUrl: 'ftp://x' })).toThrow(/gatewayUrl/);
    expect(() => parseConfig({ gatewayUrl: 'https://api.example.org', oidc: { issuer: 'sso' } })).toThrow(/oidc.issuer/);
  });
});
