import net from 'node:net';
import tls from 'node:tls';
import { classifyNetworkError } from './measure-failure.js';
import type { MeasureFailure } from './result.js';
import { err, ok, type Result } from '../core/result.js';

/** What the server's certificate looked like, judged with the trust given (system roots or `ca`). */
export interface CertificateFacts {
  /** The chain verifies against the trusted roots. */
  readonly trusted: boolean;
  /** OpenSSL's reason when not trusted, e.g. CERT_HAS_EXPIRED. */
  readonly trustError?: string;
  /** The certificate names the host (SAN / CN), per Node's checkServerIdentity. */
  readonly hostValid: boolean;
  readonly hostError?: string;
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly altNames: string;
}

/**
 * Opens a TLS connection only to read and judge the certificate, then closes it without sending
 * anything. Verification is not skipped: it is done here, explicitly, so that an expired or
 * wrong-host certificate can be reported with its facts instead of just "handshake failed".
 */
export function inspectCertificate(host: string, port: number, o: { ca?: string; timeoutMs: number; signal?: AbortSignal }): Promise<Result<CertificateFacts, MeasureFailure>> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: Result<CertificateFacts, MeasureFailure>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const sock = tls.connect({
      host,
      port,
      ...(net.isIP(host) === 0 && { servername: host }),
      ...(o.ca !== undefined && { ca: o.ca }),
      // Judged below with authorizationError + checkServerIdentity; nothing is sent on this socket.
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => finish(err({ reason: 'timeout', message: `no TLS handshake with ${host}:${port} within ${o.timeoutMs}ms` })), o.timeoutMs);
    o.signal?.addEventListener('abort', () => finish(err({ reason: 'aborted', message: 'aborted' })), { once: true });
    sock.once('error', (e) => finish(err(classifyNetworkError(e, `${host}:${port}`))));
    sock.once('secureConnect', () => {
      const cert = sock.getPeerCertificate();
      if (!cert || Object.keys(cert).length === 0) {
        finish(err({ reason: 'tls', message: `${host}:${port} presented no certificate` }));
        return;
      }
      const idErr = tls.checkServerIdentity(host, cert);
      const authError = sock.authorizationError ? String((sock.authorizationError as unknown as { code?: string }).code ?? sock.authorizationError) : undefined;
      // Node folds a host-name mismatch into authorizationError; the host is judged separately
      // (hostValid), so only chain errors count against trust here.
      const trustError = authError === 'ERR_TLS_CERT_ALTNAME_INVALID' ? undefined : authError;
      finish(
        ok({
          trusted: trustError === undefined && (sock.authorized || authError === 'ERR_TLS_CERT_ALTNAME_INVALID'),
          ...(trustError && { trustError }),
          hostValid: idErr === undefined,
          ...(idErr && { hostError: idErr.message }),
          subject: String(cert.subject?.CN ?? JSON.stringify(cert.subject)),
          issuer: String(cert.issuer?.CN ?? JSON.stringify(cert.issuer)),
          validFrom: new Date(cert.valid_from),
          validTo: new Date(cert.valid_to),
          altNames: cert.subjectaltname ?? '',
        }),
      );
    });
  });
}
