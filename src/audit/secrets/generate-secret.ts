import { randomBytes } from 'node:crypto';

export type SecretEncoding = 'base64' | 'base64url' | 'hex';

/** A new random secret from the OS CSPRNG: `bytes` random bytes, encoded. Default: 32 bytes, base64. */
export function generateSecret(bytes = 32, encoding: SecretEncoding = 'base64'): string {
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > 1024) throw new RangeError('bytes must be an integer from 16 to 1024');
  return randomBytes(bytes).toString(encoding);
}
