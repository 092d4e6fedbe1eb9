import { Module } from '@nestjs/common';
import { CharityHandlers } from './charity.handlers';
import { CharityService } from './charity.service';

@Module({ providers: [CharityService, CharityHandlers] })
export class CharityModule {}
