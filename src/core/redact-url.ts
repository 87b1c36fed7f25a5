/** Query parameters that carry secrets in libpq-style URLs (`?password=…`, `?sslpassword=…`). */
const SECRET_PARAMS = /^(ssl)?password$/i;

/** A database URL with its password (userinfo and `password`/`sslpassword` query params) replaced by ***, for messages and evidence. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const k of [...u.searchParams.keys()]) if (SECRET_PARAMS.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    // Not parseable as a URL: hide anything between "://user:" and "@", and secret params, by hand.
    return url.replace(/(:\/\/[^:/@]*:).*@/, '$1***@').replace(/([?&](?:ssl)?password=)[^&#]*/gi, '$1***');
  }
}
