import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildResidentId } from '@civil/domain-kernel';
import { fanOut } from './fan-out';
import { HttpSource, type HttpSourceOptions } from './http-source.adapter';
import { SourceAnswerError, SourceTimeoutError, type MemberQuery } from './verification-source';
import { buildReport } from './verification.service';

/**
 * The bureau API adapter against a real HTTP server on 127.0.0.1 that each test scripts: slow,
 * flaky, 500, 400, garbage. The server counts the attempts it saw.
 */
type Reply = (res: ServerResponse, req: IncomingMessage) => void;

interface FakeBureau {
  baseUrl: string;
  /** Bodies of the requests received, in order. */
  requests: { path: string; contentType: string | undefined; body: unknown }[];
  /** What to do with request n (1-based); the last script entry repeats. */
  script: Reply[];
  close(): Promise<void>;
}

async function startFakeBureau(script: Reply[]): Promise<FakeBureau> {
  const requests: FakeBureau['requests'] = [];
  const bureau = { requests, script } as FakeBureau;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: text ? JSON.parse(text) : undefined });
      const reply = bureau.script[Math.min(requests.length, bureau.script.length) - 1];
      reply?.(res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  bureau.baseUrl = `http://127.0.0.1:${port}/api/`;
  bureau.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return bureau;
}

const json =
  (status: number, body: unknown): Reply =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
/** Never answers: the connection stays open until the client gives up or the server closes. */
const hang: Reply = () => undefined;
/** Drops the connection without a response: a network error for the client. */
const drop: Reply = (_res, req) => req.socket.destroy();

const head = buildResidentId('430503', '1968-03-14', 11);
const spouse = buildResidentId('430503', '1971-09-02', 22);
const members: MemberQuery[] = [
  { memberId: 'm-head', residentId: head.value, name: '张三' },
  { memberId: 'm-spouse', residentId: spouse.value, name: '李四' },
];
const taxAnswer = {
  facts: [
    { residentId: head.value, category: 'income', kind: 'wages', monthlyAmountFen: 180000, description: '工资薪金所得（代扣代缴）', asOf: '2023-11-30' },
    { residentId: spouse.value, category: 'asset', kind: 'business-registration', valueFen: null, description: '个体工商户 邵阳市大祥区某小吃店', asOf: '2023-10-01' },
  ],
};

function source(bureau: FakeBureau, options: Partial<HttpSourceOptions> = {}): HttpSource {
  return new HttpSource({ id: 'tax', name: '税务', baseUrl: bureau.baseUrl, timeoutMs: 1000, attempts: 3, backoffMs: 10, ...options });
}

function never(): AbortSignal {
  return new AbortController().signal;
}

describe('HttpSource (against a local fake bureau)', () => {
  let bureau: FakeBureau | undefined;
  afterEach(async () => {
    await bureau?.close();
    bureau = undefined;
  });

  it('posts the resident IDs to /lookup and maps the facts back to the members', async () => {
    bureau = await startFakeBureau([json(200, taxAnswer)]);
    const facts = await source(bureau).lookup(members, never());
    expect(bureau.requests).toEqual([{ path: '/api/lookup', contentType: 'application/json', body: { residentIds: [head.value, spouse.value] } }]);
    expect(facts).toEqual([
      { memberId: 'm-head', category: 'income', kind: 'wages', monthlyAmountFen: 180000, description: '工资薪金所得（代扣代缴）', asOf: '2023-11-30' },
      { memberId: 'm-spouse', category: 'asset', kind: 'business-registration', description: '个体工商户 邵阳市大祥区某小吃店', asOf: '2023-10-01' },
    ]);
  });

  it('flaky: a dropped connection and a 503, then the answer — succeeds on the third attempt', async () => {
    bureau = await startFakeBureau([drop, json(503, { error: 'busy' }), json(200, taxAnswer)]);
    const facts = await source(bureau, { attempts: 3 }).lookup(members, never());
    expect(facts).toHaveLength(2);
    expect(bureau.requests).toHaveLength(3);
  });

  it('500 every time: retried up to the configured attempts, then fails naming the last status', async () => {
    bureau = await startFakeBureau([json(500, { error: 'boom' })]);
    const failure = source(bureau, { attempts: 4 }).lookup(members, never());
    await expect(failure).rejects.toThrow('gave up after 4 attempt(s); last: HTTP 500');
    expect(bureau.requests).toHaveLength(4);
  });

  it('400: the request is refused and not retried', async () => {
    bureau = await startFakeBureau([json(400, { error: 'bad request' }), json(200, taxAnswer)]);
    await expect(source(bureau).lookup(members, never())).rejects.toThrow(/HTTP 400 \(not retried/);
    expect(bureau.requests).toHaveLength(1);
  });

  it('slow: every attempt times out, each attempt is abandoned after timeoutMs', async () => {
    bureau = await startFakeBureau([hang]);
    const started = performance.now();
    const failure = source(bureau, { timeoutMs: 150, attempts: 2 }).lookup(members, never());
    await expect(failure).rejects.toBeInstanceOf(SourceTimeoutError);
    await expect(failure).rejects.toThrow('no answer within 150 ms in 2 attempt(s)');
    expect(performance.now() - started).toBeLessThan(1500);
    expect(bureau.requests).toHaveLength(2);
  });

  it('slow then answering: a timed-out attempt is retried', async () => {
    bureau = await startFakeBureau([hang, json(200, taxAnswer)]);
    const facts = await source(bureau, { timeoutMs: 150 }).lookup(members, never());
    expect(facts).toHaveLength(2);
    expect(bureau.requests).toHaveLength(2);
  });

  it('garbage bodies fail the source with the reason and are not retried', async () => {
    bureau = await startFakeBureau([json(200, '<html>维护中</html>')]);
    await expect(source(bureau).lookup(members, never())).rejects.toThrow(new SourceAnswerError('the answer is not JSON'));
    expect(bureau.requests).toHaveLength(1);

    bureau.script = [json(200, { facts: [{ residentId: head.value, category: 'salary', kind: 'wages', monthlyAmountFen: '1800', description: '', asOf: '2023-13-01' }] })];
    const shape = source(bureau).lookup(members, never());
    await expect(shape).rejects.toBeInstanceOf(SourceAnswerError);
    await expect(shape).rejects.toThrow(/^invalid answer: facts\[0\]\.category: .*; facts\[0\]\.monthlyAmountFen: .*; facts\[0\]\.asOf: must be a date YYYY-MM-DD$/);

    bureau.script = [json(200, { records: [] })];
    await expect(source(bureau).lookup(members, never())).rejects.toThrow(/^invalid answer: facts: /);

    // Data about someone nobody asked about is a fault, not a bonus.
    const stranger = buildResidentId('430503', '1990-01-01', 33).value;
    bureau.script = [json(200, { facts: [{ residentId: stranger, category: 'asset', kind: 'vehicle', valueFen: 1, description: '', asOf: '2023-01-01' }] })];
    await expect(source(bureau).lookup(members, never())).rejects.toThrow('invalid answer: facts[0].residentId was not asked about');
  });

  it('network errors (nothing listening) are retried, then reported', async () => {
    bureau = await startFakeBureau([json(200, taxAnswer)]);
    const closed = source(bureau);
    await bureau.close();
    bureau = undefined;
    await expect(closed.lookup(members, never())).rejects.toThrow(/gave up after 3 attempt\(s\); last: network error: ECONNREFUSED/);
  });

  it("the caller's signal stops the retries at once", async () => {
    bureau = await startFakeBureau([json(500, {})]);
    const controller = new AbortController();
    const lookup = source(bureau, { attempts: 10, backoffMs: 5000 }).lookup(members, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    controller.abort(new Error('deadline'));
    await expect(lookup).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(500);
    expect(bureau.requests).toHaveLength(1);
  });

  it('in a verification: a bureau that does not answer in time is listed as missing, not guessed', async () => {
    bureau = await startFakeBureau([hang]);
    const outcomes = await fanOut([source(bureau, { timeoutMs: 100, attempts: 2 })], members, 5000);
    expect(outcomes.map((o) => [o.source.id, o.status, o.error])).toEqual([['tax', 'timed-out', 'no answer within 100 ms in 2 attempt(s)']]);
    const report = buildReport({
      id: 'v',
      householdId: 'h',
      requestedAt: new Date(),
      completedAt: new Date(),
      members: members.map((m) => ({ id: m.memberId, name: m.name, resident_id: m.residentId })),
      outcomes,
    });
    expect(report.missingSources).toEqual(['tax']);
    expect(report.members.flatMap((m) => [...m.incomes, ...m.assets])).toEqual([]);
  });

  it('in a verification: a garbage answer is a failed source with its reason', async () => {
    bureau = await startFakeBureau([json(200, { facts: 'none' })]);
    const [outcome] = await fanOut([source(bureau)], members, 5000);
    expect(outcome?.status).toBe('failed');
    expect(outcome?.error).toMatch(/^invalid answer: facts: /);
  });
});
