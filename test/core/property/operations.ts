/** One generated call: which public operation, with which generated arguments. */
import * as fc from 'fast-check';

import {
	batch,
	batchOptions,
	countQuery,
	createInput,
	displayName,
	labelKey,
	labelRef,
	limit,
	linkInput,
	objectKey,
	recordRef,
	relatedQuery,
	shape,
	unlinkRecordInput,
} from './inputs';
import { mix } from './hostile-values';

export type Operation =
	| { op: 'create'; input: unknown }
	| { op: 'createMany'; inputs: unknown; options: unknown }
	| { op: 'rename'; ref: unknown; input: unknown }
	| { op: 'setLimits'; ref: unknown; input: unknown }
	| { op: 'delete'; ref: unknown; confirmation: unknown }
	| { op: 'get' | 'usage'; ref: unknown }
	| { op: 'list'; filter: unknown }
	| { op: 'objectKeys' }
	| { op: 'link' | 'unlink'; input: unknown }
	| { op: 'linkMany' | 'unlinkMany'; inputs: unknown; options: unknown }
	| { op: 'unlinkRecord'; input: unknown }
	| { op: 'unlinkRecords'; inputs: unknown; options: unknown }
	| { op: 'relatedList' | 'relatedCount'; query: unknown }
	| { op: 'labelsBetween'; input: unknown }
	| { op: 'events'; query: unknown }
	| { op: 'open'; config: unknown; namespace: unknown; actor: unknown };

const op = <T extends Operation['op'], R extends Record<string, fc.Arbitrary<unknown>>>(
	name: T,
	fields: R,
) => fc.record(fields).map((value) => ({ op: name, ...value }) as unknown as Operation);

export const operation: fc.Arbitrary<Operation> = fc.oneof(
	{ weight: 3, arbitrary: op('create', { input: createInput }) },
	{ weight: 2, arbitrary: op('createMany', { inputs: batch(createInput), options: batchOptions }) },
	{
		weight: 2,
		arbitrary: op('rename', {
			ref: labelRef,
			input: fc.oneof(
				{ weight: 4, arbitrary: shape({ firstLabel: displayName, secondLabel: displayName }) },
				{
					weight: 1,
					arbitrary: shape({
						firstLabel: displayName,
						secondLabel: displayName,
						key: labelKey,
						firstObjectKey: objectKey,
						secondObjectKey: objectKey,
					}),
				},
			),
		}),
	},
	{
		weight: 2,
		arbitrary: op('setLimits', {
			ref: labelRef,
			input: shape({ firstLimit: limit, secondLimit: limit }),
		}),
	},
	{
		weight: 1,
		arbitrary: op('delete', { ref: labelRef, confirmation: mix(fc.constant('DELETE'), 2) }),
	},
	{ weight: 1, arbitrary: op('get', { ref: labelRef }) },
	{ weight: 1, arbitrary: op('usage', { ref: labelRef }) },
	{
		weight: 1,
		arbitrary: op('list', {
			filter: shape({
				objectKey,
				otherObjectKey: objectKey,
				search: mix(fc.string({ unit: 'grapheme', maxLength: 4 })),
				limit: mix(fc.integer({ min: 0, max: 1001 })),
				offset: mix(fc.integer({ min: -1, max: 20 })),
			}),
		}),
	},
	{ weight: 1, arbitrary: op('objectKeys', {}) },
	{ weight: 4, arbitrary: op('link', { input: linkInput }) },
	{ weight: 4, arbitrary: op('linkMany', { inputs: batch(linkInput), options: batchOptions }) },
	{ weight: 2, arbitrary: op('unlink', { input: linkInput }) },
	{ weight: 2, arbitrary: op('unlinkMany', { inputs: batch(linkInput), options: batchOptions }) },
	{ weight: 1, arbitrary: op('unlinkRecord', { input: unlinkRecordInput }) },
	{
		weight: 1,
		arbitrary: op('unlinkRecords', { inputs: batch(unlinkRecordInput), options: batchOptions }),
	},
	{ weight: 2, arbitrary: op('relatedList', { query: relatedQuery }) },
	{ weight: 1, arbitrary: op('relatedCount', { query: countQuery }) },
	{
		weight: 1,
		arbitrary: op('labelsBetween', {
			input: shape({ first: recordRef, second: recordRef }, ['first', 'second']),
		}),
	},
	{
		weight: 1,
		arbitrary: op('events', {
			query: shape({
				afterId: mix(fc.oneof(fc.nat(50), fc.constantFrom(2 ** 53, 2 ** 63, 1.5))),
				limit: mix(fc.integer({ min: 0, max: 1001 })),
				labelKey,
			}),
		}),
	},
	{
		weight: 1,
		arbitrary: op('open', {
			config: fc.oneof(
				{ weight: 6, arbitrary: fc.constant('valid') },
				{
					weight: 1,
					arbitrary: fc.constantFrom(
						null,
						5,
						'sqlite',
						{},
						{ type: 'mysql' },
						{ type: 'sqlite' },
						{ type: 'sqlite', path: '' },
						{ type: 'sqlite', path: 'a\u0000b' },
						{ type: 'postgres', host: 'h\u0000' },
					),
				},
			),
			namespace: mix(
				fc.oneof(
					fc.constantFrom('acme', 'other', ' acme ', 'tenant:1'),
					fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,10}$/),
				),
			),
			actor: fc.oneof(
				fc.constant(undefined),
				shape({
					workflowId: mix(fc.string({ maxLength: 5 })),
					executionId: mix(fc.string({ maxLength: 5 })),
					nodeName: mix(fc.string({ unit: 'grapheme', maxLength: 8 })),
					userId: mix(fc.string({ maxLength: 5 })),
				}),
			),
		}),
	},
);

/** How many generated inputs an operation carries (batch items count one each). */
export function inputsIn(operation: Operation): number {
	return 'inputs' in operation && Array.isArray(operation.inputs)
		? Math.max(1, operation.inputs.length)
		: 1;
}
