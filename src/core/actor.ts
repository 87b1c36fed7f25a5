/**
 * Who did something, and how we know. From the CLI the identity is asserted (SHIPGATE_ACTOR,
 * else git's user.email, else the OS user); from the dashboard it will be an authenticated session.
 */
export interface Actor {
  readonly id: string;
  readonly via: 'asserted-env' | 'asserted-git' | 'asserted-os' | 'session' | 'system';
}

export const SYSTEM_ACTOR: Actor = { id: 'shipgate', via: 'system' };
