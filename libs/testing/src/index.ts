export { findFreePort, isPortFree, assertPortFree } from './ports';
export {
  startPostgres,
  databaseUrlFor,
  adminUrlFromDatabaseUrl,
  type StartPostgresOptions,
  type PostgresHandle,
} from './postgres';
export {
  startNats,
  resolveNatsServerBinary,
  natsServerInstallHint,
  NATS_SERVER_GO_VERSION,
  type StartNatsOptions,
  type NatsHandle,
  type ResolveNatsServerOptions,
} from './nats';
export {
  startNatsCluster,
  natsClusterNodeConfig,
  type StartNatsClusterOptions,
  type NatsClusterHandle,
  type NatsClusterNode,
  type NatsClusterNodeConfig,
} from './nats-cluster';
export { spawnProcess, waitForHttpOk, type SpawnProcessOptions, type ManagedProcess, type ProcessExit } from './process';
export { integrationEnv, createTestDatabase, testDatabaseName, type IntegrationEnv } from './integration-env';
export { untouchable, domainErrorOf } from './doubles';
export { benchInteger, timed, say, postgresVersion, benchAtSizes } from './bench';
export { eventually } from './eventually';
export { AGE_BANDS, DEFAULT_PROVINCE_PERSONS, ageBandThresholds, benchSizes, loadProvince, maleShareAt, provinceDivisions, readResidentId, recordScaleResult, residentIdCheckCharacter, residentIdCheckCharacterSql, scaleTable, verifyProvinceSample, villageRanges, type DivisionKind, type LoadedProvince, type ProvinceDivision, type ProvinceOptions, type ProvincePersonsOptions, type Queryable, type ResidentIdFacts, type DivisionLevel, type ScaleResult } from './province';
