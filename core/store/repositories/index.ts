import type { SqlExecutor } from '../executor';
import type { AssociationRepository } from '../repository';
import { EventSqlRepository } from './event.repository';
import { GraphSqlRepository } from './graph.repository';
import { LabelSqlRepository } from './label.repository';
import { LinkSqlRepository } from './link.repository';

export { EventSqlRepository, LabelSqlRepository, LinkSqlRepository };

/** The repositories of one transaction, one per table. */
export const sqlRepositories = (sql: SqlExecutor): AssociationRepository => ({
	labels: new LabelSqlRepository(sql),
	links: new LinkSqlRepository(sql),
	events: new EventSqlRepository(sql),
	graph: new GraphSqlRepository(sql),
});
