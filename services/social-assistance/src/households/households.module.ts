import { Module } from '@nestjs/common';
import { HouseholdsHandlers } from './households.handlers';
import { HouseholdsService } from './households.service';

@Module({ providers: [HouseholdsService, HouseholdsHandlers] })
export class HouseholdsModule {}
