import { Redactor } from '../../core/redact.js';
import { renderMonitorChart } from '../../checks/monitor/chart-svg.js';
import type { Measurement, MonitorResult } from '../../checks/monitor/monitor-types.js';
import { renderMonitorTable } from '../../checks/monitor/render-table.js';
import { renderItemsTable } from '../../checks/render-items.js';
import { runMonitor } from '../../checks/monitor/run-monitor.js';
import type { ActionImpl, ActionOutcome } from '../action.js';
import type { ArtifactRef, ArtifactStore } from '../../store/artifact-store.js';
import { toMonitorOptions } from './to-monitor-options.js';
import type { MonitorWithT } from './with-schemas.js';

/** The three files a monitor leaves: every measurement, the summary, the chart. */
export async function storeMonitorArtifacts(r: MonitorResult, artifacts: ArtifactStore, prefix: string, redactor: Redactor): Promise<ArtifactRef[]> {
  // Artifacts are stored as given, so secret values (a token in a URL, a command line) are
  // removed here, at the source.
  return [
    await artifacts.put(`${prefix}-measurements.ndjson`, redactor.redact(measurementsNdjson(r.measurements)), 'application/x-ndjson'),
    await artifacts.put(`${prefix}-summary.txt`, redactor.redact(monitorSummaryText(r)), 'text/plain'),
    await artifacts.put(`${prefix}-chart.svg`, redactor.redact(renderMonitorChart(r)), 'image/svg+xml'),
  ];
}

export const measurementsNdjson = (ms: readonly Measurement[]): string => ms.map((m) => `${JSON.stringify(m)}\n`).join('');

export function monitorSummaryText(r: MonitorResult): string {
  return `${r.summary}\n\n${renderMonitorTable(r)}\n${renderItemsTable(r.items)}${r.stoppedEarly ? `\nstopped early: ${r.stoppedEarly}\n` : ''}`;
}

/** monitor: failed / inconclusive / passed, with every measurement, a table and a chart as artifacts. */
export const monitorImpl: ActionImpl<MonitorWithT> = {
  async run(w, ctx): Promise<ActionOutcome> {
    const options = await toMonitorOptions(w, ctx);
    const r = await runMonitor(
      {
        ...options,
        // Only what is not a success is logged line by line; the NDJSON artifact keeps everything.
        onMeasurement: (m) => void (m.outcome !== 'success' && ctx.log(`${m.t} ${m.probe} ${m.outcome}: ${m.detail ?? ''}`)),
      },
      ctx,
    );
    for (const line of renderMonitorTable(r).trimEnd().split('\n')) ctx.log(line);
    const artifacts = await storeMonitorArtifacts(r, ctx.artifacts, ctx.stepId ?? 'monitor', new Redactor().add(...Object.values(ctx.secrets)));
    const outputs: Record<string, string> = { status: r.status, measurements: String(r.measurements.length) };
    for (const s of r.stats) {
      if (s.availability !== undefined) outputs[`${s.probe}.availability`] = s.availability.toFixed(2);
      if (s.p95 !== undefined) outputs[`${s.probe}.p95`] = String(Math.round(s.p95));
    }
    return {
      status: r.status,
      summary: r.summary,
      outputs,
      checks: r.items.map((i) => ({ ...i, name: `monitor ${i.name}` })),
      artifacts,
      data: { stats: r.stats, startedAt: r.startedAt, endedAt: r.endedAt, ...(r.stoppedEarly && { stoppedEarly: r.stoppedEarly }) },
      ...(r.status === 'inconclusive' && w['decide-role'] && { decideRole: w['decide-role'] }),
    };
  },
};
