import {
  ACTOR_HEADER,
  ROLES,
  SYSTEM_ACTOR,
  actorCoversDivision,
  decodeActor,
  encodeActor,
  hasAnyRole,
  isActor,
  type Actor,
  divisionLikePatterns,
  residentIdFor,
} from './actor';

const COUNTY = '430503000000';
const TOWNSHIP = '430503101000';
const SIBLING_TOWNSHIP = '430503102000';
const VILLAGE = '430503101201';
const OTHER_COUNTY = '430502000000';

function staff(overrides: Partial<Actor> = {}): Actor {
  return { userId: 'u-1', kind: 'staff', roles: ['clerk'], divisions: [COUNTY], ...overrides };
}

function encodeRaw(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

describe('encodeActor / decodeActor', () => {
  it.each<[string, Actor]>([
    ['a staff member', staff({ roles: ['clerk', 'township-reviewer'], divisions: [COUNTY, TOWNSHIP] })],
    ['a citizen with a resident ID', { userId: 'c-7', kind: 'citizen', roles: ['citizen'], divisions: [], residentId: '34052419800101001X' }],
    ['the system actor', SYSTEM_ACTOR],
    ['a user id with non-ASCII characters', staff({ userId: '张三' })],
  ])('round-trips %s', (_label, actor) => {
    const header = encodeActor(actor);
    expect(decodeActor(header)).toEqual(actor);
  });

  it('produces a header-safe base64url string', () => {
    const header = encodeActor(staff({ userId: '张三??>>' }));
    expect(header).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('uses the civil-actor header name', () => {
    expect(ACTOR_HEADER).toBe('civil-actor');
  });

  it.each<[string, string | null | undefined]>([
    ['undefined', undefined],
    ['null', null],
    ['an empty string', ''],
    ['non-base64 characters', '!!!!@@@@'],
    ['base64 of text that is not JSON', Buffer.from('hello world').toString('base64url')],
    ['base64 of truncated JSON', Buffer.from('{"userId":"u"').toString('base64url')],
    ['base64 of a JSON string', encodeRaw('staff')],
    ['base64 of JSON null', encodeRaw(null)],
    ['base64 of a JSON array', encodeRaw([staff()])],
    ['an unencoded JSON object', JSON.stringify(staff())],
  ])('returns null for %s', (_label, header) => {
    expect(decodeActor(header)).toBeNull();
  });

  it.each<[string, Record<string, unknown>]>([
    ['a missing userId', { userId: undefined }],
    ['an empty userId', { userId: '' }],
    ['a numeric userId', { userId: 42 }],
    ['an unknown kind', { kind: 'robot' }],
    ['a kind with the wrong case', { kind: 'Staff' }],
    ['a missing kind', { kind: undefined }],
    ['an unknown role', { roles: ['clerk', 'superuser'] }],
    ['roles that are not an array', { roles: 'clerk' }],
    ['a division code of the wrong length', { divisions: ['4305031010'] }],
    ['a division code with letters', { divisions: ['43050310100A'] }],
    ['a division code with province 00', { divisions: ['000000000000'] }],
    ['a township under a zero county part', { divisions: ['430500101000'] }],
    ['a numeric division code', { divisions: [430503101000] }],
    ['divisions that are not an array', { divisions: COUNTY }],
    ['a numeric residentId', { residentId: 34052419800101 }],
  ])('returns null for an actor with %s', (_label, override) => {
    const header = encodeRaw({ ...staff(), ...override });
    expect(decodeActor(header)).toBeNull();
  });

  it('accepts every known role', () => {
    const actor = staff({ roles: [...ROLES] });
    expect(decodeActor(encodeActor(actor))).toEqual(actor);
  });

  it('accepts an actor with no roles and no divisions', () => {
    const actor = staff({ roles: [], divisions: [] });
    expect(decodeActor(encodeActor(actor))).toEqual(actor);
  });
});

describe('isActor', () => {
  it.each([[null], [undefined], ['staff'], [42], [[]]])('refuses %p', (value) => {
    expect(isActor(value)).toBe(false);
  });

  it('accepts a well-formed actor', () => {
    expect(isActor(staff())).toBe(true);
  });
});

describe('actorCoversDivision', () => {
  it.each<[string, string[], string, boolean]>([
    ['a county covers itself', [COUNTY], COUNTY, true],
    ['a county covers its township', [COUNTY], TOWNSHIP, true],
    ['a county covers a village of its township', [COUNTY], VILLAGE, true],
    ['a county covers a sibling township too', [COUNTY], SIBLING_TOWNSHIP, true],
    ['a township covers itself', [TOWNSHIP], TOWNSHIP, true],
    ['a township covers its village', [TOWNSHIP], VILLAGE, true],
    ['a township does not cover a sibling township', [TOWNSHIP], SIBLING_TOWNSHIP, false],
    ['a township does not cover its county', [TOWNSHIP], COUNTY, false],
    ['a village does not cover its township', [VILLAGE], TOWNSHIP, false],
    ['a county does not cover a neighbouring county', [COUNTY], OTHER_COUNTY, false],
    ['a county does not cover a township of a neighbouring county', [COUNTY], '430502101000', false],
    ['any of several divisions may cover', [OTHER_COUNTY, TOWNSHIP], VILLAGE, true],
    ['no divisions cover nothing', [], TOWNSHIP, false],
  ])('%s', (_label, divisions, target, covers) => {
    expect(actorCoversDivision(staff({ divisions }), target)).toBe(covers);
  });

  it('accepts a six-digit target as the county', () => {
    expect(actorCoversDivision(staff({ divisions: [COUNTY] }), '430503')).toBe(true);
    expect(actorCoversDivision(staff({ divisions: [TOWNSHIP] }), '430503')).toBe(false);
  });

  it('throws on a malformed target division code rather than answering', () => {
    expect(() => actorCoversDivision(staff({ divisions: [COUNTY] }), '43050')).toThrow();
  });
});

describe('hasAnyRole', () => {
  it.each<[Actor['roles'], readonly Actor['roles'][number][], boolean]>([
    [['clerk'], ['clerk', 'admin'], true],
    [['clerk', 'auditor'], ['auditor'], true],
    [['admin'], ['clerk', 'admin'], true],
    [['citizen'], ['clerk', 'admin'], false],
    [['clerk'], ['place-names-officer'], false],
    [[], ['clerk'], false],
    [['clerk'], [], false],
  ])('roles %j against %j is %s', (roles, wanted, expected) => {
    expect(hasAnyRole(staff({ roles }), wanted)).toBe(expected);
  });
});

describe('divisionLikePatterns', () => {
  it.each([
    [['430503000000'], ['430503%']],
    [['430503101000', '430503202000'], ['430503101%', '430503202%']],
    [['430503101201'], ['430503101201%']],
    [['430500000000'], ['4305%']],
    [[], []],
  ])('turns divisions %j into LIKE patterns %j', (divisions, patterns) => {
    expect(divisionLikePatterns({ userId: 'u', kind: 'staff', roles: ['clerk'], divisions })).toEqual(patterns);
  });

  it('leaves the system actor unrestricted', () => {
    expect(divisionLikePatterns({ userId: 'system', kind: 'system', roles: ['admin'], divisions: [] })).toBeNull();
  });
});

describe('residentIdFor', () => {
  const ID = '34052419800101001X';

  it.each<[string, Actor | null | undefined]>([
    ['a staff member without permissions', staff()],
    ['a staff member with an empty permission list', staff({ permissions: [] })],
    ['the system actor', SYSTEM_ACTOR],
    ['no actor', undefined],
    ['a null actor', null],
  ])('masks the ID for %s', (_label, actor) => {
    expect(residentIdFor(actor, ID)).toBe('340524********001X');
  });

  it('returns the full ID when the actor holds personal-data:reveal', () => {
    expect(residentIdFor(staff({ permissions: ['personal-data:reveal'] }), ID)).toBe(ID);
  });

  it('masks a stored value whose checksum is wrong without throwing', () => {
    expect(residentIdFor(staff(), '340524198001010010')).toBe('340524********0010');
    expect(residentIdFor(staff(), ' 34052419800101001x ')).toBe('340524********001X');
  });

  it.each(['', '12345', '3405241980010100', '3405241980010100123'])('masks the odd value %j entirely', (odd) => {
    expect(residentIdFor(staff(), odd)).toBe('******************');
  });
});
