import { Module } from '@nestjs/common';
import { SnapshotStore } from './snapshot.store';

@Module({ providers: [SnapshotStore], exports: [SnapshotStore] })
export class SnapshotModule {}
