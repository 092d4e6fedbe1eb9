import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '@civil/contracts';
import { ROUTES, type GatewayRoute } from '../routes/route-table';
import { authorizationMatrix, routeKey, type AuthorizationMatrix } from './authorization-matrix';

const COMMITTED_FILE = join(__dirname, '..', '..', 'authorization-matrix.json');
const committed = JSON.parse(readFileSync(COMMITTED_FILE, 'utf8')) as AuthorizationMatrix;
const allows = (route: GatewayRoute, role: Role): boolean => route.access === 'authenticated' && (route.roles ?? []).includes(role);
const keysWhere = (predicate: (route: GatewayRoute) => boolean): string[] => ROUTES.filter(predicate).map(routeKey);

describe('the authorization matrix', () => {
  it('is declared for every route: public, or at least one role', () => {
    expect(keysWhere((route) => route.access === 'authenticated' && (route.roles ?? []).length === 0)).toEqual([]);
    expect(keysWhere((route) => route.access === 'public' && route.roles !== undefined)).toEqual([]);
  });

  it('matches the committed, reviewed copy (authorization-matrix.json) — after a deliberate change run `npm run build && npm run authorization-matrix -w services/gateway`', () => {
    expect(authorizationMatrix(ROUTES)).toEqual(committed);
  });

  it('has no route twice', () => {
    expect(new Set(ROUTES.map(routeKey)).size).toBe(ROUTES.length);
  });

  // Departments are isolated: another department's officer cannot reach a department's cases.
  it.each<[string, (route: GatewayRoute) => boolean, Role[]]>([
    ['social assistance', (route) => route.path.startsWith('/api/v1/social-assistance/'), ['registrar', 'elderly-care-officer', 'place-names-officer']],
    ['social affairs', (route) => route.path.startsWith('/api/v1/social-affairs/'), ['clerk', 'township-reviewer', 'district-approver', 'elderly-care-officer', 'place-names-officer']],
    ['elderly care', (route) => route.path.startsWith('/api/v1/elderly-care/'), ['clerk', 'township-reviewer', 'district-approver', 'registrar', 'place-names-officer']],
    ['place names and divisions (writes)', (route) => /^\/api\/v1\/(place-names|divisions|naming)/.test(route.path) && route.method !== 'GET', ['clerk', 'township-reviewer', 'registrar', 'elderly-care-officer', 'citizen']],
    ['the audit log', (route) => route.path.startsWith('/api/v1/audit-log'), ['admin', 'leader', 'finance-officer', 'clerk', 'registrar', 'elderly-care-officer', 'place-names-officer', 'citizen']],
  ])('keeps %s closed to %j', (_department, inDepartment, outsiders) => {
    const leaks = ROUTES.filter(inDepartment).flatMap((route) => outsiders.filter((role) => allows(route, role)).map((role) => `${role} → ${routeKey(route)}`));
    expect(leaks).toEqual([]);
  });

  it('lets citizens only apply, book and follow their own cases: never a list, summary, payroll or export', () => {
    // The service filters this one listing to the citizen's own bookings.
    const ownListings = new Set(['GET /api/v1/social-affairs/counselling/bookings']);
    const citizenRoutes = ROUTES.filter((route) => allows(route, 'citizen'));
    expect(citizenRoutes.length).toBeGreaterThan(0);
    const wrong = citizenRoutes.filter((route) => (route.method === 'GET' && !route.path.includes('/:') && !ownListings.has(routeKey(route))) || /payroll|export|summary|census/.test(route.path));
    expect(wrong.map(routeKey)).toEqual([]);
  });

  it('lets auditors read and not act, except where a person assigned to a review records it', () => {
    // A reviewer assigned to a gazetteer audit record may be any staff member; the service checks the assignment.
    // A child-welfare assessment computes eligibility and writes nothing.
    const readOnlyExceptions = new Set(['POST /api/v1/place-name-audits/:id/records/:placeNameId', 'POST /api/v1/social-affairs/child-allowances/assessments']);
    expect(keysWhere((route) => route.method !== 'GET' && allows(route, 'auditor') && !readOnlyExceptions.has(routeKey(route)))).toEqual([]);
  });
});
