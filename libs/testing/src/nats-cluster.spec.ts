import { natsClusterNodeConfig } from './nats-cluster';

describe('natsClusterNodeConfig', () => {
  it('names the server, enables JetStream in its store dir, and routes to every other node on loopback', () => {
    const text = natsClusterNodeConfig({
      serverName: 'civil-2',
      clusterName: 'civil',
      port: 4001,
      clusterPort: 6001,
      monitorPort: 8001,
      storeDir: '/tmp/x/civil-2/jetstream',
      routePorts: [6000, 6002],
    });
    expect(text).toBe(
      [
        'server_name: "civil-2"',
        'listen: "127.0.0.1:4001"',
        'http: "127.0.0.1:8001"',
        'jetstream {',
        '  store_dir: "/tmp/x/civil-2/jetstream"',
        '}',
        'cluster {',
        '  name: "civil"',
        '  listen: "127.0.0.1:6001"',
        '  routes: [',
        '    nats-route://127.0.0.1:6000',
        '    nats-route://127.0.0.1:6002',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });
});
