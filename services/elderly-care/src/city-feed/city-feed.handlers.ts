import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import {
  Patterns,
  cityFeedPageSchema,
  exportCityFeedSchema,
  listCityFeedDeadLettersSchema,
  retryCityFeedDeadLetterSchema,
  type CityFeedCsvPage,
  type CityFeedDeadLetterListView,
  type CityFeedDeadLetterView,
  type CityFeedPage,
  type CityFeedPageRequest,
  type ExportCityFeedRequest,
  type ListCityFeedDeadLettersRequest,
  type RetryCityFeedDeadLetterRequest,
} from '@civil/contracts';
import { CityFeedService } from './city-feed.service';

/** The city elderly-service platform feed: every request needs an actor; the service checks roles. */
@Injectable()
export class CityFeedHandlers {
  constructor(private readonly feed: CityFeedService) {}

  @RpcHandler(Patterns.elderlyCare.cityFeedPage, { schema: cityFeedPageSchema })
  async page(input: CityFeedPageRequest, ctx: RpcContext): Promise<CityFeedPage> {
    return this.feed.page(input, requireActor(ctx));
  }

  /** One page of the CSV download; the gateway streams the pages as one file. */
  @RpcHandler(Patterns.elderlyCare.exportCityFeed, { schema: exportCityFeedSchema })
  async export(input: ExportCityFeedRequest, ctx: RpcContext): Promise<CityFeedCsvPage> {
    return this.feed.exportPage(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.listCityFeedDeadLetters, { schema: listCityFeedDeadLettersSchema })
  async deadLetters(input: ListCityFeedDeadLettersRequest, ctx: RpcContext): Promise<CityFeedDeadLetterListView> {
    return this.feed.listDeadLetters(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.retryCityFeedDeadLetter, { schema: retryCityFeedDeadLetterSchema })
  async retry(input: RetryCityFeedDeadLetterRequest, ctx: RpcContext): Promise<CityFeedDeadLetterView> {
    return this.feed.retryDeadLetter(input, requireActor(ctx));
  }
}
