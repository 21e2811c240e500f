import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { eachItemOperation } from '../../../shared/execute';

const properties: INodeProperties[] = [
	{
		displayName: 'Definitions',
		name: 'definitions',
		type: 'json',
		default: '={{ $json }}',
		required: true,
		description:
			'The document Export Definitions outputs (format, version, labels), e.g. the input item itself or a file read from git',
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to only list what would change (every rule is checked) without changing anything',
	},
];

export const description = updateDisplayOptions(
	{ show: { operation: ['importDefinitions'] } },
	properties,
);

function readDefinitions(context: IExecuteFunctions, itemIndex: number): unknown {
	const value = context.getNodeParameter('definitions', itemIndex) as unknown;
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as unknown;
	} catch (error) {
		throw new NodeOperationError(
			context.getNode(),
			`Definitions for item ${itemIndex} are not valid JSON: ${(error as Error).message}`,
			{
				itemIndex,
				description: 'Map the output of Export Definitions, e.g. {{ $json }}, or paste its JSON.',
			},
		);
	}
}

/** One output item per label of the document: created, updated (with its changes) or unchanged. */
export const execute = eachItemOperation(async function (associations, itemIndex) {
	const dryRun = this.getNodeParameter('dryRun', itemIndex, false) as boolean;
	const results = await associations.importDefinitions(readDefinitions(this, itemIndex), {
		dryRun,
	});
	return results.map((result) => ({
		key: result.key,
		action: result.action,
		changes: result.changes.map((change) => ({ ...change })),
		dryRun,
	}));
});
