import { Patterns, divisionChangeSchema, type DivisionChangeInput } from '@civil/contracts';
import { RPC_HANDLER, type RpcHandlerMetadata } from '@civil/platform';
import { domainErrorOf, untouchable } from '@civil/testing';
import { DivisionsHandlers } from './divisions.handlers';
import type { DivisionsService } from './divisions.service';

function metadataOf(method: keyof DivisionsHandlers): RpcHandlerMetadata | undefined {
  return Reflect.getMetadata(RPC_HANDLER, DivisionsHandlers.prototype[method]) as RpcHandlerMetadata | undefined;
}

describe('DivisionsHandlers', () => {
  it('serves the five division subjects: the change needs an actor, the reads are public', () => {
    const subjects = (['change', 'tree', 'history', 'resolve', 'changes'] as const).map((m) => [m, metadataOf(m)?.subject, metadataOf(m)?.public ?? false]);
    expect(subjects).toEqual([
      ['change', Patterns.divisions.change, false],
      ['tree', Patterns.divisions.tree, true],
      ['history', Patterns.divisions.history, true],
      ['resolve', Patterns.divisions.resolve, true],
      ['changes', Patterns.divisions.changes, true],
    ]);
    expect(metadataOf('change')?.schema).toBe(divisionChangeSchema);
  });

  it('refuses a change without an actor before the service is touched', async () => {
    const handlers = new DivisionsHandlers(untouchable<DivisionsService>('divisions'));
    const input = divisionChangeSchema.parse({ kind: 'rename', effectiveDate: '2024-01-01', documentNumber: '湘政函〔2023〕12号', code: '430503010000', newName: '雨溪桥街道' } satisfies DivisionChangeInput);
    await domainErrorOf(handlers.change(input, { subject: Patterns.divisions.change, actor: null }), 'UNAUTHENTICATED');
  });
});
