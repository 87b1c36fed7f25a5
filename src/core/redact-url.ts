/** A database URL with its password replaced by ***, for messages and evidence. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // Not parseable as a URL: hide anything between "://user:" and "@" by hand.
    return url.replace(/(:\/\/[^:/@]*:).*@/, '$1***@');
  }
}
