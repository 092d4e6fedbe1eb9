import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The repository root (this file is deploy/chart-checks/{src,dist}/helm.*). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CHART_DIR = path.join(REPO_ROOT, 'charts', 'civil-affairs');
export const VALUES_FILES = ['values.yaml', 'values-production.yaml', 'values-minimal.yaml'] as const;
export type ValuesFile = (typeof VALUES_FILES)[number];

export const HELM_VERSION = 'v3.22.0';
export const HELM_INSTALL_HINT =
  `helm is missing: install it with \`GOBIN=$PWD/.ci/bin go install helm.sh/helm/v3/cmd/helm@${HELM_VERSION}\` ` +
  '(from the repository root; .ci/run does this), put `helm` on the PATH, or set HELM_BIN to its path';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The helm binary: $HELM_BIN, else .ci/bin/helm (where .ci/run installs it), else `helm` on the
 * PATH. Missing: an error that says how to install it (the chart checks never skip).
 */
export function resolveHelm(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.HELM_BIN;
  if (explicit !== undefined && explicit !== '') {
    if (!isExecutable(explicit)) throw new Error(`HELM_BIN=${explicit} is not an executable file. ${HELM_INSTALL_HINT}`);
    return explicit;
  }
  const ciBin = path.join(REPO_ROOT, '.ci', 'bin', 'helm');
  if (isExecutable(ciBin)) return ciBin;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter((d) => d !== '')) {
    const candidate = path.join(dir, 'helm');
    if (existsSync(candidate) && isExecutable(candidate)) return candidate;
  }
  throw new Error(HELM_INSTALL_HINT);
}

export interface HelmResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): HelmResult {
  const result = spawnSync(resolveHelm(), args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: REPO_ROOT });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A rendered Kubernetes object (only what the checks read is typed). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface RenderOptions {
  /** Values files of the chart directory (values.yaml is always read first by Helm). */
  valuesFiles?: readonly string[];
  /** `--set` / `--set-string` arguments (`key=value`). */
  set?: readonly string[];
  setString?: readonly string[];
  releaseName?: string;
}

export function templateArgs(options: RenderOptions = {}): string[] {
  const args = ['template', options.releaseName ?? 'civil', CHART_DIR, '--namespace', 'civil'];
  for (const file of options.valuesFiles ?? []) args.push('-f', path.join(CHART_DIR, file));
  for (const s of options.set ?? []) args.push('--set', s);
  for (const s of options.setString ?? []) args.push('--set-string', s);
  return args;
}

/** `helm template`, as its raw result (for the checks that expect a refusal). */
export function tryRender(options: RenderOptions = {}): HelmResult {
  return helm(templateArgs(options));
}

/** `helm template` parsed into objects; throws with Helm's message when rendering fails. */
export function renderChart(options: RenderOptions = {}): K8sObject[] {
  const result = tryRender(options);
  if (result.status !== 0) throw new Error(`helm ${templateArgs(options).join(' ')} failed:\n${result.stderr}`);
  return parseManifests(result.stdout);
}

export function parseManifests(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    objects.push(value as K8sObject);
  }
  return objects;
}

export function ofKind<T = K8sObject>(objects: readonly K8sObject[], kind: string): (K8sObject & T)[] {
  return objects.filter((o) => o.kind === kind) as (K8sObject & T)[];
}
