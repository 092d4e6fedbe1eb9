import { Module } from '@nestjs/common';
import { InstitutionsHandlers } from './institutions.handlers';
import { InstitutionsService } from './institutions.service';

@Module({ providers: [InstitutionsService, InstitutionsHandlers] })
export class InstitutionsModule {}
