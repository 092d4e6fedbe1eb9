import { Injectable } from '@nestjs/common';
import {
  Patterns,
  divisionChangeSchema,
  divisionHistorySchema,
  divisionTreeSchema,
  listDivisionChangesSchema,
  resolveDivisionSchema,
  type DivisionChangeListView,
  type DivisionChangeView,
  type DivisionHistoryView,
  type DivisionTreeView,
  type DivisionView,
} from '@civil/contracts';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { DivisionsService } from './divisions.service';

/** 行政区划: changes need an actor (the service checks role and scope); reads are public. */
@Injectable()
export class DivisionsHandlers {
  constructor(private readonly divisions: DivisionsService) {}

  @RpcHandler(Patterns.divisions.change, { schema: divisionChangeSchema })
  async change(input: z.output<typeof divisionChangeSchema>, ctx: RpcContext): Promise<DivisionChangeView> {
    const actor = requireActor(ctx);
    return this.divisions.change(input, actor);
  }

  @RpcHandler(Patterns.divisions.tree, { schema: divisionTreeSchema, public: true })
  async tree(input: z.output<typeof divisionTreeSchema>): Promise<DivisionTreeView> {
    return this.divisions.tree(input);
  }

  @RpcHandler(Patterns.divisions.history, { schema: divisionHistorySchema, public: true })
  async history(input: z.output<typeof divisionHistorySchema>): Promise<DivisionHistoryView> {
    return this.divisions.history(input);
  }

  @RpcHandler(Patterns.divisions.resolve, { schema: resolveDivisionSchema, public: true })
  async resolve(input: z.output<typeof resolveDivisionSchema>): Promise<DivisionView> {
    return this.divisions.resolve(input);
  }

  @RpcHandler(Patterns.divisions.changes, { schema: listDivisionChangesSchema, public: true })
  async changes(input: z.output<typeof listDivisionChangesSchema>): Promise<DivisionChangeListView> {
    return this.divisions.changes(input);
  }
}
