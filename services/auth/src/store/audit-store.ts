import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { nowIso, type Clock } from '@lift/kit';
import type { AuthTables } from '../tables.js';

export interface AuditEventInput {
  readonly organisationId: string | null;
  readonly actorId: string | null;
  readonly action: string;
  readonly targetType?: string;
  readonly targetId?: string;
  readonly ip?: string;
  readonly details?: Record<string, unknown>;
}

export interface AuditEvent {
  readonly id: string;
  readonly organisationId: string | null;
  readonly actorId: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly ip: string | null;
  readonly details: Record<string, unknown>;
  readonly createdAt: string;
}

/** Who did what to whom: written in the same transaction as the change when there is one. */
export function auditStore(db: Kysely<AuthTables>, clock: Clock) {
  return {
    record: async (event: AuditEventInput): Promise<void> => {
      await db
        .insertInto('audit_events')
        .values({
          // Time-ordered ids keep the cursor stable when two events share a millisecond.
          id: `${nowIso(clock)}_${randomUUID()}`,
          organisation_id: event.organisationId,
          actor_id: event.actorId,
          action: event.action,
          target_type: event.targetType ?? null,
          target_id: event.targetId ?? null,
          ip: event.ip ?? null,
          details: JSON.stringify(event.details ?? {}),
          created_at: nowIso(clock),
        })
        .execute();
    },
    /** Newest first; `before` is the id of the last event of the previous page. */
    list: async (organisationId: string, limit: number, before?: string): Promise<AuditEvent[]> => {
      let query = db.selectFrom('audit_events').selectAll().where('organisation_id', '=', organisationId);
      if (before !== undefined) query = query.where('id', '<', before);
      const rows = await query.orderBy('id', 'desc').limit(limit).execute();
      return rows.map((row) => ({
        id: row.id,
        organisationId: row.organisation_id,
        actorId: row.actor_id,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        ip: row.ip,
        details: JSON.parse(row.details) as Record<string, unknown>,
        createdAt: row.created_at,
      }));
    },
  };
}

export type AuditStore = ReturnType<typeof auditStore>;
