import 'reflect-metadata';
import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { PLATFORM_CONFIG, PLATFORM_LOGGER, PersonalDataCipher } from '@civil/platform';
import pino from 'pino';
import { CityFeedModule } from './city-feed.module';
import { CityFeedSender } from './city-feed.sender';
import { CITY_FEED_SETTINGS } from './city-feed.service';

/** The module wires up with what the platform module provides; the sender follows the lifecycle. */
describe('CityFeedModule', () => {
  async function boot(config: Record<string, unknown>, queries: string[]) {
    const dataSource = { query: (sql: string) => (queries.push(sql), Promise.resolve([])), transaction: () => Promise.reject(new Error('unexpected')) };
    @Global()
    @Module({
      providers: [
        { provide: PLATFORM_CONFIG, useValue: config },
        { provide: PLATFORM_LOGGER, useValue: pino({ level: 'silent' }) },
        { provide: getDataSourceToken(), useValue: dataSource },
        { provide: PersonalDataCipher, useValue: PersonalDataCipher.fromEnvironment({}) },
      ],
      exports: [PLATFORM_CONFIG, PLATFORM_LOGGER, getDataSourceToken(), PersonalDataCipher],
    })
    class FakePlatform {}
    @Module({ imports: [FakePlatform, CityFeedModule] })
    class Root {}
    return NestFactory.createApplicationContext(Root, { logger: false });
  }

  it('is disabled without CITY_FEED_URL: nothing runs', async () => {
    const queries: string[] = [];
    const app = await boot({}, queries);
    expect(app.get(CityFeedSender).enabled).toBe(false);
    await app.close();
    expect(queries).toEqual([]);
  });

  it('with a URL, runs once at bootstrap (here: no lease to be had) and stops on shutdown', async () => {
    const queries: string[] = [];
    const app = await boot({ CITY_FEED_URL: 'http://127.0.0.1:9/feed', CITY_FEED_BATCH_SIZE: 7 }, queries);
    expect(app.get(CITY_FEED_SETTINGS)).toMatchObject({ url: 'http://127.0.0.1:9/feed', batchSize: 7, maxAttempts: 5 });
    const sender = app.get(CityFeedSender);
    expect(sender.enabled).toBe(true);
    await app.close();
    expect(queries.some((q) => q.includes('city_feed_delivery'))).toBe(true);
  });
});
