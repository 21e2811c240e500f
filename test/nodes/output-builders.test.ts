/**
 * The batch builders of output items (linkResultJson, relatedJsonOf) give exactly what the per-item ones give
 * (linkJson, relatedJson): the same fields, values and field order, for every kind of label and link.
 */
import type { AssociationLabel, RelatedRecord } from '../../core';
import { linkJson, linkResultJson, relatedJson, relatedJsonOf } from '../../nodes/shared/output';

const label = (id: string, fields: Partial<AssociationLabel>): AssociationLabel => ({
	id,
	namespace: 'default',
	key: `key_${id}`,
	kind: 'pair',
	firstObjectKey: 'contact',
	secondObjectKey: 'custom_objects.property',
	firstLabel: 'Buyer',
	secondLabel: 'Seller',
	firstLimit: 1000,
	secondLimit: 1000,
	symmetric: false,
	createdAt: '2026-01-01T00:00:00.000Z',
	updatedAt: '2026-01-01T00:00:00.000Z',
	...fields,
});

const labels = new Map([
	['1', label('1', {})],
	[
		'2',
		label('2', {
			kind: 'single',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Spouse',
			secondLabel: 'Spouse',
			symmetric: true,
		}),
	],
	['3', label('3', { firstLabel: 'Owner', secondLabel: 'Owner' })],
]);

/** Same entries in the same order. */
const entries = (json: object) => Object.entries(json);

test('linkResultJson is status, created / deleted, then linkJson', () => {
	const link = (labelId: string, id?: string) => ({
		labelId,
		labelKey: `key_${labelId}`,
		firstObjectKey: 'contact',
		firstRecordId: 'c1',
		secondObjectKey: 'custom_objects.property',
		secondRecordId: 'p1',
		...(id ? { id, createdAt: '2026-02-01T00:00:00.000Z' } : {}),
	});
	for (const done of ['created', 'deleted'] as const) {
		const json = linkResultJson(done, labels);
		for (const status of ['created', 'already_linked', 'deleted', 'not_linked'])
			for (const input of [
				link('1', '10'),
				link('2', '11'),
				link('3', '12'),
				link('9', '13'),
				link('1'),
			])
				expect(entries(json(status, input))).toEqual(
					entries({ status, [done]: status === done, ...linkJson(input, labels) }),
				);
	}
});

test('relatedJsonOf is relatedJson, with or without the label known', () => {
	const json = relatedJsonOf(labels);
	const record = (labelId: string, side: 'first' | 'second'): RelatedRecord => ({
		objectKey: 'contact',
		recordId: 'r1',
		label: side === 'first' ? 'Buyer' : 'Seller',
		labelKey: `key_${labelId}`,
		labelId,
		side,
		linkId: '7',
		linkedAt: '2026-02-01T00:00:00.000Z',
	});
	for (const labelId of ['1', '2', '3', '9'])
		for (const side of ['first', 'second'] as const) {
			expect(entries(json(record(labelId, side)))).toEqual(
				entries(relatedJson(record(labelId, side), labels)),
			);
			// a second record of the same label (names are looked up once) is built the same way
			expect(entries(json(record(labelId, side)))).toEqual(
				entries(relatedJson(record(labelId, side), labels)),
			);
		}
});
