import { identityOf, type ServiceApp } from '@lift/kit';
import type { AuthDomain } from '../auth-domain.js';
import { AuditList, AuditQuery } from '../schemas.js';

/** The audit log of the organisation a token acts for, newest first (`org:admin`). */
export async function auditRoutes(app: ServiceApp, domain: AuthDomain): Promise<void> {
  app.get(
    '/v1/audit-events',
    { preHandler: app.requirePermission('org:admin'), schema: { operationId: 'listAuditEvents', tags: ['audit'], security: [{ bearerAuth: [] }], summary: 'Who did what to whom', querystring: AuditQuery, response: { 200: AuditList } } },
    async (request) => {
      const items = await domain.store.audit.list(identityOf(request).organisation, request.query.limit + 1, request.query.cursor);
      const page = items.slice(0, request.query.limit);
      return { items: page, nextCursor: items.length > request.query.limit ? (page.at(-1)?.id ?? null) : null };
    },
  );
}
