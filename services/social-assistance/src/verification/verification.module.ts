import { Module, type DynamicModule } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PersonalDataCipher } from '@civil/platform';
import { HttpSource } from './http-source.adapter';
import { TableSource } from './table-source.adapter';
import { loadVerificationConfig, type VerificationConfig } from './verification.config';
import { VerificationHandlers } from './verification.handlers';
import { VERIFICATION_OPTIONS, VerificationService, type VerificationOptions } from './verification.service';
import { VERIFICATION_SOURCES, type VerificationSource } from './verification-source';

/**
 * Household economic verification. The sources come from the environment (see
 * verification.config.ts): imported-extract sources first, then the bureaus' HTTP APIs.
 *
 * `VerificationModule.forRoot(config)` with the service's validated config (its schema extended
 * with `verificationConfigSchema.shape`), or `VerificationModule.forRoot()` to read the variables
 * here (a bad one throws ConfigError naming it).
 */
@Module({})
export class VerificationModule {
  static forRoot(config: VerificationConfig = loadVerificationConfig()): DynamicModule {
    return {
      module: VerificationModule,
      providers: [
        { provide: VERIFICATION_OPTIONS, useValue: { deadlineMs: config.VERIFICATION_DEADLINE_MS } satisfies VerificationOptions },
        {
          provide: VERIFICATION_SOURCES,
          inject: [getDataSourceToken(), PersonalDataCipher],
          useFactory: (dataSource: DataSource, cipher: PersonalDataCipher): VerificationSource[] => [
            ...config.VERIFICATION_TABLE_SOURCES.map((s) => new TableSource(dataSource, cipher, s.id, s.name)),
            ...config.VERIFICATION_HTTP_SOURCES.map((s) => new HttpSource(s)),
          ],
        },
        VerificationService,
        VerificationHandlers,
      ],
      exports: [VerificationService],
    };
  }
}
