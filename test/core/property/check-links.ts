/**
 * Checks of a link operation's result: each item's link is stored (or gone), and the tables changed by
 * exactly that.
 */
import type { Link } from '../../../core';
import type { Outcome } from './check';
import { expectItemError, expectResultPerItem } from './expectations';
import type { Operation } from './operations';
import { expectStoredLink, linkRow } from './stored-rows';

/** The record ids an input asked for, as the core keeps them (numbers as decimal text). */
const askedIds = (input: unknown): string[] => {
	const { firstRecordId, secondRecordId } = input as Record<string, unknown>;
	return [String(firstRecordId), String(secondRecordId)].sort();
};

type LinkOperation = Extract<
	Operation,
	{ op: 'link' | 'linkMany' | 'unlink' | 'unlinkMany' | 'unlinkRecord' | 'unlinkRecords' }
>;

export async function checkLinkOperation(
	operation: LinkOperation,
	{ raw, result, delta }: Outcome,
): Promise<string> {
	switch (operation.op) {
		case 'link':
		case 'linkMany':
		case 'unlink':
		case 'unlinkMany': {
			const single = 'input' in operation;
			const inputs = 'input' in operation ? [operation.input] : (operation.inputs as unknown[]);
			const results = (single ? [result] : result) as Array<{
				index: number;
				status: string;
				link?: Link;
				error?: { code: string; message: string };
			}>;
			expectResultPerItem(results, inputs);
			let created = 0;
			let deleted = 0;
			for (const [index, item] of results.entries()) {
				if (item.status === 'error') {
					expectItemError(item.error);
					continue;
				}
				const link = item.link!;
				expect([link.firstRecordId, link.secondRecordId].sort()).toEqual(askedIds(inputs[index]));
				if (item.status === 'created' || item.status === 'already_linked') {
					await expectStoredLink(raw, link);
					if (item.status === 'created') created++;
				} else if (item.status === 'deleted') {
					expect(await linkRow(raw, link.id)).toBeUndefined();
					deleted++;
				} else {
					expect(item.status).toBe('not_linked');
				}
			}
			delta(0, created - deleted, created + deleted);
			return 'ok';
		}
		case 'unlinkRecord':
		case 'unlinkRecords': {
			const single = operation.op === 'unlinkRecord';
			const inputs = single ? [operation.input] : (operation.inputs as unknown[]);
			const results = (
				single ? [{ index: 0, status: 'unlinked', ...(result as object) }] : result
			) as Array<{
				index: number;
				status: string;
				deleted?: number;
				links?: Link[];
				error?: { code: string; message: string };
			}>;
			expectResultPerItem(results, inputs);
			let deleted = 0;
			for (const [index, item] of results.entries()) {
				if (item.status === 'error') {
					expectItemError(item.error);
					continue;
				}
				expect(item.deleted).toBe(item.links!.length);
				const recordId = String((inputs[index] as { recordId: unknown }).recordId);
				for (const link of item.links!) {
					expect(await linkRow(raw, link.id)).toBeUndefined();
					expect([link.firstRecordId, link.secondRecordId]).toContain(recordId);
				}
				deleted += item.deleted!;
			}
			delta(0, 0 - deleted, deleted);
			return 'ok';
		}
	}
}
