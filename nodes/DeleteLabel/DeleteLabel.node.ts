import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { methods } from '../shared/methods';
import { operations, router } from './actions/router';

export class DeleteLabel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Delete Label',
		name: 'deleteLabel',
		icon: { light: 'file:deleteLabel.svg', dark: 'file:deleteLabel.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ ({ delete: "Delete a label" })[$parameter["operation"]] }}',
		description:
			'Delete an association label no link uses any more (irreversible, needs DELETE typed)',
		defaults: { name: 'Delete Label' },
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
				default: 'delete',
				options: [
					{
						name: 'Delete',
						value: 'delete',
						description: 'Delete a label that no link uses',
						action: 'Delete a label',
					},
				],
			},
			...operations.delete.description,
		],
	};

	methods = methods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
