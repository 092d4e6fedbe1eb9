import { Injectable } from '@nestjs/common';
import {
  Patterns,
  changeRuleWordSchema,
  checkNameSchema,
  listRuleWordsSchema,
  type NamingCheckResult,
  type RuleWordListView,
  type RuleWordView,
} from '@civil/contracts';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { NamingRulesService } from './naming-rules.service';

/** The naming check is public (citizens and developers check a name before proposing it); the word lists are for officers. */
@Injectable()
export class NamingRulesHandlers {
  constructor(private readonly rules: NamingRulesService) {}

  @RpcHandler(Patterns.naming.check, { schema: checkNameSchema, public: true })
  async check(input: z.output<typeof checkNameSchema>): Promise<NamingCheckResult> {
    return this.rules.check(input);
  }

  @RpcHandler(Patterns.naming.listWords, { schema: listRuleWordsSchema })
  async listWords(input: z.output<typeof listRuleWordsSchema>, ctx: RpcContext): Promise<RuleWordListView> {
    return this.rules.listWords(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.naming.changeWords, { schema: changeRuleWordSchema })
  async changeWord(input: z.output<typeof changeRuleWordSchema>, ctx: RpcContext): Promise<RuleWordView> {
    return this.rules.changeWord(input, requireActor(ctx));
  }
}
