import type { Measurement, MonitorResult } from './monitor-types.js';

// Hand-written SVG: one line chart does not justify a charting dependency, and the output must
// be a static, self-contained file (no scripts, no fonts to fetch) that opens anywhere.
const W = 1000;
const PH = 280;
const M = { left: 78, right: 240, top: 64 };
const PW = W - M.left - M.right;
const ROW = 22;
const COLORS = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];

/** Renders latency per probe over time, error/failure markers, and latency thresholds. */
export function renderMonitorChart(r: MonitorResult): string {
  const probes = r.stats.map((s) => s.probe);
  const withMs = r.measurements.filter((m) => m.ms !== undefined && m.outcome !== 'error');
  const lastOffset = Math.max(r.durationMs, ...r.measurements.map((m) => m.offsetMs));
  const maxMs = Math.max(1, ...withMs.map((m) => m.ms!), ...r.latencyLimits.map((l) => l.ms));
  const yTicks = niceTicks(maxMs * 1.08);
  const yMax = yTicks[yTicks.length - 1]!;
  const xTicks = timeTicks(lastOffset / 1000);
  const stripTop = M.top + PH + 56;
  const H = stripTop + probes.length * ROW + 40;
  const x = (offMs: number): number => M.left + (offMs / Math.max(1, lastOffset)) * PW;
  const y = (ms: number): number => M.top + PH - (ms / yMax) * PH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif" font-size="13">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  const statusColor = r.status === 'passed' ? '#2e7d32' : r.status === 'failed' ? '#c62828' : '#ef6c00';
  out.push(`<text x="${M.left}" y="26" font-size="17" font-weight="bold">Monitor <tspan fill="${statusColor}">${r.status.toUpperCase()}</tspan> — latency and errors</text>`);
  out.push(`<text x="${M.left}" y="46" fill="#444">${esc(`${r.startedAt.replace('T', ' ').slice(0, 19)} UTC · ${r.measurements.length} measurements · interval ${fmtSec(r.intervalMs)}`)}</text>`);
  // Grid and y axis.
  for (const t of yTicks) {
    out.push(`<line x1="${M.left}" x2="${M.left + PW}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${M.left - 8}" y="${y(t) + 4}" text-anchor="end" fill="#333">${fmtNum(t)}</text>`);
  }
  for (const t of xTicks) {
    out.push(`<line x1="${x(t * 1000)}" x2="${x(t * 1000)}" y1="${M.top}" y2="${M.top + PH}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${x(t * 1000)}" y="${M.top + PH + 18}" text-anchor="middle" fill="#333">${fmtClock(t)}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${PW}" height="${PH}" fill="none" stroke="#888"/>`);
  out.push(`<text transform="translate(20 ${M.top + PH / 2}) rotate(-90)" text-anchor="middle" fill="#222">latency (ms)</text>`);
  out.push(`<text x="${M.left + PW / 2}" y="${M.top + PH + 38}" text-anchor="middle" fill="#222">time since the window started (min:s)</text>`);
  // Threshold lines.
  r.latencyLimits.forEach((l) => {
    out.push(`<line x1="${M.left}" x2="${M.left + PW}" y1="${y(l.ms)}" y2="${y(l.ms)}" stroke="#c62828" stroke-dasharray="6 4" stroke-width="1.5"/>`);
    out.push(`<text x="${M.left + PW - 4}" y="${y(l.ms) - 5}" text-anchor="end" fill="#c62828">${esc(l.label)}</text>`);
  });
  // One line per probe.
  probes.forEach((p, i) => {
    const color = COLORS[i % COLORS.length]!;
    // The line breaks where a measurement could not be taken, so a gap reads as a gap.
    for (const seg of segments(r.measurements.filter((m) => m.probe === p))) {
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="1.6" points="${seg.map((m) => `${x(m.offsetMs).toFixed(1)},${y(m.ms!).toFixed(1)}`).join(' ')}"/>`);
    }
    const pts = withMs.filter((m) => m.probe === p);
    if (pts.length <= 150) for (const m of pts) out.push(`<circle cx="${x(m.offsetMs).toFixed(1)}" cy="${y(m.ms!).toFixed(1)}" r="2.4" fill="${color}"/>`);
    for (const m of pts.filter((m) => m.outcome !== 'success')) out.push(marker(x(m.offsetMs), y(m.ms!), m));
  });
  // Error / failure strip: one row per probe, every measurement that was not a success, even without latency.
  out.push(`<text x="${M.left}" y="${stripTop - 8}" fill="#222" font-weight="bold">not successful, per probe</text>`);
  probes.forEach((p, i) => {
    const ry = stripTop + 10 + i * ROW;
    out.push(`<text x="${M.left - 8}" y="${ry + 4}" text-anchor="end" fill="#222">${esc(p.slice(0, 10))}</text>`);
    out.push(`<line x1="${M.left}" x2="${M.left + PW}" y1="${ry}" y2="${ry}" stroke="#ddd"/>`);
    for (const m of r.measurements.filter((m) => m.probe === p && m.outcome !== 'success')) out.push(marker(x(m.offsetMs), ry, m));
  });
  const bad = r.measurements.filter((m) => m.outcome !== 'success');
  out.push(`<text x="${M.left}" y="${stripTop + probes.length * ROW + 20}" fill="#555">${esc(`× error (could not measure)  ▲ failure  ◆ inconclusive — ${count(bad, 'error')} errors, ${count(bad, 'failure')} failures, ${count(bad, 'inconclusive')} inconclusive`)}</text>`);
  // Legend with the window figures.
  const lx = M.left + PW + 16;
  out.push(`<text x="${lx}" y="${M.top + 4}" font-weight="bold">probes</text>`);
  r.stats.forEach((s, i) => {
    const ly = M.top + 26 + i * 62;
    out.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly - 4}" y2="${ly - 4}" stroke="${COLORS[i % COLORS.length]}" stroke-width="3"/>`);
    out.push(`<text x="${lx + 28}" y="${ly}" font-weight="bold">${esc(s.probe.slice(0, 20))}</text>`);
    out.push(`<text x="${lx + 28}" y="${ly + 17}" fill="#333" font-size="12">${esc(s.p95 !== undefined ? `p50 ${fmtNum(s.p50!)} · p95 ${fmtNum(s.p95)} ms` : 'no latency')}</text>`);
    out.push(`<text x="${lx + 28}" y="${ly + 33}" fill="#333" font-size="12">${esc(`avail ${s.availability?.toFixed(1) ?? '-'}% · ${s.errors} err · ${s.failures} fail`)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function marker(cx: number, cy: number, m: Measurement): string {
  const title = `<title>${esc(`${m.t} ${m.probe} ${m.outcome}: ${m.detail ?? ''}`)}</title>`;
  if (m.outcome === 'error') return `<g>${title}${cross(cx, cy, '#c62828', 6)}</g>`;
  if (m.outcome === 'failure') return `<g>${title}<path d="M${cx} ${cy - 6} L${cx + 6} ${cy + 5} L${cx - 6} ${cy + 5} Z" fill="#ef6c00"/></g>`;
  return `<g>${title}<path d="M${cx} ${cy - 6} L${cx + 6} ${cy} L${cx} ${cy + 6} L${cx - 6} ${cy} Z" fill="#8e24aa"/></g>`;
}

function cross(cx: number, cy: number, color: string, r: number): string {
  return `<path d="M${cx - r} ${cy - r} L${cx + r} ${cy + r} M${cx - r} ${cy + r} L${cx + r} ${cy - r}" stroke="${color}" stroke-width="2.2"/>`;
}

/** Runs of consecutive measurements that have a latency (errors split them). */
function segments(ms: readonly Measurement[]): Measurement[][] {
  const out: Measurement[][] = [[]];
  for (const m of ms) {
    if (m.outcome === 'error' || m.ms === undefined) {
      if (out[out.length - 1]!.length > 0) out.push([]);
    } else out[out.length - 1]!.push(m);
  }
  return out.filter((s) => s.length > 0);
}

/** Time ticks in seconds on round steps (1s … 1h), 4–8 of them. */
function timeTicks(maxS: number): number[] {
  const step = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].find((s) => maxS / s <= 8) ?? 3600;
  const ticks: number[] = [];
  for (let k = 0; k * step <= maxS + 1e-9; k++) ticks.push(Math.round(k * step * 10) / 10);
  return ticks;
}

/** 0 and 4–7 evenly spaced round values covering [0, max]. */
export function niceTicks(max: number): number[] {
  const m = max > 0 ? max : 1;
  const raw = m / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => m / s <= 6)!;
  const ticks: number[] = [];
  for (let t = 0; t < m + step - 1e-9; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  return ticks;
}

const count = (ms: readonly Measurement[], o: Measurement['outcome']): number => ms.filter((m) => m.outcome === o).length;
const fmtNum = (n: number): string => (n >= 100 ? String(Math.round(n)) : n >= 10 ? n.toFixed(1).replace(/\.0$/, '') : n.toFixed(2).replace(/\.?0+$/, '') || '0');
const fmtSec = (ms: number): string => (ms < 1000 ? `${ms}ms` : `${ms / 1000}s`);
const fmtClock = (s: number): string => `${Math.floor(s / 60)}:${(s % 60 < 10 ? '0' : '') + (Number.isInteger(s) ? String(s % 60) : (s % 60).toFixed(1))}`;
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
