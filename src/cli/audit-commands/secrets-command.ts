import { resolve } from 'node:path';
import { checkSecrets, type SecretFinding } from '../../audit/secrets/check-secrets.js';
import { generateSecret, type SecretEncoding } from '../../audit/secrets/generate-secret.js';
import { recordRotation } from '../../audit/secrets/rotation.js';
import { normalizeSecret } from '../../audit/secrets/secret-spec.js';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { resolveActor } from '../actor.js';
import type { CliIO } from '../io.js';
import { loadRunbookOrExit } from '../load-or-exit.js';
import { openStoreForCli } from '../state-dir.js';
import { cliEvidence } from './cli-evidence.js';

export interface CheckFlags {
  env: string;
  envFile?: string;
  tree: boolean;
  history: boolean;
  shapes: boolean;
  allowFile: string[];
  acceptUnmeasured?: boolean;
  state?: string;
  json?: boolean;
}

export async function secretsCheckCommand(io: CliIO, file: string, f: CheckFlags): Promise<ExitCode> {
  const loaded = await loadRunbookOrExit(io, file);
  const envSpec = loaded.runbook.environments[f.env];
  if (!envSpec) throw new UserError('SG_UNKNOWN_ENV', `environment "${f.env}" is not declared in ${file}`, `choose one of: ${Object.keys(loaded.runbook.environments).join(', ')}`);
  const dotenvFile = f.envFile ? resolve(io.cwd, f.envFile) : resolve(loaded.dir, envSpec.dotenv ?? '.env');
  const store = await openStoreForCli(io, { file, ...(f.state ? { state: f.state } : {}) });
  try {
    const r = await checkSecrets({
      cwd: loaded.dir,
      env: io.env,
      dotenvFile,
      secrets: envSpec.secrets,
      evidence: cliEvidence(store, resolveActor(io.env, io.cwd), () => new Date()),
      clock: () => new Date(),
      tree: f.tree,
      history: f.history,
      shapes: f.shapes,
      allowFiles: f.allowFile,
    });
    if (f.json) io.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else io.stdout.write(formatFindings(r.findings));
    const failed = r.findings.filter((x) => x.status === 'failed').length;
    const unmeasured = r.findings.filter((x) => x.status === 'unmeasured').length;
    io.stderr.write(`${failed} failed, ${unmeasured} unmeasured, ${r.findings.length - failed - unmeasured} passed${r.history ? `; history: ${r.history.commits} commit(s), ${r.history.blobs} blob(s)` : ''}\n`);
    for (const s of r.skipped) io.stderr.write(`  skipped ${s.file}: ${s.reason} (${s.detail})\n`);
    if (failed) return ExitCode.Failed;
    if (unmeasured && !f.acceptUnmeasured) {
      io.stderr.write('  → some checks could not be measured; measure them (e.g. --env-file) or pass --accept-unmeasured\n');
      return ExitCode.Failed;
    }
    return ExitCode.Success;
  } finally {
    await store.close();
  }
}

function formatFindings(fs: readonly SecretFinding[]): string {
  const mark = { passed: 'ok  ', failed: 'FAIL', unmeasured: '??  ' } as const;
  return fs.map((x) => `${mark[x.status]} ${x.secret} ${x.check}: expected ${x.expected}; measured ${x.measured}${x.commit ? ` (commit ${x.commit.slice(0, 12)})` : ''}`).join('\n') + '\n';
}

export async function secretsGenCommand(io: CliIO, f: { bytes: number; base64?: boolean; base64url?: boolean; hex?: boolean }): Promise<ExitCode> {
  const chosen = (['base64', 'base64url', 'hex'] as const).filter((e) => f[e]);
  if (chosen.length > 1) throw new UserError('SG_FLAGS', `choose one encoding, not ${chosen.map((c) => `--${c}`).join(' and ')}`, 'e.g. shipgate secrets gen --bytes 32 --hex');
  if (!Number.isInteger(f.bytes) || f.bytes < 16 || f.bytes > 1024) throw new UserError('SG_FLAGS', `--bytes: expected a whole number from 16 to 1024, written in decimal digits`, 'e.g. --bytes 32');
  const enc: SecretEncoding = chosen[0] ?? 'base64';
  io.stdout.write(generateSecret(f.bytes, enc) + '\n');
  return ExitCode.Success;
}

export async function secretsRotatedCommand(io: CliIO, name: string, f: { file: string; note?: string; state?: string }): Promise<ExitCode> {
  const loaded = await loadRunbookOrExit(io, f.file);
  const declared = Object.entries(loaded.runbook.environments).filter(([, e]) => e.secrets.some((s) => normalizeSecret(s).name === name));
  if (!declared.length) throw new UserError('SG_UNKNOWN_SECRET', `secret ${name} is not declared in ${f.file}`, 'declare it under environments.NAME.secrets, or check the spelling');
  const store = await openStoreForCli(io, { file: f.file, ...(f.state ? { state: f.state } : {}) });
  try {
    const e = await recordRotation(cliEvidence(store, resolveActor(io.env, io.cwd), () => new Date()), name, f.note);
    io.stdout.write(`recorded: ${name} rotated at ${e.at} (ledger seq ${e.seq}); the value is not recorded\n`);
    return ExitCode.Success;
  } finally {
    await store.close();
  }
}
