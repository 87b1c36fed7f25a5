import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCerts {
  /** PEM of the test CA: pass it as the check's `ca`. */
  readonly ca: string;
  /** Valid for 127.0.0.1 and localhost, signed by the CA, 30 days. */
  readonly valid: { key: string; cert: string };
  /** Signed by the CA for 127.0.0.1, but expired yesterday. */
  readonly expired: { key: string; cert: string };
  /** Signed by the CA, valid, for wrong.example only. */
  readonly wrongHost: { key: string; cert: string };
  /** Valid for 127.0.0.1 but only 3 more days. */
  readonly expiringSoon: { key: string; cert: string };
  readonly dispose: () => Promise<void>;
}

/** Generates a CA and leaf certificates with the openssl CLI in a temp dir. */
export async function makeTestCerts(): Promise<TestCerts> {
  const dir = await mkdtemp(join(tmpdir(), 'sg-certs-'));
  const o = (...args: string[]): Promise<unknown> => run('openssl', args, { cwd: dir });
  await o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=shipgate test CA');
  const leaf = async (name: string, san: string, days: string): Promise<{ key: string; cert: string }> => {
    await writeFile(join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
    await o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    await o('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', days, '-extfile', `${name}.ext`);
    return { key: await readFile(join(dir, `${name}.key`), 'utf8'), cert: await readFile(join(dir, `${name}.crt`), 'utf8') };
  };
  const valid = await leaf('valid', 'IP:127.0.0.1,DNS:localhost', '30');
  const expired = await leaf('expired', 'IP:127.0.0.1,DNS:localhost', '-1');
  const wrongHost = await leaf('wrong', 'DNS:wrong.example', '30');
  const expiringSoon = await leaf('soon', 'IP:127.0.0.1,DNS:localhost', '3');
  const ca = await readFile(join(dir, 'ca.crt'), 'utf8');
  return { ca, valid, expired, wrongHost, expiringSoon, dispose: () => rm(dir, { recursive: true, force: true }) };
}
