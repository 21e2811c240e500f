import { EventEntity } from './event.entity';
import { LabelEntity } from './label.entity';
import { LinkEntity } from './link.entity';

export { EventEntity, LabelEntity, LinkEntity };
export const entities = [LabelEntity, LinkEntity, EventEntity];
