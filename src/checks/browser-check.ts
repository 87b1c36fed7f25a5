import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { redactUrl } from './http-check.js';
import { finishResult, item, type CheckEnv, type CheckFile, type CheckItem, type CheckResult } from './result.js';

/** One step of a scripted visit. Exactly one action key per step. */
export type BrowserStep =
  | { readonly goto: string }
  | { readonly fill: string; readonly value: string }
  | { readonly click: string }
  | { readonly expectText: string }
  | { readonly expectSelector: string }
  | { readonly screenshot: string };

export interface BrowserCheckOptions {
  /** The first page. */
  readonly url: string;
  readonly steps: readonly BrowserStep[];
  /** Per step. Default: 10 000 ms. */
  readonly timeoutMs?: number;
  /** Default: /usr/bin/chromium (Debian's Chromium). */
  readonly executablePath?: string;
  /** Where the throw-away profile is made. Default: the OS temp dir. */
  readonly tmpDir?: string;
  /** Default: 1280×800. */
  readonly viewport?: { readonly width: number; readonly height: number };
}

// Flags for a quiet, reproducible headless run: no GPU, no QUIC, no background traffic.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Visits a page in headless Chromium and runs the steps in order, stopping at the first that
 * fails. Every `expect…` step and every failure is a checkpoint with a PNG screenshot in `files`.
 * Fill values are never reported (they are often passwords).
 */
export async function checkBrowser(o: BrowserCheckOptions, env: CheckEnv = {}): Promise<CheckResult> {
  const start = performance.now();
  const target = redactUrl(o.url);
  const timeout = o.timeoutMs ?? 10_000;
  const items: CheckItem[] = [];
  const files: CheckFile[] = [];
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(o.tmpDir ?? tmpdir(), 'shipgate-chromium-'));
  let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | undefined;
  const onAbort = (): void => void context?.close().catch(() => {});
  env.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: o.executablePath ?? '/usr/bin/chromium',
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: o.viewport ?? { width: 1280, height: 800 },
        timeout: 30_000,
      });
    } catch (e) {
      const cause = { reason: 'browser' as const, message: `could not start Chromium: ${firstLine(e)}` };
      return finishResult('browser', target, [item('start browser', false, 'Chromium running', cause.message)], performance.now() - start, { cause });
    }
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(timeout);
    const shot = async (name: string): Promise<void> => {
      const png = await page.screenshot({ fullPage: true, timeout }).catch(() => undefined);
      if (png) files.push({ name: `${String(files.length + 1).padStart(2, '0')}-${slug(name)}.png`, mediaType: 'image/png', content: png });
    };
    const steps: BrowserStep[] = [{ goto: o.url }, ...o.steps];
    for (const step of steps) {
      if (env.signal?.aborted) {
        items.push(item('aborted', false, 'steps completed', 'aborted'));
        break;
      }
      const t0 = performance.now();
      const r = await runStep(page, step, timeout);
      items.push(item(r.name, r.passed, r.expected, r.measured, { ms: Math.round(performance.now() - t0) }));
      if (!r.passed) {
        await shot(`failed ${r.name}`);
        break;
      }
      if ('expectText' in step || 'expectSelector' in step) await shot(r.name);
      if ('screenshot' in step) await shot(step.screenshot);
    }
  } finally {
    env.signal?.removeEventListener('abort', onAbort);
    await context?.close().catch(() => {});
    await rm(profile, { recursive: true, force: true }).catch(() => {});
  }
  return finishResult('browser', target, items, performance.now() - start, { files });
}

type Page = import('playwright-core').Page;

async function runStep(page: Page, step: BrowserStep, timeout: number): Promise<{ name: string; passed: boolean; expected: string; measured: string }> {
  try {
    if ('goto' in step) {
      const res = await page.goto(step.goto, { timeout, waitUntil: 'load' });
      const status = res?.status() ?? 0;
      return { name: `goto ${redactUrl(step.goto)}`, passed: status > 0 && status < 400, expected: 'status < 400', measured: String(status) };
    }
    if ('fill' in step) {
      await page.fill(step.fill, step.value, { timeout });
      return { name: `fill ${step.fill}`, passed: true, expected: 'field filled', measured: 'filled' };
    }
    if ('click' in step) {
      await page.click(step.click, { timeout });
      await page.waitForLoadState('load', { timeout }).catch(() => {});
      return { name: `click ${step.click}`, passed: true, expected: 'clicked', measured: 'clicked' };
    }
    if ('expectText' in step) {
      const found = await page.getByText(step.expectText).first().waitFor({ state: 'visible', timeout }).then(() => true, () => false);
      const body = found ? '' : ((await page.locator('body').innerText({ timeout: 2000 }).catch(() => '')) ?? '');
      return { name: `expect text "${step.expectText}"`, passed: found, expected: 'visible', measured: found ? 'visible' : `not found; page shows "${body.replace(/\s+/g, ' ').slice(0, 100)}"` };
    }
    if ('expectSelector' in step) {
      const found = await page.locator(step.expectSelector).first().waitFor({ state: 'visible', timeout }).then(() => true, () => false);
      return { name: `expect ${step.expectSelector}`, passed: found, expected: 'visible', measured: found ? 'visible' : 'not found' };
    }
    return { name: `screenshot ${step.screenshot}`, passed: true, expected: 'taken', measured: 'taken' };
  } catch (e) {
    const name = Object.entries(step).map(([k, v]) => (k === 'value' ? '' : `${k} ${String(v)}`)).join(' ').trim();
    return { name, passed: false, expected: 'step completes', measured: firstLine(e) };
  }
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 200);
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'shot';
}
