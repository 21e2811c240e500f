import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';

import {
	DEFAULT_EVENT_BATCH,
	type Associations,
	type EventFilter,
	type LabelRef,
} from '../../core';
import { toNodeError } from '../shared/errors';
import { readEventTypes, readOnlyLabels } from '../shared/event-parameters';
import { eventJson } from '../shared/output';
import { locatorValue } from '../shared/parameters';
import { pruneIfDue } from '../shared/retention';
import { associationsForPicker, CREDENTIAL_NAME } from '../shared/store';

/** How many of the latest matching events "Fetch test event" shows. */
export const TEST_EVENT_COUNT = 10;

/** What the trigger keeps in the workflow's static data. */
interface TriggerState extends IDataObject {
	/** Position of the last event this trigger is done with (emitted, or passed over by the filters). */
	position?: number;
	/** The store and namespace the position belongs to: another credential starts again from now. */
	scope?: string;
}

type Filter = Omit<EventFilter, 'labelKeys'> & { labels?: LabelRef[] };

function readFilter(context: IPollFunctions): Filter {
	let types;
	try {
		types = readEventTypes(context.getNodeParameter('events', []));
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, {
			description: 'Pick the changes that should start the workflow in "Events".',
		});
	}
	const labels = readOnlyLabels(context.getNodeParameter('onlyLabels', {}));
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const objectKey = locatorValue(options.objectKey);
	return {
		types,
		...(labels.length > 0 ? { labels } : {}),
		...(objectKey ? { objectKey } : {}),
	};
}

const scopeOf = (credential: IDataObject, associations: Associations): string =>
	JSON.stringify([
		credential.storeType ?? 'sqlite',
		credential.sqlitePath ?? '',
		credential.host ?? '',
		credential.port ?? '',
		credential.database ?? '',
		credential.schema ?? '',
		associations.namespace,
	]);

const items = (json: IDataObject[]): INodeExecutionData[][] => [json.map((j) => ({ json: j }))];

/**
 * One poll. The cursor (a position) lives in the node's static data and moves only over events that are
 * final: since() reads up to the namespace's committed counter, and positions are taken in commit order,
 * so no event can later appear at or below the cursor (no skip), and the next poll starts after it (no
 * repeat). n8n saves static data when the poll emits, and after the activation poll.
 */
export async function pollEvents(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const filter = readFilter(context);
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const limit = Number(options.batchSize ?? DEFAULT_EVENT_BATCH);
	try {
		const credential = await context.getCredentials(CREDENTIAL_NAME);
		const associations = await associationsForPicker(context);

		if (context.getMode() === 'manual') {
			const latest = await associations.history.history({
				...filter,
				order: 'newest',
				limit: TEST_EVENT_COUNT,
			});
			if (latest.items.length === 0) {
				throw new NodeOperationError(
					context.getNode(),
					`No association events match yet in namespace "${associations.namespace}".`,
					{
						description:
							'Link two records (Link Records node) or create a label, or widen "Events" and the filters, then fetch again.',
					},
				);
			}
			return items(latest.items.reverse().map(eventJson));
		}

		const state = context.getWorkflowStaticData('node') as TriggerState;
		const scope = scopeOf(credential, associations);
		let emitted: IDataObject[] = [];
		if (typeof state.position !== 'number' || state.scope !== scope) {
			// First activation (or another store): start from now, no flood of old history.
			state.position = await associations.history.horizon();
			state.scope = scope;
		} else {
			const read = await associations.history.since({ ...filter, after: state.position, limit });
			if (read.pruned > 0) {
				context.logger.warn(
					`Association Trigger "${context.getNode().name}": ${read.pruned} event(s) after position ${state.position} were deleted by the credential's event retention before this trigger read them.`,
				);
			}
			state.position = read.cursor;
			emitted = read.events.map(eventJson);
		}
		await pruneIfDue(associations, credential, context.logger);
		return emitted.length > 0 ? items(emitted) : null;
	} catch (error) {
		throw toNodeError(context.getNode(), error);
	}
}
