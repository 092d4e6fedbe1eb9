import { jetstreamManager, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { EVENT_STREAM } from '@civil/contracts';
import { BACKEND_SERVICES, NO_RATE_LIMITS, startStack, type Stack } from '@civil/launcher';
import { startNatsCluster, type NatsClusterHandle, type NatsClusterNode } from '@civil/testing';
import { GatewayClient, eventually, queryService } from './support/api';
import { expectEveryServiceRecovered, expectTotalsAgree, loadTokens, startWriteLoad, type WriteLoadResult } from './support/write-load';

const REPLICAS = 3;
/** The load runs with the killed node down at least this long, and until events flow again (at most MAX_DOWN_MS). */
const MIN_DOWN_MS = 5_000;
const MAX_DOWN_MS = 20_000;
/** How long the load runs after the node is back. */
const AFTER_MS = 5_000;

/**
 * The platform on a 3-node JetStream cluster (loopback) with every stream at 3 replicas: the node
 * leading the CIVIL stream is killed with SIGKILL while writes run, then restarted. Two nodes are a
 * majority, so a new leader takes over; every write a service committed must still reach
 * reporting exactly once, and the restarted node must catch up to a current replica.
 */
describe('NATS JetStream cluster: stream leader killed under load', () => {
  let cluster: NatsClusterHandle | undefined;
  let stack: Stack | undefined;
  let nc: NatsConnection | undefined;
  let jsm: JetStreamManager;
  /** The same connection with a short API timeout, to time the recovery closely. */
  let probe: JetStreamManager;
  let api: GatewayClient;
  let leaderToken: string;
  let tokens: Awaited<ReturnType<typeof loadTokens>>;
  /** Service log lines (warn and above), for the failure message; the oldest are dropped past 5000. */
  const serviceLogs: string[] = [];
  let droppedLogs = 0;

  beforeAll(async () => {
    cluster = await startNatsCluster({ nodes: 3 });
    stack = await startStack({
      nats: cluster,
      portal: false,
      streamLogs: true,
      log: (line) => {
        serviceLogs.push(line);
        if (serviceLogs.length > 5000) droppedLogs += serviceLogs.splice(0, serviceLogs.length - 5000).length;
      },
      env: { LOG_LEVEL: 'warn', OUTBOX_MAX_BACKOFF_MS: '1000', EVENT_STREAM_REPLICAS: String(REPLICAS), ...NO_RATE_LIMITS },
    });
    nc = await connect({ servers: cluster.url.split(','), name: 'nats-cluster drill', maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    jsm = await jetstreamManager(nc, { timeout: 5_000 });
    probe = await jetstreamManager(nc, { timeout: 1_000 });
    api = new GatewayClient(stack.gatewayUrl);
    leaderToken = await api.token({ userId: 'drill-leader', kind: 'staff', roles: ['leader'], divisions: ['430503'] });
    tokens = await loadTokens(api);
  });

  afterAll(async () => {
    await nc?.close().catch(() => undefined);
    // The stack stops the cluster it was given; stopping it again is harmless (and covers a failed startStack).
    await stack?.stop();
    await cluster?.stop();
  });

  /** Rethrows with the tail of the services' own logs, which say what they saw. */
  async function withServiceLogs<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const tail = serviceLogs.filter((line) => !/^(starting|PostgreSQL|using|\S+ ready on)/.test(line)).slice(-60);
      (error as Error).message += `\n--- service logs (tail) ---\n${tail.join('\n')}`;
      throw error;
    }
  }

  function currentReplicas(info: StreamInfo): number {
    return (info.cluster?.replicas ?? []).filter((replica) => replica.current && !replica.offline).length;
  }

  /** Every stream (CIVIL, AUDIT, the gateway's KV bucket) has R3, a leader and 2 current replicas. */
  async function healthyStreams(timeoutMs: number): Promise<StreamInfo[]> {
    return eventually(
      async () => {
        const infos: StreamInfo[] = [];
        for await (const info of jsm.streams.list()) infos.push(info);
        const healthy = infos.every((info) => info.config.num_replicas === REPLICAS && !!info.cluster?.leader && currentReplicas(info) === REPLICAS - 1);
        return healthy && infos.some((info) => info.config.name === EVENT_STREAM) ? infos : undefined;
      },
      timeoutMs,
      `every stream with a leader and ${REPLICAS - 1} current replicas`,
    );
  }

  async function committedWrites(): Promise<number> {
    let total = 0;
    for (const service of BACKEND_SERVICES.filter((s) => s !== 'reporting')) {
      const [row] = await queryService<{ n: string }>(stack as Stack, service, 'SELECT count(*) AS n FROM outbox');
      total += Number(row?.n);
    }
    return total;
  }

  interface Recovery {
    newLeader?: string;
    leaderAfterMs?: number;
    /** First time the CIVIL stream took a new message after the kill. */
    streamFlowAfterMs?: number;
    /** First time a service committed a new write (outbox row) after the kill. */
    writesFlowAfterMs?: number;
    /** Writes committed in each second after the kill. */
    writesPerSecond: number[];
  }

  /**
   * Watches, from the kill, when a new leader was elected, when events flowed into the stream again
   * and when the services committed writes again (two independent pollers, so a JetStream API call
   * waiting for a leader does not hold up the database one). Returns once events flow again and
   * at least `minMs` have passed, or after `maxMs`: nats-server 2.9 elects a new stream leader
   * 4 to 9 s after the old one went silent.
   */
  async function watchRecovery(killed: string, killedAt: number, lastSeq: number, committed: number, minMs: number, maxMs: number): Promise<Recovery> {
    const recovery: Recovery = { writesPerSecond: [] };
    const over = (): boolean => Date.now() >= killedAt + maxMs || (Date.now() >= killedAt + minMs && recovery.streamFlowAfterMs !== undefined);
    const watchStream = async (): Promise<void> => {
      while (!over() && recovery.streamFlowAfterMs === undefined) {
        try {
          const info = await probe.streams.info(EVENT_STREAM);
          const leader = info.cluster?.leader;
          if (recovery.leaderAfterMs === undefined && leader && leader !== killed) {
            recovery.leaderAfterMs = Date.now() - killedAt;
            recovery.newLeader = leader;
          }
          if (info.state.last_seq > lastSeq) recovery.streamFlowAfterMs = Date.now() - killedAt;
        } catch {
          // the JetStream API does not answer while the stream elects a leader: look again
        }
        await pause(100);
      }
    };
    const watchWrites = async (): Promise<void> => {
      let second = 1;
      let previous = committed;
      while (!over()) {
        const now = await committedWrites();
        if (recovery.writesFlowAfterMs === undefined && now > committed) recovery.writesFlowAfterMs = Date.now() - killedAt;
        if (Date.now() >= killedAt + second * 1000) {
          recovery.writesPerSecond.push(now - previous);
          previous = now;
          second += 1;
        }
        await pause(100);
      }
    };
    await Promise.all([watchStream(), watchWrites()]);
    return recovery;
  }

  /**
   * The gateway's audit entries of the load's writes that reached reporting, against the writes
   * the gateway answered (each answered write, accepted or not, has one). The gateway retries an
   * entry while the AUDIT stream elects a leader; before it did, the entries of writes answered
   * during the election were lost (logged only). Waits at most 40 s for the entries to arrive.
   */
  async function auditCompleteness(result: WriteLoadResult, logsFrom: number): Promise<{ answered: number; audited: number; loggedAsLost: number; waitedMs: number }> {
    const answered = Object.values(result.byService).reduce((sum, o) => sum + o.created + Object.values(o.refused).reduce((a, b) => a + b, 0), 0);
    const loggedAsLost = serviceLogs.slice(Math.max(0, logsFrom - droppedLogs)).filter((line) => line.startsWith('[gateway] ') && line.includes('audit entry could not be published')).length;
    const count = async (): Promise<number> => {
      const [row] = await queryService<{ n: string }>(
        stack as Stack,
        'reporting',
        `SELECT count(*) AS n FROM audit_entry WHERE kind = 'write' AND actor_user_id = ANY($1) AND path LIKE '/api/v1/%'`,
        [['drill-pn', 'drill-clerk', 'drill-registrar', 'drill-ec']],
      );
      return Number(row?.n);
    };
    const from = Date.now();
    const audited = await eventually(
      async () => {
        const n = await count();
        return n >= answered ? n : undefined;
      },
      40_000,
      'audit entries',
    ).catch(() => count());
    return { answered, audited, loggedAsLost, waitedMs: Date.now() - from };
  }

  /**
   * Asks the AUDIT stream's leader to step down until the node leading CIVIL leads AUDIT too (at
   * most five elections), so that killing that node takes both streams' leaders at once: the
   * gateway's audit entries must survive the election as the services' events must.
   */
  async function leadBothStreamsFromOneNode(): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const civil = (await jsm.streams.info(EVENT_STREAM)).cluster?.leader;
      const audit = (await jsm.streams.info('AUDIT')).cluster?.leader;
      if (civil !== undefined && civil === audit) return;
      await (nc as NatsConnection).request('$JS.API.STREAM.LEADER.STEPDOWN.AUDIT', undefined, { timeout: 5_000 });
      await eventually(async () => ((await jsm.streams.info('AUDIT')).cluster?.leader ? true : undefined), 15_000, 'a new AUDIT leader');
    }
    say('AUDIT and CIVIL still led by different nodes after five step-downs; killing the CIVIL leader only');
  }

  function say(line: string): void {
    process.stderr.write(`[nats-cluster drill] ${line}\n`);
  }

  /** What the services warned about since log line `from` (counted from the start), as `[service] msg ×count`. */
  function warningsSince(from: number): string {
    const counts = new Map<string, number>();
    for (const line of serviceLogs.slice(Math.max(0, from - droppedLogs))) {
      const match = /^\[([a-z-]+)\] (\{.*\})$/.exec(line);
      if (!match) continue;
      let msg = line;
      try {
        const entry = JSON.parse(match[2] as string) as { level?: string; message?: string; err?: { message?: string } };
        msg = `[${match[1]}] ${entry.level ?? '?'} ${entry.message ?? ''}${entry.err?.message ? ` (${entry.err.message})` : ''}`;
      } catch {
        // not JSON: count the raw line
      }
      counts.set(msg, (counts.get(msg) ?? 0) + 1);
    }
    return [...counts].map(([msg, n]) => `${msg} ×${n}`).join('\n') || '(none)';
  }

  it('creates every stream and the idempotency bucket with 3 replicas, each with a leader and 2 current replicas', async () => {
    const infos = await healthyStreams(30_000);
    const names = infos.map((info) => info.config.name);
    say(`streams: ${infos.map((i) => `${i.config.name} R${i.config.num_replicas} leader ${String(i.cluster?.leader)}`).join(', ')}`);
    expect(names).toEqual(expect.arrayContaining([EVENT_STREAM, 'AUDIT', 'KV_gateway-idempotency']));
    for (const info of infos) expect({ stream: info.config.name, cluster: info.cluster?.name }).toEqual({ stream: info.config.name, cluster: cluster?.name });
  });

  it('kill -9 of the CIVIL stream leader mid-load: a new leader takes over, the node rejoins, every committed write reaches reporting once', async () => {
    const running = cluster as NatsClusterHandle;
    await withServiceLogs(async () => {
      const load = startWriteLoad(api, tokens, '集群');
      await pause(3_000);

      await leadBothStreamsFromOneNode();
      const before = await jsm.streams.info(EVENT_STREAM);
      const victim = running.nodes.find((node) => node.name === before.cluster?.leader) as NatsClusterNode;
      expect(victim).toBeDefined();
      const consumerLeaders: string[] = [];
      for (const stream of [EVENT_STREAM, 'AUDIT']) {
        for await (const consumer of jsm.consumers.list(stream)) consumerLeaders.push(`${stream}/${consumer.name}@${String(consumer.cluster?.leader)}`);
      }
      say(`before the kill: AUDIT leader ${String((await jsm.streams.info('AUDIT')).cluster?.leader)}; consumers ${consumerLeaders.join(' ')}`);
      const committed = await committedWrites();
      const logsFrom = droppedLogs + serviceLogs.length;
      const killedAt = Date.now();
      await victim.kill();
      const recovery = await watchRecovery(victim.name, killedAt, before.state.last_seq, committed, MIN_DOWN_MS, MAX_DOWN_MS);
      say(`killed ${victim.name} (CIVIL leader, last_seq ${before.state.last_seq}); ${JSON.stringify(recovery)}`);

      const restartAt = Date.now();
      await victim.start();
      say(`${victim.name} back and current after ${Date.now() - restartAt} ms`);
      load.mark();
      await pause(AFTER_MS);
      const result = await load.stop();
      say(`load: ${JSON.stringify(result)}`);
      say(`service warnings during the drill:\n${warningsSince(logsFrom)}`);

      expect(recovery.leaderAfterMs).toBeDefined();
      expect(recovery.newLeader).not.toBe(victim.name);
      expect(recovery.streamFlowAfterMs).toBeDefined();
      expectEveryServiceRecovered(result);
      const stoppedAt = Date.now();
      const rows = await expectTotalsAgree(stack as Stack, api, leaderToken);
      say(`totals agreed ${Date.now() - stoppedAt} ms after the load stopped`);
      for (const row of rows) expect(row.committed).toBeGreaterThanOrEqual(result.byService[row.service]?.created ?? 0);
      say(`totals: ${JSON.stringify(rows.map((r) => [r.service, r.committed]))}`);
      const audit = await auditCompleteness(result, logsFrom);
      say(`audit: ${JSON.stringify(audit)}`);
      expect({ audited: audit.audited, loggedAsLost: audit.loggedAsLost }).toEqual({ audited: audit.answered, loggedAsLost: 0 });

      // The restarted node caught up: every stream again has a leader and 2 current replicas.
      await healthyStreams(30_000);
    });
  });
});

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
