import 'reflect-metadata';
import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { PersonalDataCipher, RPC_HANDLER, type RpcHandlerMetadata } from '@civil/platform';
import { HttpSource } from './http-source.adapter';
import { TableSource } from './table-source.adapter';
import { loadVerificationConfig } from './verification.config';
import { Patterns } from '@civil/contracts';
import { VerificationHandlers } from './verification.handlers';
import { VerificationModule } from './verification.module';
import { VERIFICATION_OPTIONS, VerificationService } from './verification.service';
import { VERIFICATION_SOURCES, type VerificationSource } from './verification-source';

/** The module builds its sources from the environment and Nest can put it together. */
@Global()
@Module({
  providers: [
    { provide: getDataSourceToken(), useValue: { query: () => Promise.resolve([]) } },
    { provide: PersonalDataCipher, useValue: PersonalDataCipher.fromEnvironment({}) },
  ],
  exports: [getDataSourceToken(), PersonalDataCipher],
})
class FakeDatabaseModule {}

describe('VerificationModule', () => {
  let app: INestApplicationContext | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('builds the table sources, then the HTTP sources, from the variables', async () => {
    const config = loadVerificationConfig({
      VERIFICATION_TABLE_SOURCES: '[{"id":"housing","name":"住建"}]',
      VERIFICATION_HTTP_SOURCES: '[{"id":"tax","name":"税务","baseUrl":"http://127.0.0.1:9/api"}]',
      VERIFICATION_DEADLINE_MS: '2500',
    });
    @Module({ imports: [FakeDatabaseModule, VerificationModule.forRoot(config)] })
    class Root {}
    app = await NestFactory.createApplicationContext(Root, { logger: false });
    const sources = app.get<VerificationSource[]>(VERIFICATION_SOURCES);
    expect(sources.map((s) => [s.constructor, s.id, s.name])).toEqual([
      [TableSource, 'housing', '住建'],
      [HttpSource, 'tax', '税务'],
    ]);
    expect(app.get(VERIFICATION_OPTIONS)).toEqual({ deadlineMs: 2500 });
    expect(app.get(VerificationService)).toBeInstanceOf(VerificationService);
    expect(app.get(VerificationHandlers)).toBeInstanceOf(VerificationHandlers);
  });

  it('a bad variable stops forRoot() with the variable named', () => {
    const saved = process.env.VERIFICATION_HTTP_SOURCES;
    process.env.VERIFICATION_HTTP_SOURCES = '[{"id":"tax"}]';
    try {
      expect(() => VerificationModule.forRoot()).toThrow(/VERIFICATION_HTTP_SOURCES is invalid: \[0\]\.name: /);
    } finally {
      if (saved === undefined) delete process.env.VERIFICATION_HTTP_SOURCES;
      else process.env.VERIFICATION_HTTP_SOURCES = saved;
    }
  });

  it('handles the two subjects', () => {
    const subjects = (['request', 'get'] as const).map((method) => (Reflect.getMetadata(RPC_HANDLER, VerificationHandlers.prototype[method]) as RpcHandlerMetadata).subject);
    expect(subjects).toEqual([Patterns.socialAssistance.requestVerification, Patterns.socialAssistance.getVerification]);
    expect(subjects).toEqual(['social-assistance.verification.request', 'social-assistance.verification.get']);
  });
});
