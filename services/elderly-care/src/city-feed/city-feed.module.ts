import { Module } from '@nestjs/common';
import { PLATFORM_CONFIG } from '@civil/platform';
import { cityFeedSettings, type ElderlyCareConfig } from '../config';
import { CityFeedHandlers } from './city-feed.handlers';
import { CityFeedSender } from './city-feed.sender';
import { CITY_FEED_SETTINGS, CityFeedService } from './city-feed.service';

@Module({
  providers: [
    { provide: CITY_FEED_SETTINGS, useFactory: (config: Partial<ElderlyCareConfig>) => cityFeedSettings(config), inject: [PLATFORM_CONFIG] },
    CityFeedService,
    CityFeedHandlers,
    CityFeedSender,
  ],
})
export class CityFeedModule {}
