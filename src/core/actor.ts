/**
 * Who did something, and how we know. From the CLI the identity is asserted (SHIPGATE_ACTOR,
 * else git's user.email, else the OS user); from the dashboard it will be an authenticated session.
 */
export interface Actor {
  readonly id: string;
  readonly via: 'asserted-env' | 'asserted-git' | 'asserted-os' | 'session' | 'system';
}

export const SYSTEM_ACTOR: Actor = { id: 'shipgate', via: 'system' };

/**
 * The identity an actor id stands for: trimmed and lower-cased. Ids are e-mail addresses in
 * practice, and `A@e` and `a@e` are one person — compared as written, the starter could approve
 * their own release (self-approval: false) by changing the case of SHIPGATE_ACTOR.
 */
export const actorKey = (id: string): string => id.trim().toLowerCase();

export const sameActor = (a: string, b: string): boolean => actorKey(a) === actorKey(b);

/** Each person once (the first spelling kept): `Bob@x` and `bob@x` are one approver. */
export const distinctActors = (ids: readonly string[]): string[] => [...new Map(ids.map((id) => [actorKey(id), id])).values()];
