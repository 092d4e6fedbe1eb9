import { Injectable } from '@nestjs/common';
import {
  Patterns,
  abolishPlaceNameSchema,
  addNameVersionSchema,
  createPlaceNameSchema,
  getPlaceNameSchema,
  searchPlaceNamesSchema,
  updatePlaceNameSchema,
  type PlaceNameSearchResult,
  type PlaceNameView,
} from '@civil/contracts';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { GazetteerService } from './gazetteer.service';
import { SearchService } from './search.service';

/** NATS request handlers of the gazetteer: thin, the services hold the rules. */
@Injectable()
export class GazetteerHandlers {
  constructor(
    private readonly gazetteer: GazetteerService,
    private readonly searchService: SearchService,
  ) {}

  @RpcHandler(Patterns.placeNames.create, { schema: createPlaceNameSchema })
  async create(input: z.output<typeof createPlaceNameSchema>, ctx: RpcContext): Promise<PlaceNameView> {
    return this.gazetteer.create(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.placeNames.get, { schema: getPlaceNameSchema, public: true })
  async get(input: z.output<typeof getPlaceNameSchema>): Promise<PlaceNameView> {
    return this.gazetteer.get(input.id);
  }

  @RpcHandler(Patterns.placeNames.search, { schema: searchPlaceNamesSchema, public: true })
  async search(input: z.output<typeof searchPlaceNamesSchema>): Promise<PlaceNameSearchResult> {
    return this.searchService.search(input);
  }

  @RpcHandler(Patterns.placeNames.update, { schema: updatePlaceNameSchema })
  async update(input: z.output<typeof updatePlaceNameSchema>, ctx: RpcContext): Promise<PlaceNameView> {
    return this.gazetteer.update(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.placeNames.addVersion, { schema: addNameVersionSchema })
  async addVersion(input: z.output<typeof addNameVersionSchema>, ctx: RpcContext): Promise<PlaceNameView> {
    return this.gazetteer.addVersion(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.placeNames.abolish, { schema: abolishPlaceNameSchema })
  async abolish(input: z.output<typeof abolishPlaceNameSchema>, ctx: RpcContext): Promise<PlaceNameView> {
    return this.gazetteer.abolish(input, requireActor(ctx));
  }
}
