import { CreateAssociationTables1764316800000 } from './1764316800000-CreateAssociationTables';
import { AddEventPositions1764892800000 } from './1764892800000-AddEventPositions';

/** In order; each is a TypeORM migration class, run on first connect. */
export const migrations = [CreateAssociationTables1764316800000, AddEventPositions1764892800000];
