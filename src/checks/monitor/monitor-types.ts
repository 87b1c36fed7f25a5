import type { CheckItem } from '../result.js';
import type { Condition } from './condition.js';
import type { Probe } from './probe.js';

/** How a measurement counted (Argo Rollouts' analysis vocabulary). */
export type MeasurementOutcome = 'success' | 'failure' | 'error' | 'inconclusive';

/** One kept measurement (one NDJSON line of the measurements artifact). */
export interface Measurement {
  /** ISO-8601 UTC, from the monitor's clock. */
  readonly t: string;
  /** Milliseconds since the window started (after the initial delay). */
  readonly offsetMs: number;
  readonly probe: string;
  readonly outcome: MeasurementOutcome;
  /** Latency, when the probe has one. For a timeout: the time waited (a lower bound). */
  readonly ms?: number;
  /** An error that was a timeout; its `ms` counts in the latency percentiles. */
  readonly timedOut?: boolean;
  /** The probe's metric (connections, matching log lines, a JSON value, a command's number). */
  readonly value?: number;
  readonly detail?: string;
}

/** Window thresholds of one probe: all must hold at the end, or the monitor fails. */
export interface ProbeThresholds {
  /** Minimum availability in percent (successes / all measurements). */
  readonly availability?: Condition;
  readonly p50?: Condition;
  readonly p95?: Condition;
  readonly p99?: Condition;
  /** Maximum count of measurements that could not be taken. */
  readonly maxErrors?: number;
  /** Condition every measurement's metric must meet; a miss makes that measurement a failure. */
  readonly metric?: Condition;
}

/** Conditions that make the result `inconclusive` (a person decides) when they hold. */
export interface ProbeInconclusive {
  readonly p50?: Condition;
  readonly p95?: Condition;
  readonly p99?: Condition;
  readonly availability?: Condition;
  /** A measurement whose metric meets this is `inconclusive` rather than success. */
  readonly metric?: Condition;
}

export interface MonitorProbe {
  readonly name: string;
  /** Shown in reports: `http GET https://…/health`, `log-file logs/access.log`. */
  readonly description: string;
  readonly probe: Probe;
  readonly thresholds?: ProbeThresholds;
  readonly inconclusive?: ProbeInconclusive;
}

export interface MonitorOptions {
  /** Length of the watch window, after the initial delay. */
  readonly durationMs: number;
  /** Time between ticks; each tick measures every probe. */
  readonly intervalMs: number;
  /** Wait before the first tick. Default: 0. */
  readonly initialDelayMs?: number;
  readonly probes: readonly MonitorProbe[];
  /** Stop and fail when a probe's failures exceed this. Default: 0 (Argo's failureLimit). */
  readonly failureLimit?: number;
  /** Stop and fail when a probe's consecutive errors exceed this. Default: 4 (Argo's consecutiveErrorLimit). */
  readonly consecutiveErrorLimit?: number;
  /** More inconclusive measurements than this make the result inconclusive. Default: 0. */
  readonly inconclusiveLimit?: number;
  /** A probe with fewer measured (non-error) readings than this is inconclusive. Default: min(3, ticks). */
  readonly minMeasurements?: number;
  /** Called for every measurement as it is taken (e.g. to append NDJSON). */
  readonly onMeasurement?: (m: Measurement) => void;
}

export interface ProbeStats {
  readonly probe: string;
  readonly description: string;
  readonly count: number;
  readonly successes: number;
  readonly failures: number;
  readonly errors: number;
  readonly inconclusive: number;
  readonly maxConsecutiveErrors: number;
  /** Percent, of all measurements; undefined when there are none. */
  readonly availability?: number;
  readonly p50?: number;
  readonly p95?: number;
  readonly p99?: number;
  readonly maxMs?: number;
  readonly lastValue?: number;
  readonly maxValue?: number;
}

export interface MonitorResult {
  readonly status: 'passed' | 'failed' | 'inconclusive';
  readonly summary: string;
  /** Expected vs measured, per probe and threshold. */
  readonly items: readonly CheckItem[];
  readonly stats: readonly ProbeStats[];
  readonly measurements: readonly Measurement[];
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  readonly intervalMs: number;
  /** Why the window ended before its time, if it did. */
  readonly stoppedEarly?: string;
  /** Latency thresholds per probe, drawn on the chart. */
  readonly latencyLimits: readonly { readonly probe: string; readonly label: string; readonly ms: number }[];
}
