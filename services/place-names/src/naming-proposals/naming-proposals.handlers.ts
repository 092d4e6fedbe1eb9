import { Injectable } from '@nestjs/common';
import {
  Patterns,
  announceNamingProposalSchema,
  approveNamingProposalSchema,
  getNamingProposalSchema,
  listNamingProposalsSchema,
  reviewNamingProposalSchema,
  submitNamingProposalSchema,
  withdrawNamingProposalSchema,
  type NamingProposalListView,
  type NamingProposalView,
} from '@civil/contracts';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { NamingProposalsService } from './naming-proposals.service';

/** 命名、更名申报: every step needs an actor; the service checks roles, division scope and status. */
@Injectable()
export class NamingProposalsHandlers {
  constructor(private readonly proposals: NamingProposalsService) {}

  @RpcHandler(Patterns.naming.submit, { schema: submitNamingProposalSchema })
  async submit(input: z.output<typeof submitNamingProposalSchema>, ctx: RpcContext): Promise<NamingProposalView> {
    return this.proposals.submit(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.naming.get, { schema: getNamingProposalSchema })
  async get(input: z.output<typeof getNamingProposalSchema>, ctx: RpcContext): Promise<NamingProposalView> {
    return this.proposals.get(input.id, requireActor(ctx));
  }

  @RpcHandler(Patterns.naming.list, { schema: listNamingProposalsSchema })
  async list(input: z.output<typeof listNamingProposalsSchema>, ctx: RpcContext): Promise<NamingProposalListView> {
    return this.proposals.list(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.naming.review, { schema: reviewNamingProposalSchema })
  async review(input: z.output<typeof reviewNamingProposalSchema>, ctx: RpcContext): Promise<NamingProposalView> {
    return this.proposals.review(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.naming.approve, { schema: approveNamingProposalSchema })
  async approve(input: z.output<typeof approveNamingProposalSchema>, ctx: RpcContext): Promise<NamingProposalView> {
    return this.proposals.approve(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.naming.announce, { schema: announceNamingProposalSchema })
  async announce(input: z.output<typeof announceNamingProposalSchema>, ctx: RpcContext): Promise<NamingProposalView> {
    return this.proposals.announce(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.naming.withdraw, { schema: withdrawNamingProposalSchema })
  async withdraw(input: z.output<typeof withdrawNamingProposalSchema>, ctx: RpcContext): Promise<NamingProposalView> {
    return this.proposals.withdraw(input, requireActor(ctx));
  }
}
