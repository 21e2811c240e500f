import type { z } from 'zod';
import type { AssociationErrorCode } from './errors';
import type { LabelPreview } from './label-preview';
import type * as schemas from './schemas';

/** A label, named by its immutable key or by its id. */
export type LabelRef = { key: string } | { id: string };
export type Actor = z.input<typeof schemas.actor>;
export type CreateLabelInput = z.input<typeof schemas.createLabelInput>;
export type RenameLabelInput = z.input<typeof schemas.renameLabelInput>;
export type SetLimitsInput = z.input<typeof schemas.setLimitsInput>;
export type ListLabelsInput = z.input<typeof schemas.listLabelsInput>;
export type LinkInput = z.input<typeof schemas.linkInput>;
export type RecordRef = z.input<typeof schemas.recordRef>;
export type UnlinkRecordInput = z.input<typeof schemas.unlinkRecordInput>;
export type RelatedQueryInput = z.input<typeof schemas.relatedQueryInput>;
export type CountQueryInput = z.input<typeof schemas.countQueryInput>;
export type LabelsBetweenInput = z.input<typeof schemas.labelsBetweenInput>;
export type ListEventsInput = z.input<typeof schemas.listEventsInput>;

/** A label's two sides: the first object's records and the second object's. */
export type Side = 'first' | 'second';

/** single: one display name on both sides; pair: a name per side (Buyer / Seller). */
export type LabelKind = 'single' | 'pair';

export interface AssociationLabel {
	id: string;
	namespace: string;
	key: string;
	kind: LabelKind;
	firstObjectKey: string;
	secondObjectKey: string;
	firstLabel: string;
	secondLabel: string;
	firstLimit: number;
	secondLimit: number;
	/** Same-object single labels: A–B is B–A. */
	symmetric: boolean;
	createdAt: string;
	updatedAt: string;
}

/** The record of a label side with the most links, and how close it is to the side's limit. */
export interface BusiestRecord {
	recordId: string;
	links: number;
	limit: number;
	/** links / limit, 0 to 1. */
	shareOfLimit: number;
}

/** How a label is used: its links, the busiest record of each side, and when it was last linked. */
export interface LabelUsage {
	links: number;
	/** Per side; a symmetric label has one side (both are the same), reported as `first`. */
	busiest: { first: BusiestRecord | null; second: BusiestRecord | null };
	/** Creation time of its newest link, null when no link uses it. */
	lastLinkedAt: string | null;
}

export type LabelWithUsage = AssociationLabel & { usage: LabelUsage };

export interface Link {
	id: string;
	labelId: string;
	labelKey: string;
	firstObjectKey: string;
	firstRecordId: string;
	secondObjectKey: string;
	secondRecordId: string;
	createdAt: string;
}

export type LinkStatus = 'created' | 'already_linked';
export type UnlinkStatus = 'deleted' | 'not_linked';

/** One batch item's failure: an AssociationError as data. */
export interface ItemError {
	code: AssociationErrorCode;
	message: string;
	details?: Record<string, unknown>;
}

export type BatchItemResult<S extends string> =
	| { index: number; status: S; link: Link }
	| { index: number; status: 'error'; error: ItemError };

export type LinkResult = BatchItemResult<LinkStatus>;
export type UnlinkResult =
	| { index: number; status: 'deleted'; link: Link }
	| { index: number; status: 'not_linked'; link: Omit<Link, 'id' | 'createdAt'> }
	| { index: number; status: 'error'; error: ItemError };

export type CreateLabelResult =
	| {
			index: number;
			status: 'created' | 'unchanged';
			label: AssociationLabel;
			created: boolean;
			/** How the label reads from each side. */
			preview: LabelPreview;
	  }
	| { index: number; status: 'error'; error: ItemError };

export type UnlinkRecordResult =
	| { index: number; status: 'unlinked'; deleted: number; links: Link[] }
	| { index: number; status: 'error'; error: ItemError };

export interface BatchOptions {
	/** All or nothing: the first failing item throws its error (with details.index) and nothing is written. */
	atomic?: boolean;
}

export interface CreateLabelsOptions extends BatchOptions {
	/** Run every rule and report each item's result, then keep nothing (a preview of the batch). */
	dryRun?: boolean;
}

export interface BatchSummary {
	created?: number;
	alreadyLinked?: number;
	deleted?: number;
	notLinked?: number;
	failed: number;
}

export interface RelatedRecord {
	objectKey: string;
	recordId: string;
	/** The related record's role as seen from the queried record (its side's display name). */
	label: string;
	labelKey: string;
	labelId: string;
	/** Which side of the label the related record is on. */
	side: Side;
	linkId: string;
	linkedAt: string;
}

/** The answer to one query of a batch read: its value, or the error that query alone failed with. */
export type QueryOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface RelatedPage {
	items: RelatedRecord[];
	nextCursor: string | null;
}

export interface LabelBetween {
	labelId: string;
	labelKey: string;
	/** Display name of the first record's role, and of the second's. */
	firstRecordLabel: string;
	secondRecordLabel: string;
	linkId: string;
	linkedAt: string;
}

export type LabelEventType =
	| 'label.created'
	| 'label.renamed'
	| 'label.limits_changed'
	| 'label.deleted';
export type LinkEventType = 'link.created' | 'link.deleted' | 'link.moved';
export type EventType = LabelEventType | LinkEventType;

export interface AssociationEvent {
	id: number;
	/** The event's place in its namespace's history: 1, 2, 3… in commit order, never reused. */
	position: number;
	namespace: string;
	type: EventType;
	labelId: string;
	labelKey: string;
	/** The label's display names: as they are now, or (label deleted) as the event's own snapshot has them. */
	firstLabel: string | null;
	secondLabel: string | null;
	firstObjectKey: string | null;
	secondObjectKey: string | null;
	firstRecordId: string | null;
	secondRecordId: string | null;
	data: Record<string, unknown> | null;
	actor: Actor | null;
	createdAt: string;
}

/** Which events a history query or the trigger wants; every filter given must match. */
export interface EventFilter {
	types?: EventType[];
	labelKeys?: string[];
	/** Events of labels or links that involve this object on either side. */
	objectKey?: string;
	/** Events of one record: its links, on either side. */
	record?: { objectKey: string; recordId: string };
}

export interface EventPage {
	items: AssociationEvent[];
	nextCursor: string | null;
}

/** What the trigger reads since its cursor: events, the new cursor, and how many events retention removed unread. */
export interface EventsSince {
	events: AssociationEvent[];
	cursor: number;
	/** True when more matching events wait (the batch was full). */
	more: boolean;
	/** Events after the old cursor that were pruned before they could be read (0 normally). */
	pruned: number;
}

export type StoreConfig =
	| {
			type: 'sqlite';
			path: string;
			busyTimeoutMs?: number;
			/** Upper bound for opening the store (folders, file, tables); default 20 s. */
			openTimeoutMs?: number;
			/**
			 * Called with the file's real path (symlinks resolved) before any folder or file is created;
			 * throws to refuse the file. The host's file-access rules live here, not in the core.
			 */
			checkAccess?: (realPath: string) => Promise<void> | void;
	  }
	| {
			type: 'postgres';
			host: string;
			port?: number;
			database: string;
			user: string;
			password?: string;
			/**
			 * TLS. `true` is the old setting: TLS without verifying the server (= mode "require").
			 * disable: no TLS · allow: plain first, TLS if the server insists (not verified) ·
			 * require: TLS, not verified · verify-ca: TLS, chain checked against `ca` (or the system CAs) ·
			 * verify-full: verify-ca plus the host name. cert/key: PEM client certificate and key.
			 */
			ssl?:
				| boolean
				| {
						mode: 'disable' | 'allow' | 'require' | 'verify-ca' | 'verify-full';
						ca?: string;
						cert?: string;
						key?: string;
				  };
			schema?: string;
			poolSize?: number;
			/** Upper bound for opening the store (connect and prepare the tables); default 20 s. */
			openTimeoutMs?: number;
	  };
