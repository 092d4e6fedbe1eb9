import { Module } from '@nestjs/common';
import { SocialWorkHandlers } from './social-work.handlers';
import { SocialWorkService } from './social-work.service';

@Module({ providers: [SocialWorkService, SocialWorkHandlers] })
export class SocialWorkModule {}
