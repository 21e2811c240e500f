import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { methods } from '../shared/methods';
import { operations, router } from './actions/router';

export class GetRelatedObjects implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Get Related Objects',
		name: 'getRelatedObjects',
		icon: { light: 'file:getRelatedObjects.svg', dark: 'file:getRelatedObjects.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ ({ getRelated: "Get related records", labelsBetween: "Get labels between two records", count: "Count related records", traverse: "Traverse a path of labels", history: "Get history" })[$parameter["operation"]] }}',
		description:
			'Get the records linked to a record, count them, see which labels link two records, follow a path of labels, or read the history of changes',
		defaults: { name: 'Get Related Objects' },
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
				default: 'getRelated',
				options: [
					{
						name: 'Count Related',
						value: 'count',
						description: 'Count the records linked to a record',
						action: 'Count related records',
					},
					{
						name: 'Get History',
						value: 'history',
						description:
							'The changes (links made and removed, label changes) of a record, a label or the namespace',
						action: 'Get history',
					},
					{
						name: 'Get Labels Between',
						value: 'labelsBetween',
						description: 'Which labels link two given records',
						action: 'Get labels between two records',
					},
					{
						name: 'Get Related',
						value: 'getRelated',
						description: 'Get the records linked to a record, from both sides of every label',
						action: 'Get related records',
					},
					{
						name: 'Traverse',
						value: 'traverse',
						description:
							'Follow a path of labels up to 5 hops, e.g. contact → Owner → property → Listing → listing',
						action: 'Traverse a path of labels',
					},
				],
			},
			...operations.getRelated.description,
			...operations.labelsBetween.description,
			...operations.count.description,
			...operations.traverse.description,
			...operations.history.description,
		],
	};

	methods = methods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
