import { Module } from '@nestjs/common';
import { TekunHandlers } from './tekun.handlers';
import { TekunService } from './tekun.service';

@Module({ providers: [TekunService, TekunHandlers] })
export class TekunModule {}
