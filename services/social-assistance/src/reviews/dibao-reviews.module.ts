import { Module } from '@nestjs/common';
import { DibaoReviewsHandlers } from './dibao-reviews.handlers';
import { DibaoReviewsService } from './dibao-reviews.service';

@Module({ providers: [DibaoReviewsService, DibaoReviewsHandlers] })
export class DibaoReviewsModule {}
