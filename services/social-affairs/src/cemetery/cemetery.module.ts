import { Module } from '@nestjs/common';
import { CemeteryHandlers } from './cemetery.handlers';
import { CemeteryService } from './cemetery.service';

@Module({ providers: [CemeteryService, CemeteryHandlers] })
export class CemeteryModule {}
