import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Patterns, emptyRequestSchema, type MarriageRegistryView } from '@civil/contracts';
import { RpcHandler } from '@civil/platform';
import type { DataSource } from 'typeorm';

/** Registries are public information: citizens choose one when booking an appointment. */
@Injectable()
export class MarriageRegistriesHandlers {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @RpcHandler(Patterns.socialAffairs.listMarriageRegistries, { schema: emptyRequestSchema, public: true })
  async list(): Promise<{ items: MarriageRegistryView[] }> {
    const rows: { id: string; name: string; division_code: string; address: string; daily_capacity: number }[] = await this.dataSource.query(
      `SELECT id, name, division_code, address, daily_capacity FROM marriage_registry ORDER BY division_code, name`,
    );
    return { items: rows.map((r) => ({ id: r.id, name: r.name, divisionCode: r.division_code, address: r.address, dailyCapacity: r.daily_capacity })) };
  }
}
