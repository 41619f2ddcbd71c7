import type { Database } from '@everyskill/db';
import type { Role } from '@everyskill/contracts';

/** Who acts: a signed-in person, an API key on their behalf, or the system (cron, CLI, jobs). */
export type Actor =
  | { kind: 'user'; userId: string; email: string; role: Role }
  | { kind: 'api-key'; userId: string; keyId: string; role: Role; scopes: string[] }
  | { kind: 'system'; label: string };

/** What every core service receives: the tenant it acts in, who acts, the database, the request id. */
export interface Ctx {
  tenantId: string;
  actor: Actor;
  db: Database;
  requestId?: string;
}

/** The acting person's id, or null for the system; the one place this rule lives. */
export function actorUserId(actor: Actor): string | null {
  return actor.kind === 'system' ? null : actor.userId;
}

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return actor.email;
    case 'api-key':
      return `api-key:${actor.keyId}`;
    case 'system':
      return actor.label;
  }
}
