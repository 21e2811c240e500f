import type {
	Actor,
	AssociationEvent,
	AssociationLabel,
	EventFilter,
	EventType,
	LabelRef,
	LabelUsage,
	Link,
	LinkEventType,
	Side,
} from '../types';
import type { GraphSqlRepository } from './repositories/graph.repository';

/** A link by its stored (canonical) record order. */
export interface LinkKey {
	labelId: string;
	firstRecordId: string;
	secondRecordId: string;
}

export interface StoredLink extends LinkKey {
	id: string;
	createdAt: string;
}

/** A stored link found by its position in the keys asked for. */
export interface FoundLink {
	index: number;
	id: string;
	createdAt: string;
}

/** One record under one label (its side is given alongside). */
export interface LabelRecord {
	labelId: string;
	recordId: string;
}

export interface NewEvent {
	type: EventType;
	labelId: string;
	labelKey: string;
	firstObjectKey: string;
	secondObjectKey: string;
	firstRecordId?: string | null;
	secondRecordId?: string | null;
	data?: Record<string, unknown> | null;
}

/** A read of one namespace's events by position: after/before bound it, order picks the end to start from. */
export interface EventQuery extends EventFilter {
	namespace: string;
	after?: number;
	before?: number;
	/** Highest position to return (the trigger's horizon). */
	upTo?: number;
	order: 'asc' | 'desc';
	limit: number;
}

export interface LabelFilter {
	objectKey?: string;
	otherObjectKey?: string;
	search?: string;
	/** Only labels no link uses. */
	unusedOnly?: boolean;
	limit?: number;
	offset?: number;
}

export interface RelatedScan {
	/** Labels on which the record sits on the first side: related records are their second records. */
	asFirst: string[];
	/** Labels on which the record sits on the second side. */
	asSecond: string[];
	recordId: string;
	afterId?: string;
	limit: number;
}

export interface RelatedRow {
	id: string;
	labelId: string;
	recordId: string;
	side: Side;
	createdAt: string;
}

export type LockMode = 'none' | 'update';

export type LabelPatch = Partial<
	Pick<AssociationLabel, 'firstLabel' | 'secondLabel' | 'firstLimit' | 'secondLimit'>
>;

/** The association_labels table. */
export interface LabelRepository {
	/** Serialises label creation for one unordered object pair. */
	lockObjectPair(namespace: string, pairKey: string): Promise<void>;
	find(namespace: string, refs: LabelRef[], lock?: LockMode): Promise<AssociationLabel[]>;
	list(namespace: string, filter: LabelFilter): Promise<AssociationLabel[]>;
	countForPair(namespace: string, pairKey: string): Promise<number>;
	insert(label: AssociationLabel, pairKey: string): Promise<void>;
	update(id: string, patch: LabelPatch, updatedAt: string): Promise<void>;
	delete(id: string): Promise<void>;
	knownObjectKeys(namespace: string): Promise<string[]>;
}

/** The association_links table. */
export interface LinkRepository {
	countOfLabel(labelId: string): Promise<number>;
	/** Up to `max` links of a label, oldest first (to name what blocks its deletion). */
	sampleOfLabel(labelId: string, max: number): Promise<StoredLink[]>;
	/**
	 * For each (label, record) on `side`, up to `max` record ids linked to it (the other side), oldest link
	 * first, keyed by recordKeyString: one query for the whole set.
	 */
	linkedRecords(side: Side, records: LabelRecord[], max: number): Promise<Map<string, string[]>>;
	/** Records with more than `limit` links through the label from one side (both sides for symmetric labels). */
	recordsOverLimit(
		label: AssociationLabel,
		side: Side,
		limit: number,
		max: number,
	): Promise<{ recordId: string; count: number }[]>;
	/** Per label: its link count, newest link time, and the busiest record of each side. */
	usageOf(labels: AssociationLabel[]): Promise<Map<string, LabelUsage>>;
	find(keys: LinkKey[]): Promise<StoredLink[]>;
	/** The stored links among `keys`, each by its position in `keys` (no key columns read back). */
	findByIndex(keys: LinkKey[]): Promise<FoundLink[]>;
	/** Committed links of each (label, record) on one side, by its position in `records` (ask each once). */
	countBySide(side: Side, records: LabelRecord[]): Promise<number[]>;
	/** Each record's links on one side of a label, read whole if it holds fewer than `fewerThan` links. */
	sideCountsIfSmall(
		labelId: string,
		side: Side,
		fewerThan: number,
	): Promise<Map<string, number> | null>;
	insert(namespace: string, keys: LinkKey[], createdAt: string): Promise<StoredLink[]>;
	delete(keys: LinkKey[]): Promise<StoredLink[]>;
	/** Deletes every link in which a given record sits on `side` under the given label. */
	deleteOfRecords(side: Side, records: LabelRecord[]): Promise<StoredLink[]>;
	scanRelated(scan: RelatedScan): Promise<RelatedRow[]>;
	countRelated(scan: Omit<RelatedScan, 'afterId' | 'limit'>): Promise<number>;
	/** scanRelated for many records in one statement (or a few): each scan's rows, in scan order. */
	scanRelatedMany(scans: RelatedScan[]): Promise<RelatedRow[][]>;
	/** countRelated for many records in one statement (or a few). */
	countRelatedMany(scans: Array<Omit<RelatedScan, 'afterId' | 'limit'>>): Promise<number[]>;
}

/** The association_events table (and its per-namespace position counter). */
export interface EventRepository {
	/** Queues events; flush() writes them. */
	append(
		namespace: string,
		actor: Actor | null,
		events: NewEvent[],
		createdAt: string,
	): Promise<void>;
	/** Queues a link event per link, built as they are written (a batch's links are held anyway). */
	appendLinks(
		namespace: string,
		actor: Actor | null,
		type: LinkEventType,
		links: Link[],
		createdAt: string,
	): Promise<void>;
	/**
	 * Writes the queued events with their positions; the store calls it as the transaction's last step, so
	 * the namespace's counter row stays locked only from here to the commit.
	 */
	flush(): Promise<void>;
	/** The namespace's last committed position (0 when it never had an event). */
	horizon(namespace: string): Promise<number>;
	/** The lowest position still stored, or null. */
	oldestPosition(namespace: string): Promise<number | null>;
	find(query: EventQuery): Promise<AssociationEvent[]>;
	/** Deletes up to `limit` of the namespace's events created before `before`, oldest first; returns how many. */
	prune(namespace: string, before: string, limit: number): Promise<number>;
	list(
		namespace: string,
		afterId: number,
		limit: number,
		labelKey?: string,
	): Promise<AssociationEvent[]>;
}

/**
 * Everything the services ask of the database, inside one transaction, one repository per table.
 * Only the implementations (repositories/) know SQL dialects.
 */
export interface AssociationRepository {
	labels: LabelRepository;
	links: LinkRepository;
	events: EventRepository;
	/** Set-based reads and moves across many links (traversal, merge): repositories/graph.repository.ts. */
	graph: GraphSqlRepository;
}

export const recordKeyString = (labelId: string, recordId: string): string =>
	`${labelId}\u0000${recordId}`;
export const linkKeyString = (key: LinkKey): string =>
	`${key.labelId}\u0000${key.firstRecordId}\u0000${key.secondRecordId}`;
