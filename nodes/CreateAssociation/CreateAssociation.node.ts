import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { methods } from '../shared/methods';
import { operations, router } from './actions/router';

export class CreateAssociation implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Create Association',
		name: 'createAssociation',
		icon: { light: 'file:createAssociation.svg', dark: 'file:createAssociation.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ ({ create: "Create a label", rename: "Rename a label", setLimits: "Change limits of a label", get: "Get a label", getMany: "Get many labels", exportDefinitions: "Export label definitions", importDefinitions: "Import label definitions" })[$parameter["operation"]] }}',
		description:
			'Define association labels between objects: create, rename, change limits, get, list, export and import them',
		defaults: { name: 'Create Association' },
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
				default: 'create',
				options: [
					{
						name: 'Change Limits',
						value: 'setLimits',
						description: 'Change how many records one record may link to through a label',
						action: 'Change limits of a label',
					},
					{
						name: 'Create',
						value: 'create',
						description:
							'Create a label between two objects (an identical existing label is returned unchanged)',
						action: 'Create a label',
					},
					{
						name: 'Export Definitions',
						value: 'exportDefinitions',
						description:
							"Output this namespace's labels as one JSON item, to import in another n8n or keep in git",
						action: 'Export label definitions',
					},
					{
						name: 'Get',
						value: 'get',
						description: 'Get one label and how many links use it',
						action: 'Get a label',
					},
					{
						name: 'Get Many',
						value: 'getMany',
						description: 'List labels, optionally of one object',
						action: 'Get many labels',
					},
					{
						name: 'Import Definitions',
						value: 'importDefinitions',
						description:
							'Create, rename and change limits of labels from an exported document (with a dry run)',
						action: 'Import label definitions',
					},
					{
						name: 'Rename',
						value: 'rename',
						description: 'Change the display names of a label',
						action: 'Rename a label',
					},
				],
			},
			...operations.create.description,
			...operations.rename.description,
			...operations.setLimits.description,
			...operations.get.description,
			...operations.getMany.description,
			...operations.importDefinitions.description,
		],
	};

	methods = methods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
