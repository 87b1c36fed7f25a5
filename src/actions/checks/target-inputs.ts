import * as z from 'zod';

// What a check is pointed at: URLs, hosts and ports. A malformed target is bad input — caught by
// `shipgate validate`, or exit 2 from `shipgate check` — never a check that "could not measure"
// (exit 1), which reads as if the service were down. Values with `${{ }}` are checked after
// expansion, when the engine validates `with:` again.

const hasProtocol = (v: string, protocols: readonly string[]): boolean => {
  try {
    return protocols.includes(new URL(v).protocol);
  } catch {
    return false;
  }
};

const urlOf = (protocols: readonly string[], what: string) => z.string().refine((v) => hasProtocol(v, protocols), what);

export const httpUrl = urlOf(['http:', 'https:'], 'an absolute http:// or https:// URL');
/** Chromium also opens local files, e.g. a built page under test. */
export const browserUrl = urlOf(['http:', 'https:', 'file:'], 'an absolute http://, https:// or file:// URL');
export const postgresUrl = urlOf(['postgres:', 'postgresql:'], 'a postgres:// or postgresql:// URL');
export const redisUrl = urlOf(['redis:', 'rediss:'], 'a redis:// or rediss:// URL');

// A name (labels of letters, digits, `-`, `_`), an IPv4 address, or a bare IPv6 address: what
// net.connect and tls.connect take as `host`. No scheme, port or path: those have their own inputs.
const HOST = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_.])?$|^[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*$/;
export const hostName = z.string().regex(HOST, 'a host name or IP address without scheme, port or path');

// `${{ vars.PORT }}` expands to a string, so digit strings are accepted too.
const portNumber = z.number().int().min(1).max(65535);
export const port = z.union([portNumber, z.string().regex(/^\d+$/, 'a whole number').transform(Number).pipe(portNumber)]);
