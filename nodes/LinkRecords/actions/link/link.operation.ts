import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Associations } from '../../../../core';
import { linkJson } from '../../../shared/output';
import { runBatch } from '../../../shared/batch';
import { collectPairs, pairParameters, toOutput } from './common';

export const description: INodeProperties[] = pairParameters('link');

/** All items in one linkMany call: one transaction; each output item says created or already_linked. */
export async function execute(
	this: IExecuteFunctions,
	associations: Associations,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const collected = collectPairs(this, items);
	const results = await runBatch(
		this,
		collected.entries,
		async (inputs, options) => await associations.links.linkMany(inputs, options),
	);
	return toOutput(this.getNode(), items, collected, results, (result) => ({
		status: result.status,
		created: result.status === 'created',
		...linkJson(result.link),
	}));
}
