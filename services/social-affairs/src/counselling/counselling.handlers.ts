import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import {
  Patterns,
  bookCounsellingSchema,
  cancelCounsellingBookingSchema,
  counsellingSummarySchema,
  getCounsellingBookingSchema,
  listCounsellingBookingsSchema,
  listCounsellingSlotsSchema,
  listCounsellorsSchema,
  openCounsellingDaySchema,
  recordCounsellingSessionSchema,
  registerCounsellorSchema,
  type CounsellingBookingListView,
  type CounsellingBookingView,
  type CounsellingSlotListView,
  type CounsellingSummary,
  type CounsellorView,
  type OpenCounsellingDayResult,
} from '@civil/contracts';
import { CounsellingService } from './counselling.service';

@Injectable()
export class CounsellingHandlers {
  constructor(private readonly counselling: CounsellingService) {}

  @RpcHandler(Patterns.socialAffairs.registerCounsellor, { schema: registerCounsellorSchema })
  async registerCounsellor(input: z.output<typeof registerCounsellorSchema>, ctx: RpcContext): Promise<CounsellorView> {
    return this.counselling.registerCounsellor(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.listCounsellors, { schema: listCounsellorsSchema })
  async listCounsellors(input: z.output<typeof listCounsellorsSchema>, ctx: RpcContext): Promise<{ items: CounsellorView[] }> {
    return this.counselling.listCounsellors(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.openCounsellingDay, { schema: openCounsellingDaySchema })
  async openDay(input: z.output<typeof openCounsellingDaySchema>, ctx: RpcContext): Promise<OpenCounsellingDayResult> {
    return this.counselling.openDay(input, requireActor(ctx));
  }

  /** Slots and places left are public: citizens choose one before signing in. */
  @RpcHandler(Patterns.socialAffairs.listCounsellingSlots, { schema: listCounsellingSlotsSchema, public: true })
  async listSlots(input: z.output<typeof listCounsellingSlotsSchema>): Promise<CounsellingSlotListView> {
    return this.counselling.listSlots(input);
  }

  @RpcHandler(Patterns.socialAffairs.bookCounselling, { schema: bookCounsellingSchema })
  async book(input: z.output<typeof bookCounsellingSchema>, ctx: RpcContext): Promise<CounsellingBookingView> {
    return this.counselling.book(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.getCounsellingBooking, { schema: getCounsellingBookingSchema })
  async get(input: z.output<typeof getCounsellingBookingSchema>, ctx: RpcContext): Promise<CounsellingBookingView> {
    return this.counselling.get(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.listCounsellingBookings, { schema: listCounsellingBookingsSchema })
  async list(input: z.output<typeof listCounsellingBookingsSchema>, ctx: RpcContext): Promise<CounsellingBookingListView> {
    return this.counselling.list(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.cancelCounsellingBooking, { schema: cancelCounsellingBookingSchema })
  async cancel(input: z.output<typeof cancelCounsellingBookingSchema>, ctx: RpcContext): Promise<CounsellingBookingView> {
    return this.counselling.cancel(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.recordCounsellingSession, { schema: recordCounsellingSessionSchema })
  async recordSession(input: z.output<typeof recordCounsellingSessionSchema>, ctx: RpcContext): Promise<CounsellingBookingView> {
    return this.counselling.recordSession(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.counsellingSummary, { schema: counsellingSummarySchema })
  async summary(input: z.output<typeof counsellingSummarySchema>, ctx: RpcContext): Promise<CounsellingSummary> {
    return this.counselling.summary(input, requireActor(ctx));
  }
}
