import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_EVENT_BATCH, MAX_EVENT_BATCH } from '../../core';
import { objectKeyLocator, optionsCollection } from '../shared/descriptions';
import { eventTypesField, onlyLabelsField } from '../shared/event-parameters';

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Each change is delivered once, in the order it was committed. On activation the trigger starts from now; changes made while n8n was stopped arrive at the next poll.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	eventTypesField(['link.created'], 'The changes that start the workflow'),
	onlyLabelsField,
	optionsCollection([
		objectKeyLocator({
			name: 'objectKey',
			displayName: 'Only Object',
			description: 'Only changes of labels and links that involve this object, e.g. contact',
			required: false,
		}),
		{
			displayName: 'Max Events per Poll',
			name: 'batchSize',
			type: 'number',
			default: DEFAULT_EVENT_BATCH,
			typeOptions: { minValue: 1, maxValue: MAX_EVENT_BATCH },
			description:
				'At most this many events start one execution (one item each); the rest follow at the next poll',
		},
	]),
];
