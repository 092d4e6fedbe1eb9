// Imported first by main.ts: OpenTelemetry must patch http before it is loaded.
import { startTelemetry } from '@civil/platform/telemetry';

startTelemetry('gateway');
