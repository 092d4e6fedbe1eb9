import { existsSync } from 'node:fs';
import { jetstream, jetstreamManager, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsCluster, type NatsClusterHandle } from './index';

/** Retries `check` until it returns a value (undefined or a throw = not yet), for at most `timeoutMs`. */
async function within<T>(timeoutMs: number, what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'not yet';
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} within ${timeoutMs} ms (last: ${last})`);
}

function replicasCurrent(info: StreamInfo): number {
  return (info.cluster?.replicas ?? []).filter((replica) => replica.current && !replica.offline).length;
}

describe('startNatsCluster', () => {
  let cluster: NatsClusterHandle | undefined;
  let nc: NatsConnection | undefined;

  afterAll(async () => {
    await nc?.close().catch(() => undefined);
    await cluster?.stop();
  });

  it('forms a 3-node JetStream cluster; an R3 stream keeps its messages through its leader killed and restarted, and a cluster restart', async () => {
    cluster = await startNatsCluster({ nodes: 3 });
    expect(cluster.external).toBe(false);
    expect(cluster.nodes.map((n) => n.name)).toEqual(['civil-1', 'civil-2', 'civil-3']);
    expect(cluster.url).toBe(cluster.nodes.map((n) => `nats://127.0.0.1:${n.port}`).join(','));
    expect(cluster.port).toBe(cluster.nodes[0]?.port);
    expect(cluster.nodes.every((n) => n.running())).toBe(true);

    nc = await connect({ servers: cluster.url.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 200 });
    const jsm: JetStreamManager = await jetstreamManager(nc);
    const account = await jsm.getAccountInfo();
    expect(account.limits).toBeDefined();

    await jsm.streams.add({ name: 'CLUSTERED', subjects: ['clustered.>'], num_replicas: 3 });
    const created = await within(15_000, 'the R3 stream has a leader and 2 current replicas', async () => {
      const info = await jsm.streams.info('CLUSTERED');
      return info.cluster?.leader && replicasCurrent(info) === 2 ? info : undefined;
    });
    expect(created.config.num_replicas).toBe(3);
    expect(created.cluster?.name).toBe('civil');
    const ack = await jetstream(nc).publish('clustered.greeting', 'kept by a majority');
    expect(ack.seq).toBe(1);

    // The hardest case: kill -9 the stream's leader.
    const leader = cluster.nodes.find((n) => n.name === created.cluster?.leader);
    if (!leader) throw new Error(`no node named ${String(created.cluster?.leader)}`);
    await leader.kill();
    expect(leader.running()).toBe(false);

    const survived = await within(20_000, 'a new leader serves the message', async () => {
      const info = await jsm.streams.info('CLUSTERED');
      if (!info.cluster?.leader || info.cluster.leader === leader.name) return undefined;
      const message = await jsm.streams.getMessage('CLUSTERED', { seq: 1 });
      return { info, text: message?.string() };
    });
    expect(survived.text).toBe('kept by a majority');
    expect(survived.info.state.messages).toBe(1);
    // Two of three is a majority: writes go on without the dead node.
    expect((await jetstream(nc).publish('clustered.greeting', 'written while one node is down')).seq).toBe(2);

    await leader.start();
    expect(leader.running()).toBe(true);
    const healed = await within(20_000, 'all three replicas current again', async () => {
      const info = await jsm.streams.info('CLUSTERED');
      return info.cluster?.leader && replicasCurrent(info) === 2 ? info : undefined;
    });
    expect(healed.state.messages).toBe(2);

    // restart() (the NatsHandle contract) takes the whole cluster down and up on the same ports and stores.
    await cluster.restart();
    expect(cluster.nodes.every((n) => n.running())).toBe(true);
    const restarted = await within(20_000, 'the stream back after a whole-cluster restart', async () => {
      const info = await jsm.streams.info('CLUSTERED');
      return info.cluster?.leader && replicasCurrent(info) === 2 ? info : undefined;
    });
    expect(restarted.state.messages).toBe(2);

    // stop() ends every node and removes the store.
    const { storeDir } = cluster;
    await nc.close();
    nc = undefined;
    await cluster.stop();
    expect(cluster.nodes.some((n) => n.running())).toBe(false);
    expect(existsSync(storeDir)).toBe(false);
    cluster = undefined;
  });
});
