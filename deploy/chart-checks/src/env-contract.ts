import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT, type K8sObject } from './helm';

export const SERVICES = ['gateway', 'social-assistance', 'social-affairs', 'elderly-care', 'place-names', 'reporting'] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * Where each service's configuration schema is, as its `main.ts` passes it to `runService`
 * (social-affairs has no config module of its own: it boots with the platform's
 * `serviceConfigSchema`). Loaded from the built packages, exactly as the image runs them.
 */
const SCHEMA_SOURCES: Record<ServiceName, { module: string; exportName: string }> = {
  gateway: { module: 'services/gateway/dist/config.js', exportName: 'gatewayConfigSchema' },
  'social-assistance': { module: 'services/social-assistance/dist/config.js', exportName: 'socialAssistanceConfigSchema' },
  'social-affairs': { module: 'libs/platform/dist/index.js', exportName: 'serviceConfigSchema' },
  'elderly-care': { module: 'services/elderly-care/dist/config.js', exportName: 'elderlyCareConfigSchema' },
  'place-names': { module: 'services/place-names/dist/config.js', exportName: 'placeNamesConfigSchema' },
  reporting: { module: 'services/reporting/dist/config.js', exportName: 'reportingConfigSchema' },
};
/** What `node services/<name>/dist/migrate.js` validates (runMigrationCommand). */
const MIGRATION_SCHEMA = { module: 'libs/platform/dist/index.js', exportName: 'commandConfigSchema' };

/** Read by Node.js or the OpenTelemetry SDK rather than by a service's schema. */
export function isRuntimeVariable(name: string): boolean {
  return name === 'NODE_ENV' || name === 'NODE_OPTIONS' || name === 'NODE_EXTRA_CA_CERTS' || name.startsWith('OTEL_');
}

/** The variables a configuration schema reads, and those it requires (no default, not optional). */
export interface EnvSchema {
  keys: Set<string>;
  required: Set<string>;
}

interface ZodObjectLike {
  shape: Record<string, { safeParse(value: unknown): { success: boolean } }>;
}

function isZodObjectLike(value: unknown): value is ZodObjectLike {
  return typeof value === 'object' && value !== null && typeof (value as { shape?: unknown }).shape === 'object';
}

export function envSchemaOf(schema: ZodObjectLike): EnvSchema {
  const keys = new Set(Object.keys(schema.shape));
  const required = new Set([...keys].filter((key) => !schema.shape[key]?.safeParse(undefined).success));
  return { keys, required };
}

function built(relative: string): string {
  const file = path.join(REPO_ROOT, relative);
  if (!existsSync(file)) throw new Error(`${relative} is missing: build the services first (npx nx run-many -t build)`);
  return file;
}

// Node's own require (not Jest's): the built packages load as they do in the image.
const nodeRequire = createRequire(__filename);

function loadSchema(source: { module: string; exportName: string }): EnvSchema {
  const exported: unknown = (nodeRequire(built(source.module)) as Record<string, unknown>)[source.exportName];
  if (!isZodObjectLike(exported)) throw new Error(`${source.module} does not export a zod object ${source.exportName}`);
  return envSchemaOf(exported);
}

/**
 * The schema a service boots with. Also checks that the service's built main.js still passes
 * that export to runService, so a service that changes its schema cannot slip past the check.
 */
export function serviceEnvSchema(service: ServiceName): EnvSchema {
  const source = SCHEMA_SOURCES[service];
  const main = readFileSync(built(`services/${service}/dist/main.js`), 'utf8');
  const passed = /configSchema:\s*([\w$.]+)/.exec(main)?.[1];
  if (passed === undefined || passed.split('.').pop() !== source.exportName) {
    throw new Error(`services/${service}/dist/main.js boots with configSchema ${passed ?? '(none found)'}, not ${source.exportName}: update SCHEMA_SOURCES in env-contract.ts`);
  }
  return loadSchema(source);
}

export function migrationEnvSchema(): EnvSchema {
  return loadSchema(MIGRATION_SCHEMA);
}

export interface EnvVarRef {
  name: string;
  value?: string;
  secretKeyRef?: { name: string; key: string; optional?: boolean };
  configMapKeyRef?: { name: string; key: string; optional?: boolean };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: EnvVarRef['secretKeyRef']; configMapKeyRef?: EnvVarRef['configMapKeyRef']; fieldRef?: unknown; resourceFieldRef?: unknown } }[];
  envFrom?: { configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean }; prefix?: string }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface Probe {
  httpGet?: { path: string; port: number | string };
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface PodSpec {
  containers: Container[];
  volumes?: { name: string; emptyDir?: Record<string, unknown> }[];
  securityContext?: Record<string, unknown>;
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  topologySpreadConstraints?: unknown[];
}

export function podSpecOf(object: K8sObject): PodSpec {
  if (object.kind === 'Pod') return object.spec as PodSpec;
  return (object.spec as { template: { spec: PodSpec } }).template.spec;
}

/**
 * A container's environment as Kubernetes would give it: `envFrom` ConfigMaps first, then `env`
 * (which wins). Secret values come from `secrets` (key → value) when given; without it, a
 * secret variable counts as set when its reference is not optional, and as "maybe" otherwise.
 */
export interface ResolvedEnv {
  env: Record<string, string>;
  /** Variables that are set only if an optional Secret key exists. */
  maybe: Set<string>;
  problems: string[];
}

export function resolveContainerEnv(container: Container, objects: readonly K8sObject[], secrets?: Readonly<Record<string, string>>): ResolvedEnv {
  const env: Record<string, string> = {};
  const maybe = new Set<string>();
  const problems: string[] = [];
  const configMap = (name: string): Record<string, string> | undefined =>
    (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name) as { data?: Record<string, string> } | undefined)?.data ?? undefined;

  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const data = configMap(source.configMapRef.name);
      if (!data) {
        if (!source.configMapRef.optional) problems.push(`${container.name}: envFrom ConfigMap ${source.configMapRef.name} is not part of the chart`);
        continue;
      }
      for (const [key, value] of Object.entries(data)) env[`${source.prefix ?? ''}${key}`] = String(value);
    } else {
      problems.push(`${container.name}: envFrom other than a ConfigMap of the chart hides which variables are set (list them under env instead)`);
    }
  }
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) {
      env[entry.name] = String(entry.value);
      maybe.delete(entry.name);
    } else if (entry.valueFrom?.secretKeyRef) {
      const ref = entry.valueFrom.secretKeyRef;
      if (secrets === undefined) {
        if (ref.optional) maybe.add(entry.name);
        else env[entry.name] = `<secret ${ref.name}/${ref.key}>`;
      } else if (secrets[ref.key] !== undefined) {
        env[entry.name] = secrets[ref.key] ?? '';
      } else if (!ref.optional) {
        problems.push(`${container.name}: ${entry.name} reads key ${ref.key} of Secret ${ref.name}, which the test secrets do not have`);
      }
    } else if (entry.valueFrom?.configMapKeyRef) {
      const ref = entry.valueFrom.configMapKeyRef;
      const value = configMap(ref.name)?.[ref.key];
      if (value !== undefined) env[entry.name] = String(value);
      else if (!ref.optional) problems.push(`${container.name}: ${entry.name} reads key ${ref.key} of ConfigMap ${ref.name}, which the chart does not render`);
    } else {
      problems.push(`${container.name}: ${entry.name} has a value source the checks do not resolve`);
    }
  }
  return { env, maybe, problems };
}

/**
 * Architecture rule 12, "the Helm chart sets exactly these names": every variable the chart
 * gives a container must be read by the program it runs (its configuration schema, or Node.js /
 * OpenTelemetry), and every variable the schema requires must be set.
 */
export function envContractProblems(label: string, resolved: ResolvedEnv, schema: EnvSchema): string[] {
  const problems = resolved.problems.map((p) => `${label}: ${p}`);
  for (const name of [...Object.keys(resolved.env), ...resolved.maybe].sort()) {
    if (!schema.keys.has(name) && !isRuntimeVariable(name)) problems.push(`${label}: the chart sets ${name}, which is not in the service's configuration schema`);
  }
  for (const key of [...schema.required].sort()) {
    const value = resolved.env[key];
    if (value === undefined || value === '') problems.push(`${label}: the service requires ${key}, which the chart does not set${resolved.maybe.has(key) ? ' (only from an optional Secret key)' : ''}`);
  }
  return problems;
}

export function serviceOf(object: K8sObject): string | undefined {
  const labels = object.metadata.labels ?? {};
  return labels['civil-affairs/service'] ?? labels['app.kubernetes.io/component'];
}

/**
 * Workloads of the chart that are not platform services: the web front end (nginx serving
 * static files, image deploy/docker/portal.Dockerfile). They read no environment, so the contract
 * does not apply, but neither may the chart give them any (that would be a variable nobody reads).
 */
export const STATIC_WORKLOADS = ['portal'] as const;

/** The contract of every Deployment and migration Job in a rendering. */
export function chartEnvProblems(objects: readonly K8sObject[], schemaOf: (service: ServiceName) => EnvSchema = serviceEnvSchema, migrationSchema: () => EnvSchema = migrationEnvSchema): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const isDeployment = object.kind === 'Deployment';
    const isMigration = object.kind === 'Job' && object.metadata.labels?.['app.kubernetes.io/component'] === 'migrate';
    if (!isDeployment && !isMigration) continue;
    const service = serviceOf(object);
    if (isDeployment && service !== undefined && (STATIC_WORKLOADS as readonly string[]).includes(service)) {
      for (const container of podSpecOf(object).containers) {
        if ((container.env ?? []).length > 0 || (container.envFrom ?? []).length > 0) problems.push(`${object.kind} ${object.metadata.name}: ${service} is a static web server and reads no environment, yet the chart sets some`);
      }
      continue;
    }
    if (!service || !(SERVICES as readonly string[]).includes(service)) {
      problems.push(`${object.kind} ${object.metadata.name}: not one of the platform's services (${service ?? 'no component label'})`);
      continue;
    }
    const schema = isDeployment ? schemaOf(service as ServiceName) : migrationSchema();
    for (const container of podSpecOf(object).containers) {
      problems.push(...envContractProblems(`${object.kind} ${object.metadata.name}`, resolveContainerEnv(container, objects), schema));
    }
  }
  return problems;
}
