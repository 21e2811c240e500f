import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { LinkInput, LinkResult, UnlinkResult } from '../../../../core';
import { executeBatch } from '../../../shared/batch';
import { perExecutionParameters, type ParameterSource } from '../../../shared/execution-parameters';
import type { Operation } from '../../../shared/execute';
import {
	labelLocator,
	objectKeyLocator,
	recordIdField,
	optionsCollection,
} from '../../../shared/descriptions';
import { labelsById } from '../../../shared/label-names';
import { labelRefFields, linkResultJson } from '../../../shared/output';
import { locatorValue, readLabel, readLabelList, readRecordId } from '../../../shared/parameters';
import { AUTO, autoPair, manualOnly, readInputMode } from './input-mode';

/** The parameters Link and Unlink share: labels, the two record IDs, and optional object keys. */
export function pairParameters(operation: 'link' | 'unlink'): INodeProperties[] {
	const verb = operation;
	const shown = { show: { ...manualOnly.show, operation: [operation] } };
	return updateDisplayOptions(shown, [
		labelLocator({
			name: 'label',
			displayName: 'Label',
			description: `The label to ${verb} the two records under`,
		}),
		{
			displayName: 'Additional Labels',
			name: 'additionalLabels',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add label',
			default: {},
			description: `More labels to ${verb} the same two records under; each gives its own output item`,
			options: [
				{
					displayName: 'Labels',
					name: 'labels',
					values: [
						labelLocator({
							name: 'label',
							displayName: 'Label',
							description: `Another label to ${verb} the records under`,
						}),
					],
				},
			],
		},
		recordIdField({
			name: 'firstRecordId',
			displayName: 'First Record ID',
			placeholder: 'e.g. {{ $json.contactId }}',
			description:
				"ID of the record on the label's first side (usually an expression, evaluated per item)",
		}),
		recordIdField({
			name: 'secondRecordId',
			displayName: 'Second Record ID',
			placeholder: 'e.g. {{ $json.petId }}',
			description: "ID of the record on the label's second side",
		}),
		optionsCollection([
			objectKeyLocator({
				name: 'firstObjectKey',
				displayName: 'First Record Object',
				description:
					'The object of the first record. When given, it is checked against the label, and the two records are swapped if the label has them the other way round.',
				required: false,
			}),
			objectKeyLocator({
				name: 'secondObjectKey',
				displayName: 'Second Record Object',
				description: 'The object of the second record (checked like First Record Object)',
				required: false,
			}),
		]),
	]);
}

/** One item's link inputs: one per distinct label, all with the item's two records. */
export function readPairs(context: ParameterSource, itemIndex: number): LinkInput[] {
	const labels = [
		readLabel(context, 'label', itemIndex),
		...readLabelList(context, 'additionalLabels', itemIndex),
	];
	const firstRecordId = readRecordId(context, 'firstRecordId', itemIndex, 'First Record ID');
	const secondRecordId = readRecordId(context, 'secondRecordId', itemIndex, 'Second Record ID');
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const firstObjectKey = locatorValue(options.firstObjectKey);
	const secondObjectKey = locatorValue(options.secondObjectKey);
	const seen = new Set<string>();
	const inputs: LinkInput[] = [];
	for (const label of labels) {
		const id = JSON.stringify(label);
		if (seen.has(id)) continue;
		seen.add(id);
		inputs.push({
			label,
			firstRecordId,
			secondRecordId,
			...(firstObjectKey ? { firstObjectKey } : {}),
			...(secondObjectKey ? { secondObjectKey } : {}),
		});
	}
	return inputs;
}

/**
 * Link and Unlink: all items in one linkMany / unlinkMany call (one transaction). Each output item says
 * created or already_linked (Link), deleted or not_linked (Unlink; a missing link is not an error), and
 * which label an error item is about, as an item may link under several.
 */
export function pairOperation(operation: 'link' | 'unlink'): Operation {
	const done = operation === 'link' ? 'created' : 'deleted';
	return {
		description: pairParameters(operation),
		async execute(this: IExecuteFunctions, associations, items) {
			const call = async (inputs: LinkInput[], options: { atomic?: boolean }) =>
				operation === 'link'
					? await associations.links.linkMany(inputs, options)
					: await associations.links.unlinkMany(inputs, options);
			const parameters = perExecutionParameters(this);
			const node = this.getNode();
			const read =
				readInputMode(parameters) === AUTO
					? (itemIndex: number) => [autoPair(node, items, itemIndex)]
					: (itemIndex: number) => readPairs(parameters, itemIndex);
			const json = linkResultJson(done, await labelsById(this, associations));
			return await executeBatch<LinkInput, LinkResult | UnlinkResult>(this, items, {
				read,
				call,
				toJson: (result) => json(result.status, result.link),
				errorFields: (input) => labelRefFields(input.label),
			});
		},
	};
}
