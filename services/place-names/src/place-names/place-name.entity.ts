import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { PlaceNameCategory, PlaceNameView } from '@civil/contracts';

@Entity({ name: 'place_name' })
export class PlaceName {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  category!: PlaceNameCategory;

  @Column('char', { name: 'division_code', length: 12 })
  divisionCode!: string;

  @Column('text', { nullable: true })
  pinyin!: string | null;

  @Column('text', { name: 'location_description', nullable: true })
  locationDescription!: string | null;

  @Column('text', { nullable: true })
  origin!: string | null;

  @Column('text')
  status!: 'standard';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  toView(): PlaceNameView {
    return {
      id: this.id,
      name: this.name,
      category: this.category,
      divisionCode: this.divisionCode,
      pinyin: this.pinyin,
      locationDescription: this.locationDescription,
      origin: this.origin,
      status: this.status,
      createdAt: this.createdAt.toISOString(),
    };
  }
}
