import { Module } from '@nestjs/common';
import { MarriageRegistrationHandlers } from './marriage-registration.handlers';
import { MarriageRegistrationService } from './marriage-registration.service';
import { MarriageRegistriesHandlers } from './marriage-registries.handlers';

@Module({ providers: [MarriageRegistriesHandlers, MarriageRegistrationService, MarriageRegistrationHandlers] })
export class MarriageModule {}
