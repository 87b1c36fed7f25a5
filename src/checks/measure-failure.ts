import type { MeasureFailure } from './result.js';

// TLS error codes from OpenSSL/Node, translated to a sentence a person can act on.
const TLS_CODES: Record<string, string> = {
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate is not valid for this host',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate (pass the CA with `ca`)',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in chain (pass the CA with `ca`)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate chain not trusted (pass the CA with `ca`)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer certificate not trusted (pass the CA with `ca`)',
  UNABLE_TO_GET_ISSUER_CERT: 'issuer certificate not found',
  CERT_REVOKED: 'certificate revoked',
  CERT_SIGNATURE_FAILURE: 'certificate signature invalid',
};

/** Classifies a Node network/TLS error into why the check could not measure. */
export function classifyNetworkError(e: unknown, where: string): MeasureFailure {
  const err = e as NodeJS.ErrnoException & { reason?: string };
  const code = err?.code ?? '';
  const msg = err?.message ?? String(e);
  if (code === 'ECONNREFUSED') return { reason: 'refused', message: `connection refused by ${where}` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return { reason: 'dns', message: `DNS lookup failed for ${where} (${code})` };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') return { reason: 'reset', message: `connection reset by ${where}` };
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return { reason: 'timeout', message: `timed out connecting to ${where}` };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { reason: 'refused', message: `${where} unreachable (${code})` };
  if (code in TLS_CODES) return { reason: 'tls', code, message: `TLS error from ${where}: ${TLS_CODES[code]} (${code})` };
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /SSL|TLS|certificate/i.test(msg)) {
    return { reason: 'tls', code, message: `TLS error from ${where}: ${msg}` };
  }
  if (code.startsWith('HPE_') || code === 'ERR_INVALID_HTTP_RESPONSE') return { reason: 'protocol', message: `invalid HTTP from ${where}: ${msg}` };
  return { reason: 'other', message: `${where}: ${msg}${code ? ` (${code})` : ''}` };
}
