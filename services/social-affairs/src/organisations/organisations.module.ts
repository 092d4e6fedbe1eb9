import { Module } from '@nestjs/common';
import { OrganisationsHandlers } from './organisations.handlers';
import { OrganisationsService } from './organisations.service';

@Module({ providers: [OrganisationsService, OrganisationsHandlers] })
export class OrganisationsModule {}
