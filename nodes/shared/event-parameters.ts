import type { INodeProperties } from 'n8n-workflow';

import { EVENT_TYPES, type EventType, type LabelRef } from '../../core';
import { labelLocator } from './descriptions';
import { labelRefOf, locatorValue } from './parameters';

const EVENT_TYPE_OPTIONS: Array<{ name: string; value: EventType; description: string }> = [
	{ name: 'Link Created', value: 'link.created', description: 'Two records were linked' },
	{ name: 'Link Deleted', value: 'link.deleted', description: 'Two records were unlinked' },
	{
		name: 'Link Moved',
		value: 'link.moved',
		description: 'A link moved from a duplicate record to the record it was merged into',
	},
	{ name: 'Label Created', value: 'label.created', description: 'A label was created' },
	{
		name: 'Label Renamed',
		value: 'label.renamed',
		description: "A label's display names changed",
	},
	{
		name: 'Label Limits Changed',
		value: 'label.limits_changed',
		description: "A label's per-record limits changed",
	},
	{ name: 'Label Deleted', value: 'label.deleted', description: 'A label was deleted' },
];

/** The event types to react to / list. */
export function eventTypesField(defaults: EventType[], description: string): INodeProperties {
	return {
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: [...defaults],
		options: EVENT_TYPE_OPTIONS,
		description,
	};
}

/** "Only Labels": any number of label pickers. */
export const onlyLabelsField: INodeProperties = {
	displayName: 'Only Labels',
	name: 'onlyLabels',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add label',
	default: {},
	description: 'Only events of these labels. Leave empty for every label.',
	options: [
		{
			displayName: 'Labels',
			name: 'labels',
			values: [labelLocator({ name: 'label', displayName: 'Label', description: 'A label' })],
		},
	],
};

/** Event types chosen in an `events` parameter; an empty or unknown choice is refused with the fix. */
export function readEventTypes(raw: unknown): EventType[] {
	const chosen = (Array.isArray(raw) ? raw : []).filter((value): value is EventType =>
		(EVENT_TYPES as readonly string[]).includes(value as string),
	);
	if (chosen.length === 0)
		throw new Error(
			`Events is empty: choose at least one of ${EVENT_TYPE_OPTIONS.map((option) => option.name).join(', ')}.`,
		);
	return chosen;
}

/** Labels picked in an "Only Labels" collection; empty entries are skipped. */
export function readOnlyLabels(raw: unknown): LabelRef[] {
	const collection = (raw ?? {}) as { labels?: Array<{ label?: unknown }> };
	return (collection.labels ?? [])
		.map((entry) => locatorValue(entry.label))
		.filter((value) => value !== '')
		.map(labelRefOf);
}
