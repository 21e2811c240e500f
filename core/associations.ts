import { EventLog } from './event-log';
import {
	exportDefinitions,
	importDefinitions,
	type ImportedLabel,
	type LabelDefinitions,
} from './definitions';
import { Labels } from './labels';
import { Links } from './links';
import { mergeRecords, type MergeRecordsInput, type MergeResult } from './merge';
import { Related } from './related';
import * as schemas from './schemas';
import { openStore } from './store/connections';
import { traverse, type TraversalPage, type TraverseInput } from './traverse';
import type { Store } from './store/store';
import type { Actor, AssociationEvent, BatchOptions, ListEventsInput, StoreConfig } from './types';

/** The association core for one namespace (tenant): nothing it does reads or writes another namespace. */
export class Associations {
	readonly labels: Labels;
	readonly links: Links;
	readonly related: Related;
	/** The namespace's event history (paged) and the trigger's reads since a cursor. */
	readonly history: EventLog;

	constructor(
		private readonly store: Store,
		readonly namespace: string,
		private readonly actor: Actor | null = null,
	) {
		this.labels = new Labels(store, namespace, actor);
		this.links = new Links(store, namespace, actor);
		this.related = new Related(store, namespace);
		this.history = new EventLog(store, namespace);
	}

	/** Merges duplicate records into survivors, links and all, in one transaction: core/merge.ts. */
	mergeRecords(inputs: MergeRecordsInput[], options: BatchOptions = {}): Promise<MergeResult[]> {
		return mergeRecords(this.store, this.namespace, this.actor, inputs, options);
	}

	/** This namespace's labels as one JSON document, to import elsewhere: core/definitions.ts. */
	exportDefinitions(): Promise<LabelDefinitions> {
		return exportDefinitions(this.store, this.namespace);
	}

	/** Upserts labels by key from an exported document, in one transaction (or a dry run). */
	importDefinitions(
		definitions: unknown,
		options: { dryRun?: boolean } = {},
	): Promise<ImportedLabel[]> {
		return importDefinitions(this.store, this.namespace, this.actor, definitions, options);
	}

	/** Follows a path of labels from one or many records, up to 5 hops: core/traverse.ts. */
	traverse(input: TraverseInput): Promise<TraversalPage> {
		return traverse(this.store, this.namespace, input);
	}

	/** The history of every mutation in this namespace, oldest first; page with afterId. */
	async events(query: ListEventsInput = {}): Promise<AssociationEvent[]> {
		const parsed = schemas.parse(schemas.listEventsInput, query, 'events query');
		return this.store.read((repo) =>
			repo.events.list(this.namespace, parsed.afterId ?? 0, parsed.limit, parsed.labelKey),
		);
	}
}

/**
 * Opens (or reuses) the store for a configuration and scopes it to a namespace.
 * The actor (workflow id, execution id, node name) is written into every event this instance causes.
 */
export async function openAssociations(
	config: StoreConfig,
	namespace: string,
	actor?: Actor,
): Promise<Associations> {
	schemas.parse(schemas.storeConfig, config, 'store configuration');
	const scope = schemas.parse(schemas.namespace, namespace, 'namespace');
	const who =
		actor === undefined || actor === null ? null : schemas.parse(schemas.actor, actor, 'actor');
	const store = await openStore(config);
	return new Associations(store, scope, who);
}
