import type { AssociationEvent, AssociationLabel, Link, EventType, Actor } from '../types';

export type LabelLookup = { key: string } | { id: string };
export type Side = 'first' | 'second';

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

export interface RecordCountKey {
	labelId: string;
	recordId: string;
}

export interface NewEvent {
	type: EventType;
	labelId: string;
	labelKey: string;
	firstRecordId?: string | null;
	secondRecordId?: string | null;
	data?: Record<string, unknown> | null;
}

export interface LabelFilter {
	objectKey?: string;
	otherObjectKey?: string;
	search?: string;
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

/**
 * Everything the services ask of the database, inside one transaction.
 * Only implementations of this interface know SQL dialects.
 */
export interface AssociationRepository {
	/** Serialises label creation for one unordered object pair. */
	lockObjectPair(namespace: string, pairKey: string): Promise<void>;
	findLabels(
		namespace: string,
		lookups: LabelLookup[],
		lock?: LockMode,
	): Promise<AssociationLabel[]>;
	listLabels(namespace: string, filter: LabelFilter): Promise<AssociationLabel[]>;
	countLabelsForPair(namespace: string, pairKey: string): Promise<number>;
	insertLabel(label: AssociationLabel, pairKey: string): Promise<void>;
	updateLabel(
		id: string,
		patch: Partial<
			Pick<AssociationLabel, 'firstLabel' | 'secondLabel' | 'firstLimit' | 'secondLimit'>
		>,
		updatedAt: string,
	): Promise<void>;
	deleteLabel(id: string): Promise<void>;
	knownObjectKeys(namespace: string): Promise<string[]>;

	countLinksOfLabel(labelId: string): Promise<number>;
	/** Records with more than `limit` links through the label from one side (both sides for symmetric labels). */
	recordsOverLimit(
		label: AssociationLabel,
		side: Side,
		limit: number,
		max: number,
	): Promise<{ recordId: string; count: number }[]>;
	findLinks(keys: LinkKey[]): Promise<StoredLink[]>;
	countLinksBySide(side: Side, keys: RecordCountKey[]): Promise<Map<string, number>>;
	insertLinks(namespace: string, keys: LinkKey[], createdAt: string): Promise<StoredLink[]>;
	deleteLinks(keys: LinkKey[]): Promise<StoredLink[]>;
	/** Deletes every link in which a given record sits on `side` under the given label. */
	deleteLinksOfRecords(side: Side, keys: RecordCountKey[]): Promise<StoredLink[]>;
	scanRelated(scan: RelatedScan): Promise<RelatedRow[]>;
	countRelated(scan: Omit<RelatedScan, 'afterId' | 'limit'>): Promise<number>;

	appendEvents(
		namespace: string,
		actor: Actor | null,
		events: NewEvent[],
		createdAt: string,
	): Promise<void>;
	listEvents(
		namespace: string,
		afterId: number,
		limit: number,
		labelKey?: string,
	): Promise<AssociationEvent[]>;
}

export const recordCountKey = (labelId: string, recordId: string): string =>
	`${labelId}\u0000${recordId}`;
export const linkKeyString = (key: LinkKey): string =>
	`${key.labelId}\u0000${key.firstRecordId}\u0000${key.secondRecordId}`;

export type { Link };
