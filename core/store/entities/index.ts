import { EventEntity } from './event.entity';
import { LabelEntity } from './label.entity';
import { LinkEntity } from './link.entity';

export { EventEntity, LabelEntity, LinkEntity };

/**
 * Entity schemas rather than decorated classes: decorators register into TypeORM's process-wide metadata
 * storage, which inside n8n belongs to n8n's own TypeORM fork (without the API ours needs). Schemas keep
 * our metadata to our DataSource.
 */
export const entities = [LabelEntity, LinkEntity, EventEntity];
