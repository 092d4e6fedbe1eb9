import { Injectable } from '@nestjs/common';
import { Patterns, exportAuditEntriesSchema, listAuditEntriesSchema, type AuditEntryPage, type AuditExportPage } from '@civil/contracts';
import { RpcHandler, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { AuditLogService } from './audit-log.service';

/** The audit log's reads: auditors (and the system actor) only; the service checks the role. */
@Injectable()
export class AuditLogHandlers {
  constructor(private readonly auditLog: AuditLogService) {}

  @RpcHandler(Patterns.auditLog.list, { schema: listAuditEntriesSchema })
  async list(request: z.output<typeof listAuditEntriesSchema>, ctx: RpcContext): Promise<AuditEntryPage> {
    return this.auditLog.list(request, ctx.actor);
  }

  /** A download page (`{ exportId, csv, next }`) as the gateway streams them. */
  @RpcHandler(Patterns.auditLog.export, { schema: exportAuditEntriesSchema })
  async export(request: z.output<typeof exportAuditEntriesSchema>, ctx: RpcContext): Promise<AuditExportPage> {
    return this.auditLog.exportPage(request, ctx.actor);
  }
}
