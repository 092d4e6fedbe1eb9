import path from 'node:path';
import { loadDemoData } from './demo';
import { startStack } from './stack';
import { REPO_ROOT } from './services';

/**
 * `npm start`: the whole platform on this machine with embedded PostgreSQL and NATS, data kept in
 * .data/ (git-ignored) so a second start finds it again. Ctrl-C stops everything cleanly.
 */
async function main(): Promise<void> {
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const dataDir = process.env.CIVIL_DATA_DIR ?? path.join(REPO_ROOT, '.data');
  const gatewayPort = Number(process.env.GATEWAY_PORT ?? 3000);
  const portalPort = Number(process.env.PORTAL_PORT ?? 3001);
  const stack = await startStack({
    dataDir,
    gatewayPort,
    installNats: true,
    portal: { port: portalPort, ...(process.env.CIVIL_DEMO_DATA === '2023' ? { config: { dashboardYear: 2023 } } : {}) },
    streamLogs: process.env.CIVIL_STREAM_LOGS === 'true',
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...(process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? { OTEL_EXPORTER_OTLP_ENDPOINT: process.env.OTEL_EXPORTER_OTLP_ENDPOINT } : {}) },
    log: out,
  });
  if (process.env.CIVIL_DEMO_DATA === '2023') await loadDemoData(stack, out);
  out('');
  out(`The civil-affairs platform is running (data in ${dataDir}).`);
  out(`  Portal:      ${stack.portalUrl ?? '(not served)'}   (staff dashboard: ${stack.portalUrl ?? ''}/#/staff)`);
  out(`  Gateway:     ${stack.gatewayUrl}`);
  out(`  OpenAPI UI:  ${stack.gatewayUrl}/api/docs`);
  out(`  OpenAPI:     ${stack.gatewayUrl}/api/openapi.json`);
  out(`  Dev token:   curl -s -X POST ${stack.gatewayUrl}/api/v1/dev/tokens -H 'content-type: application/json' \\`);
  out(`                 -d '{"userId":"officer","kind":"staff","roles":["place-names-officer","clerk","leader"],"divisions":["430503"]}'`);
  out('Press Ctrl-C to stop.');

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    out(`\n${signal}: stopping services, NATS and PostgreSQL…`);
    stack.stop().then(
      () => {
        out('stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // A service that dies on its own is reported, not silently ignored.
  for (const running of stack.services.values()) {
    void running.process.waitForExit(2 ** 31 - 1).then((exit) => {
      if (!stopping) out(`${running.name} exited (code ${exit.code ?? 'none'}, signal ${exit.signal ?? 'none'}); last output:\n${running.process.output().slice(-2000)}`);
    }, () => undefined);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`could not start the platform: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
