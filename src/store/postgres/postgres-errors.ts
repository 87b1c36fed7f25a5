import { stateUnreachable } from '../store-errors.js';

// Node socket errors and the server's SQLSTATEs that mean "cannot reach or log in".
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const SQLSTATE_UNREACHABLE: Record<string, string> = {
  '28P01': 'password authentication failed',
  '28000': 'not authorised',
  '3D000': 'the database does not exist',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'too many connections',
};

/** Maps connection failures to SG_STATE_UNREACHABLE (URL already redacted); other errors pass through. */
export function mapPostgresError(e: unknown, displayUrl: string): unknown {
  const code = (e as { code?: unknown })?.code;
  const message = (e as Error)?.message ?? String(e);
  if (typeof code === 'string' && NETWORK.has(code)) return stateUnreachable(displayUrl, `${code}: ${message}`);
  if (typeof code === 'string' && code in SQLSTATE_UNREACHABLE) return stateUnreachable(displayUrl, SQLSTATE_UNREACHABLE[code]!);
  if (/timeout|Connection terminated/i.test(message) && code === undefined) return stateUnreachable(displayUrl, message);
  return e;
}
