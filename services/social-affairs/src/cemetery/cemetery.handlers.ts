import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import {
  Patterns,
  bookCemeteryVisitSchema,
  cancelCemeteryBookingSchema,
  checkInCemeteryBookingSchema,
  getCemeteryBookingSchema,
  listCemeterySlotsSchema,
  markCemeteryNoShowsSchema,
  openCemeterySlotsSchema,
  type CemeteryBookingView,
  type CemeterySlotListView,
  type MarkCemeteryNoShowsResult,
  type OpenCemeterySlotsResult,
} from '@civil/contracts';
import { CemeteryService } from './cemetery.service';

@Injectable()
export class CemeteryHandlers {
  constructor(private readonly cemetery: CemeteryService) {}

  /** Slots and places left are public: citizens choose one before signing in. */
  @RpcHandler(Patterns.socialAffairs.listCemeterySlots, { schema: listCemeterySlotsSchema, public: true })
  async listSlots(input: z.output<typeof listCemeterySlotsSchema>): Promise<CemeterySlotListView> {
    return this.cemetery.listSlots(input);
  }

  @RpcHandler(Patterns.socialAffairs.openCemeterySlots, { schema: openCemeterySlotsSchema })
  async openSlots(input: z.output<typeof openCemeterySlotsSchema>, ctx: RpcContext): Promise<OpenCemeterySlotsResult> {
    const actor = requireActor(ctx);
    return this.cemetery.openSlots(input, actor);
  }

  @RpcHandler(Patterns.socialAffairs.bookCemeteryVisit, { schema: bookCemeteryVisitSchema })
  async book(input: z.output<typeof bookCemeteryVisitSchema>, ctx: RpcContext): Promise<CemeteryBookingView> {
    const actor = requireActor(ctx);
    return this.cemetery.book(input, actor);
  }

  @RpcHandler(Patterns.socialAffairs.getCemeteryBooking, { schema: getCemeteryBookingSchema })
  async get(input: z.output<typeof getCemeteryBookingSchema>, ctx: RpcContext): Promise<CemeteryBookingView> {
    const actor = requireActor(ctx);
    return this.cemetery.get(input, actor);
  }

  @RpcHandler(Patterns.socialAffairs.cancelCemeteryBooking, { schema: cancelCemeteryBookingSchema })
  async cancel(input: z.output<typeof cancelCemeteryBookingSchema>, ctx: RpcContext): Promise<CemeteryBookingView> {
    const actor = requireActor(ctx);
    return this.cemetery.cancel(input, actor);
  }

  @RpcHandler(Patterns.socialAffairs.checkInCemeteryBooking, { schema: checkInCemeteryBookingSchema })
  async checkIn(input: z.output<typeof checkInCemeteryBookingSchema>, ctx: RpcContext): Promise<CemeteryBookingView> {
    const actor = requireActor(ctx);
    return this.cemetery.checkIn(input, actor);
  }

  @RpcHandler(Patterns.socialAffairs.markCemeteryNoShows, { schema: markCemeteryNoShowsSchema })
  async markNoShows(input: z.output<typeof markCemeteryNoShowsSchema>, ctx: RpcContext): Promise<MarkCemeteryNoShowsResult> {
    const actor = requireActor(ctx);
    return this.cemetery.markNoShows(input, actor);
  }
}
