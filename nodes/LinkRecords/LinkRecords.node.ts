import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { methods } from '../shared/methods';
import { inputModeProperty } from './actions/link/input-mode';
import { operations, router } from './actions/router';

export class LinkRecords implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Link Records',
		name: 'linkRecords',
		icon: { light: 'file:linkRecords.svg', dark: 'file:linkRecords.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ ({ link: "Link records", unlink: "Unlink records", unlinkAll: "Unlink all links of a record", merge: "Merge a duplicate record" })[$parameter["operation"]] }}',
		description:
			'Link two records under association labels, unlink them, remove all links of a record, or merge a duplicate record',
		defaults: { name: 'Link Records' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'associationStoreApi', required: true, testedBy: 'associationStoreConnectionTest' },
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'link',
				options: [
					{
						name: 'Link',
						value: 'link',
						description:
							'Link two records under one or more labels (linking again is not an error)',
						action: 'Link records',
					},
					{
						name: 'Merge',
						value: 'merge',
						description:
							'Move every link of a duplicate record to the record kept (links it already has are dropped)',
						action: 'Merge a duplicate record',
					},
					{
						name: 'Unlink',
						value: 'unlink',
						description: 'Remove the link between two records under one or more labels',
						action: 'Unlink records',
					},
					{
						name: 'Unlink All',
						value: 'unlinkAll',
						description: 'Remove every link of one record, optionally only under one label',
						action: 'Unlink all links of a record',
					},
				],
			},
			inputModeProperty,
			...operations.link.description,
			...operations.unlink.description,
			...operations.unlinkAll.description,
			...operations.merge.description,
		],
	};

	methods = methods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
