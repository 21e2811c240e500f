import {
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { LabelRef, LinkInput, UnlinkRecordInput } from '../../../../core';
import type { ParameterSource } from '../../../shared/execution-parameters';
import { labelRefOf } from '../../../shared/parameters';

export const MANUAL = 'defineBelow';
export const AUTO = 'autoMapInputData';

/** Item fields read by "Map Automatically From Input" (Link and Unlink). */
export const PAIR_FIELDS =
	'label (a label key or ID; or labelKey, or labelId), firstRecordId, secondRecordId, and optionally firstObjectKey and secondObjectKey';
/** Item fields read by "Map Automatically From Input" (Unlink All). */
export const RECORD_FIELDS =
	'objectKey, recordId, and optionally labelKey or labelId (only the links under that label)';

/**
 * How Link, Unlink and Unlink All get their values: from the parameters below (expressions evaluated per
 * item; the default, so saved workflows keep working), or straight from each input item's fields, the way
 * n8n's database nodes map input columns automatically, without evaluating an expression per item.
 */
export const inputModeProperty: INodeProperties = {
	displayName: 'Input Mode',
	name: 'inputMode',
	type: 'options',
	noDataExpression: true,
	default: MANUAL,
	displayOptions: { show: { operation: ['link', 'unlink', 'unlinkAll'] } },
	options: [
		{
			name: 'Map Automatically From Input',
			value: AUTO,
			description: `Read each item's fields. Link and Unlink: ${PAIR_FIELDS}. Unlink All: ${RECORD_FIELDS}. Fastest for many items.`,
		},
		{
			name: 'Map Each Field Below',
			value: MANUAL,
			description: 'Set the label and records below, usually with expressions',
		},
	],
};

/** Display options that show a parameter only in the manual mode. */
export const manualOnly = { show: { inputMode: [MANUAL] } };

/** The input mode of the execution (not an expression; the same for every item). */
export function readInputMode(parameters: ParameterSource): string {
	return parameters.getNodeParameter('inputMode', 0, MANUAL) as string;
}

function fieldError(
	node: INode,
	itemIndex: number,
	message: string,
	expected: string,
): NodeOperationError {
	return new NodeOperationError(node, `Item ${itemIndex}: ${message}`, {
		itemIndex,
		description: `Input Mode "Map Automatically From Input" reads these fields of each item: ${expected}.`,
	});
}

function jsonOf(items: INodeExecutionData[], itemIndex: number): IDataObject {
	const json = items[itemIndex]?.json;
	return json !== null && typeof json === 'object' ? json : {};
}

const present = (value: unknown) =>
	value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');

function recordIdField(
	node: INode,
	json: IDataObject,
	itemIndex: number,
	name: string,
	expected: string,
): string | number {
	const value = json[name];
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && value.trim() !== '') return value;
	if (!present(value)) {
		throw fieldError(node, itemIndex, `the field "${name}" is missing or empty.`, expected);
	}
	throw fieldError(
		node,
		itemIndex,
		`the field "${name}" must be text or a whole number, not ${Array.isArray(value) ? 'a list' : typeof value}.`,
		expected,
	);
}

function optionalText(
	node: INode,
	json: IDataObject,
	itemIndex: number,
	name: string,
	expected: string,
): string | undefined {
	const value = json[name];
	if (!present(value)) return undefined;
	if (typeof value !== 'string') {
		throw fieldError(
			node,
			itemIndex,
			`the field "${name}" must be text, not ${Array.isArray(value) ? 'a list' : typeof value}.`,
			expected,
		);
	}
	return value.trim();
}

function labelField(
	node: INode,
	json: IDataObject,
	itemIndex: number,
	names: Array<'label' | 'labelKey' | 'labelId'>,
	expected: string,
): LabelRef | undefined {
	for (const name of names) {
		const value = optionalText(node, json, itemIndex, name, expected);
		if (value === undefined) continue;
		if (name === 'labelKey') return { key: value };
		if (name === 'labelId') return { id: value };
		return labelRefOf(value);
	}
	return undefined;
}

/** Link / Unlink in the automatic mode: the item's one link input, checked field by field. */
export function autoPair(node: INode, items: INodeExecutionData[], itemIndex: number): LinkInput {
	const json = jsonOf(items, itemIndex);
	const label = labelField(node, json, itemIndex, ['label', 'labelKey', 'labelId'], PAIR_FIELDS);
	if (!label) {
		throw fieldError(
			node,
			itemIndex,
			'the field "label" (or "labelKey", or "labelId") is missing or empty.',
			PAIR_FIELDS,
		);
	}
	const firstRecordId = recordIdField(node, json, itemIndex, 'firstRecordId', PAIR_FIELDS);
	const secondRecordId = recordIdField(node, json, itemIndex, 'secondRecordId', PAIR_FIELDS);
	const firstObjectKey = optionalText(node, json, itemIndex, 'firstObjectKey', PAIR_FIELDS);
	const secondObjectKey = optionalText(node, json, itemIndex, 'secondObjectKey', PAIR_FIELDS);
	return {
		label,
		firstRecordId,
		secondRecordId,
		...(firstObjectKey ? { firstObjectKey } : {}),
		...(secondObjectKey ? { secondObjectKey } : {}),
	};
}

/**
 * Unlink All in the automatic mode. The optional label comes from labelKey or labelId only: a Get Related
 * Objects output item's "label" is the label's display name, not its key.
 */
export function autoRecord(
	node: INode,
	items: INodeExecutionData[],
	itemIndex: number,
): UnlinkRecordInput {
	const json = jsonOf(items, itemIndex);
	const objectKey = optionalText(node, json, itemIndex, 'objectKey', RECORD_FIELDS);
	if (!objectKey) {
		throw fieldError(node, itemIndex, 'the field "objectKey" is missing or empty.', RECORD_FIELDS);
	}
	const recordId = recordIdField(node, json, itemIndex, 'recordId', RECORD_FIELDS);
	const label = labelField(node, json, itemIndex, ['labelKey', 'labelId'], RECORD_FIELDS);
	return { objectKey, recordId, ...(label ? { labels: [label] } : {}) };
}
