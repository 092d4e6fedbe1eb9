import { Module } from '@nestjs/common';
import { MarriageRegistriesHandlers } from './marriage-registries.handlers';

@Module({ providers: [MarriageRegistriesHandlers] })
export class MarriageModule {}
