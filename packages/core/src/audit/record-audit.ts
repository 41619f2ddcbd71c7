import { auditLog, type Transaction } from '@everyskill/db';
import { actorLabel, actorUserId, type Actor } from '../context';

export interface AuditEvent {
  tenantId: string | null;
  actor: Actor;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
  requestId?: string;
}

/** Appends an audit entry inside the caller's transaction, so it commits or rolls back with the change. */
export async function recordAudit(tx: Transaction, event: AuditEvent): Promise<void> {
  await tx.insert(auditLog).values({
    tenantId: event.tenantId,
    actorUserId: actorUserId(event.actor),
    actorLabel: actorLabel(event.actor),
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    details: event.details ?? {},
    requestId: event.requestId,
  });
}
