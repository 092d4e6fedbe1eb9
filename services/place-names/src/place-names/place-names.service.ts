import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { Repository } from 'typeorm';
import {
  DomainError,
  PlaceNameEvents,
  actorCoversDivision,
  hasAnyRole,
  type Actor,
  type PlaceNameNamedV1,
  type PlaceNameView,
  type createPlaceNameSchema,
  type listPlaceNamesSchema,
} from '@civil/contracts';
import { Outbox } from '@civil/platform';
import type { z } from 'zod';
import { PlaceName } from './place-name.entity';

export type NewPlaceName = z.output<typeof createPlaceNameSchema>;

const UNIQUE_VIOLATION = '23505';

/** The gazetteer's write and read rules (walking-skeleton scope: name, category, division). */
@Injectable()
export class PlaceNamesService {
  constructor(
    @InjectRepository(PlaceName) private readonly names: Repository<PlaceName>,
    private readonly outbox: Outbox,
  ) {}

  async create(input: NewPlaceName, actor: Actor): Promise<PlaceNameView> {
    if (!hasAnyRole(actor, ['place-names-officer', 'admin'])) {
      throw new DomainError('FORBIDDEN', 'only place-names officers may record place names');
    }
    if (actor.kind !== 'system' && !actorCoversDivision(actor, input.divisionCode)) {
      throw new DomainError('OUT_OF_DIVISION_SCOPE', `division ${input.divisionCode} is outside your scope`);
    }
    try {
      return await this.outbox.transaction(async (tx) => {
        const entity = tx.manager.create(PlaceName, {
          id: uuidv7(),
          name: input.name,
          category: input.category,
          divisionCode: input.divisionCode,
          pinyin: input.pinyin ?? null,
          locationDescription: input.locationDescription ?? null,
          origin: input.origin ?? null,
          status: 'standard' as const,
          createdBy: actor.userId,
        });
        const saved = await tx.manager.save(entity);
        await tx.emit<PlaceNameNamedV1>(actor, [
          {
            type: PlaceNameEvents.named,
            subject: `place-name/${saved.id}`,
            divisionCode: saved.divisionCode,
            data: {
              nameId: saved.id,
              name: saved.name,
              category: saved.category,
              divisionCode: saved.divisionCode,
              approval: { authority: null, date: null },
            },
          },
        ]);
        return saved.toView();
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
        throw new DomainError('DUPLICATE_NAME', `"${input.name}" already exists in division ${input.divisionCode}`);
      }
      throw error;
    }
  }

  async get(id: string): Promise<PlaceNameView> {
    const found = await this.names.findOneBy({ id });
    if (!found) throw new DomainError('NOT_FOUND', `place name ${id} does not exist`);
    return found.toView();
  }

  async list(query: z.output<typeof listPlaceNamesSchema>): Promise<PlaceNameView[]> {
    const qb = this.names.createQueryBuilder('p').orderBy('p.name', 'ASC').addOrderBy('p.id', 'ASC').limit(query.limit);
    if (query.q) qb.andWhere('p.name LIKE :prefix', { prefix: `${query.q.replace(/[%_\\]/g, '\\$&')}%` });
    if (query.divisionCode) qb.andWhere('p.division_code = :division', { division: query.divisionCode });
    const rows = await qb.getMany();
    return rows.map((r) => r.toView());
  }
}
