import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { methods } from '../shared/methods';
import { triggerProperties } from './description';
import { pollEvents } from './poll';

export class AssociationTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Association Trigger',
		name: 'associationTrigger',
		icon: { light: 'file:associationTrigger.svg', dark: 'file:associationTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow when records are linked or unlinked, or a label is created, renamed, changed or deleted',
		eventTriggerDescription: 'Waiting for association changes',
		defaults: { name: 'Association Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'associationStoreApi', required: true, testedBy: 'associationStoreConnectionTest' },
		],
		properties: triggerProperties,
	};

	methods = methods;

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollEvents(this);
	}
}
