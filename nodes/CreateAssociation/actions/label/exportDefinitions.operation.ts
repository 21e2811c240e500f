import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { Associations } from '../../../../core';
import { eachItem } from '../../../shared/execute';

/** No parameters: the namespace is the credential's. */
export const description: INodeProperties[] = [];

/**
 * One item for the whole execution (not one per input item): the namespace's labels as one JSON document,
 * for Import Definitions in another n8n, or to keep in git.
 */
export async function execute(
	this: IExecuteFunctions,
	associations: Associations,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await eachItem(this, items.slice(0, 1), async () => [
		{
			json: (await associations.exportDefinitions()) as unknown as IDataObject,
			pairedItem: { item: 0 },
		},
	]);
}
