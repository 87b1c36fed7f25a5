// No fallback: a missing JWT_SECRET must stop the API, not sign tokens with a default.
export function jwtSecret(env: Record<string, string | undefined>): string {
  const s = env.JWT_SECRET;
  if (!s || s.length < 32) throw new Error('JWT_SECRET is missing or shorter than 32 characters');
  return s;
}
