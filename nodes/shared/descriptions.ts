import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { MAX_LINKS_PER_RECORD } from '../../core';

interface LocatorOptions {
	name: string;
	displayName: string;
	description: string;
	required?: boolean;
	displayOptions?: IDisplayOptions;
	/** Object pickers: also offer a typed key no label uses yet (only where a label is being defined). */
	allowNew?: boolean;
	/** Label pickers: each label's link count in its name (Delete Label). */
	showLinkCount?: boolean;
}

interface PickerModes {
	searchListMethod: string;
	listPlaceholder: string;
	keyPlaceholder: string;
	keyHint: string;
}

/** A resource locator searched in the store ("From List") or typed ("By Key"); the value is a key. */
function storeLocator(options: LocatorOptions, modes: PickerModes): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required ?? true,
		description: options.description,
		displayOptions: options.displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: modes.listPlaceholder,
				typeOptions: { searchListMethod: modes.searchListMethod, searchable: true },
			},
			{
				displayName: 'By Key',
				name: 'key',
				type: 'string',
				placeholder: modes.keyPlaceholder,
				hint: modes.keyHint,
			},
		],
	};
}

/** A label picker; the value is the label's key (or its ID). */
export function labelLocator(options: LocatorOptions): INodeProperties {
	return storeLocator(options, {
		searchListMethod: options.showLinkCount ? 'searchLabelsWithLinkCount' : 'searchLabels',
		listPlaceholder: 'Select a label...',
		keyPlaceholder: 'e.g. property_owner',
		keyHint: "The label's internal key (or its ID)",
	});
}

/**
 * An object picker: the store's known objects plus contact, company and opportunity; with allowNew, any
 * key typed in too. "By Key" accepts any key either way.
 */
export function objectKeyLocator(options: LocatorOptions): INodeProperties {
	return storeLocator(options, {
		searchListMethod: options.allowNew ? 'searchObjectKeys' : 'searchKnownObjectKeys',
		listPlaceholder: 'Select an object...',
		keyPlaceholder: 'e.g. custom_objects.pets',
		keyHint: 'Lowercase key such as contact, company, opportunity or custom_objects.pets',
	});
}

/** The "Options" collection of optional parameters ("Add option"). */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options,
	};
}

/** The same parameters with the Options collection moved to the end, where n8n's own nodes keep it. */
export const withOptionsLast = (properties: INodeProperties[]): INodeProperties[] => [
	...properties.filter((property) => property.type !== 'collection'),
	...properties.filter((property) => property.type === 'collection'),
];

/** "Return All" and "Limit", as n8n's list operations offer them (shown with the operation they join). */
export function returnAllAndLimit(maxLimit: number): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1, maxValue: maxLimit },
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

/** A record ID, usually mapped from the input item by an expression. */
export function recordIdField(options: {
	name: string;
	displayName: string;
	description: string;
	placeholder: string;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'string',
		default: '',
		required: true,
		placeholder: options.placeholder,
		description: options.description,
	};
}

/** A label's per-record limit for one side (create and change limits share it). */
export function perRecordLimitField(side: 'first' | 'second'): INodeProperties {
	return {
		displayName: `${side === 'first' ? 'First' : 'Second'} Side Limit`,
		name: `${side}Limit`,
		type: 'number',
		default: MAX_LINKS_PER_RECORD,
		typeOptions: { minValue: 1, maxValue: MAX_LINKS_PER_RECORD },
		description: `How many records one ${side}-side record may be linked to through this label (1 to ${MAX_LINKS_PER_RECORD.toLocaleString('en-US')})`,
	};
}
