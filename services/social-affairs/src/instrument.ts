// Imported first by main.ts: OpenTelemetry must patch http and pg before they are loaded.
import { startTelemetry } from '@civil/platform/telemetry';

startTelemetry('social-affairs');
