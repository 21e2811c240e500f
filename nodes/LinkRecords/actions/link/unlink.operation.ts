import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Associations } from '../../../../core';
import { linkJson } from '../../../shared/output';
import { runBatch } from '../../../shared/batch';
import { collectPairs, pairParameters, toOutput } from './common';

export const description: INodeProperties[] = pairParameters('unlink');

/** All items in one unlinkMany call; a link that does not exist is reported as not_linked, not as an error. */
export async function execute(
	this: IExecuteFunctions,
	associations: Associations,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const collected = collectPairs(this, items);
	const results = await runBatch(
		this,
		collected.entries,
		async (inputs, options) => await associations.links.unlinkMany(inputs, options),
	);
	return toOutput(this.getNode(), items, collected, results, (result) => ({
		status: result.status,
		deleted: result.status === 'deleted',
		...linkJson(result.link),
	}));
}
