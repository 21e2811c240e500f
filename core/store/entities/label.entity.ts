import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'association_labels' })
@Index('uq_association_labels_namespace_key', ['namespace', 'key'], { unique: true })
@Index('ix_association_labels_namespace_pair', ['namespace', 'pairKey'])
export class LabelEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  namespace!: string;

  @Column({ type: 'varchar', length: 100 })
  key!: string;

  @Column({ name: 'first_object_key', type: 'varchar', length: 100 })
  firstObjectKey!: string;

  @Column({ name: 'second_object_key', type: 'varchar', length: 100 })
  secondObjectKey!: string;

  /** The unordered object pair ("a|b", sorted), for the labels-per-pair limit. */
  @Column({ name: 'pair_key', type: 'varchar', length: 201 })
  pairKey!: string;

  @Column({ name: 'first_label', type: 'varchar', length: 100 })
  firstLabel!: string;

  @Column({ name: 'second_label', type: 'varchar', length: 100 })
  secondLabel!: string;

  @Column({ name: 'first_limit', type: 'integer' })
  firstLimit!: number;

  @Column({ name: 'second_limit', type: 'integer' })
  secondLimit!: number;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt!: string;
}
