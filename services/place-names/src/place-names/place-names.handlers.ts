import { Injectable } from '@nestjs/common';
import { Patterns, createPlaceNameSchema, getPlaceNameSchema, listPlaceNamesSchema, type PlaceNameList, type PlaceNameView } from '@civil/contracts';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { PlaceNamesService } from './place-names.service';

/** NATS request handlers of the place-names aggregate: thin, the service holds the rules. */
@Injectable()
export class PlaceNamesHandlers {
  constructor(private readonly placeNames: PlaceNamesService) {}

  @RpcHandler(Patterns.placeNames.create, { schema: createPlaceNameSchema })
  async create(input: z.output<typeof createPlaceNameSchema>, ctx: RpcContext): Promise<PlaceNameView> {
    const actor = requireActor(ctx);
    return this.placeNames.create(input, actor);
  }

  @RpcHandler(Patterns.placeNames.get, { schema: getPlaceNameSchema, public: true })
  async get(input: z.output<typeof getPlaceNameSchema>): Promise<PlaceNameView> {
    return this.placeNames.get(input.id);
  }

  @RpcHandler(Patterns.placeNames.list, { schema: listPlaceNamesSchema, public: true })
  async list(input: z.output<typeof listPlaceNamesSchema>): Promise<PlaceNameList> {
    return { items: await this.placeNames.list(input) };
  }
}
