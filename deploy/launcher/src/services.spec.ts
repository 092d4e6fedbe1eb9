import { existsSync } from 'node:fs';
import path from 'node:path';
import { ALL_SERVICES, BACKEND_SERVICES, REPO_ROOT, databaseName, serviceDir } from './services';

describe('launcher service table', () => {
  it('starts the gateway last, after every backend service', () => {
    expect(ALL_SERVICES[ALL_SERVICES.length - 1]).toBe('gateway');
    expect(ALL_SERVICES.slice(0, -1)).toEqual([...BACKEND_SERVICES]);
  });

  it.each(ALL_SERVICES.map((s) => [s]))('%s has a service folder with a package.json', (service) => {
    expect(existsSync(path.join(serviceDir(service), 'package.json'))).toBe(true);
  });

  it('gives each backend service its own database name', () => {
    const names = BACKEND_SERVICES.map(databaseName);
    expect(new Set(names).size).toBe(names.length);
    expect(databaseName('social-assistance')).toBe('social_assistance');
    expect(names.every((n) => /^[a-z_]+$/.test(n))).toBe(true);
  });

  it('finds the repository root', () => {
    expect(existsSync(path.join(REPO_ROOT, 'nx.json'))).toBe(true);
  });
});
