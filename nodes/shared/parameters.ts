import { NodeOperationError } from 'n8n-workflow';

import { LABEL_ID_PATTERN, type LabelRef } from '../../core';
import type { ParameterSource } from './execution-parameters';

/** The plain value of a resource locator (or of a plain value an expression produced). */
export function locatorValue(raw: unknown): string {
	if (raw !== null && typeof raw === 'object' && 'value' in raw)
		return locatorValue((raw as { value: unknown }).value);
	if (typeof raw === 'string') return raw.trim();
	if (typeof raw === 'number') return String(raw);
	return '';
}

/** A label is picked by key; an ID (say, from an earlier node's output) works too. */
export function labelRefOf(value: string): LabelRef {
	return LABEL_ID_PATTERN.test(value) ? { id: value } : { key: value };
}

function missing(
	context: ParameterSource,
	displayName: string,
	itemIndex: number,
	hint: string,
): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`${displayName} is empty for item ${itemIndex}.`,
		{
			itemIndex,
			description: hint,
		},
	);
}

/** A resource locator's value; empty is an error unless optional. */
export function readLocator(
	context: ParameterSource,
	name: string,
	itemIndex: number,
	displayName: string,
	optional = false,
): string {
	const value = locatorValue(context.getNodeParameter(name, itemIndex, ''));
	if (!value && !optional) {
		throw missing(
			context,
			displayName,
			itemIndex,
			`Pick a value from the list or type one in "${displayName}".`,
		);
	}
	return value;
}

export function readLabel(
	context: ParameterSource,
	name: string,
	itemIndex: number,
	displayName = 'Label',
): LabelRef {
	return labelRefOf(readLocator(context, name, itemIndex, displayName));
}

/** Labels picked in a multi-value "Labels" collection (each entry a label picker); empty entries are skipped. */
export function readLabelList(
	context: ParameterSource,
	name: string,
	itemIndex: number,
): LabelRef[] {
	const collection = context.getNodeParameter(name, itemIndex, {}) as {
		labels?: Array<{ label?: unknown }>;
	};
	return (collection.labels ?? [])
		.map((entry) => locatorValue(entry.label))
		.filter((value) => value !== '')
		.map(labelRefOf);
}

/** A record ID from a parameter (usually an expression): text or an integer, kept as given for the core to check. */
export function readRecordId(
	context: ParameterSource,
	name: string,
	itemIndex: number,
	displayName: string,
): string | number {
	const value = context.getNodeParameter(name, itemIndex, '') as unknown;
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && value.trim() !== '') return value;
	if (typeof value === 'string' || value === undefined || value === null) {
		throw missing(
			context,
			displayName,
			itemIndex,
			`Map "${displayName}" to the record's ID, e.g. {{ $json.id }}, and check that this item has that field.`,
		);
	}
	throw new NodeOperationError(
		context.getNode(),
		`${displayName} for item ${itemIndex} must be text or a whole number, not ${Array.isArray(value) ? 'a list' : typeof value}.`,
		{ itemIndex, description: `Map "${displayName}" to a single ID, e.g. {{ $json.id }}.` },
	);
}
