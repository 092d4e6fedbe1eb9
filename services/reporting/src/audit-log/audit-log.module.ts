import { Module } from '@nestjs/common';
import { AuditLogConsumer } from './audit-log.consumer';
import { AuditLogHandlers } from './audit-log.handlers';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';

/** The platform's audit log: stored from the gateway's AUDIT stream, read by auditors. */
@Module({
  providers: [AuditLogRepository, AuditLogService, AuditLogHandlers, AuditLogConsumer],
})
export class AuditLogModule {}
