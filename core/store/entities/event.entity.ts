import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only history of every mutation; label rows may be gone, so no foreign key. */
@Entity({ name: 'association_events' })
@Index('ix_association_events_namespace_id', ['namespace', 'id'])
export class EventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  namespace!: string;

  @Column({ type: 'varchar', length: 40 })
  type!: string;

  @Column({ name: 'label_id', type: 'varchar', length: 36 })
  labelId!: string;

  @Column({ name: 'label_key', type: 'varchar', length: 100 })
  labelKey!: string;

  @Column({ name: 'first_record_id', type: 'varchar', length: 255, nullable: true })
  firstRecordId!: string | null;

  @Column({ name: 'second_record_id', type: 'varchar', length: 255, nullable: true })
  secondRecordId!: string | null;

  @Column({ type: 'text', nullable: true })
  data!: string | null;

  @Column({ type: 'text', nullable: true })
  actor!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;
}
