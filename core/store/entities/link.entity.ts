import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { LabelEntity } from './label.entity';

@Entity({ name: 'association_links' })
@Index('uq_association_links_label_first_second', ['labelId', 'firstRecordId', 'secondRecordId'], { unique: true })
@Index('ix_association_links_label_second_first', ['labelId', 'secondRecordId', 'firstRecordId'])
export class LinkEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  namespace!: string;

  @Column({ name: 'label_id', type: 'varchar', length: 36 })
  labelId!: string;

  @ManyToOne(() => LabelEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'label_id' })
  label?: LabelEntity;

  @Column({ name: 'first_record_id', type: 'varchar', length: 255 })
  firstRecordId!: string;

  @Column({ name: 'second_record_id', type: 'varchar', length: 255 })
  secondRecordId!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;
}
