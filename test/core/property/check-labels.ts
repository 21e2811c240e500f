/**
 * Checks of a label operation's result: what it returns is what is stored, and the tables changed by
 * exactly that.
 */
import type { AssociationLabel } from '../../../core';
import type { Outcome } from './check';
import { expectItemError, expectResultPerItem } from './expectations';
import type { Operation } from './operations';
import { expectStoredLabel, labelRow } from './stored-rows';

type LabelOperation = Extract<
	Operation,
	{
		op:
			| 'create'
			| 'createMany'
			| 'rename'
			| 'setLimits'
			| 'delete'
			| 'get'
			| 'usage'
			| 'list'
			| 'objectKeys';
	}
>;

export async function checkLabelOperation(
	operation: LabelOperation,
	{ raw, result, before, after, unchanged, delta }: Outcome,
): Promise<string> {
	switch (operation.op) {
		case 'create':
		case 'createMany': {
			const inputs =
				operation.op === 'create' ? [operation.input] : (operation.inputs as unknown[]);
			const results =
				operation.op === 'create'
					? [
							{
								index: 0,
								status: (result as { created: boolean }).created ? 'created' : 'unchanged',
								...(result as object),
							},
						]
					: (result as Array<{
							index: number;
							status: string;
							label?: AssociationLabel;
							error?: { code: string; message: string };
						}>);
			expectResultPerItem(results, inputs);
			let created = 0;
			for (const [index, item] of (
				results as Array<{
					status: string;
					label?: AssociationLabel;
					error?: { code: string; message: string };
				}>
			).entries()) {
				if (item.status === 'error') {
					expectItemError(item.error);
					continue;
				}
				await expectStoredLabel(raw, item.label!);
				const input = inputs[index] as { key?: string; firstLabel: string; secondLabel?: string };
				if (input.key !== undefined) expect(item.label!.key).toBe(input.key.trim());
				const names = [item.label!.firstLabel, item.label!.secondLabel].sort();
				const asked = [
					input.firstLabel.trim(),
					(input.secondLabel ?? input.firstLabel).trim(),
				].sort();
				expect(names).toEqual(asked);
				if (item.status === 'created') created++;
			}
			delta(created, 0, created);
			return 'ok';
		}
		case 'rename':
		case 'setLimits': {
			const label = result as AssociationLabel;
			await expectStoredLabel(raw, label);
			expect(after.labels).toBe(before.labels);
			expect(after.events - before.events).toBeLessThanOrEqual(1);
			return 'ok';
		}
		case 'delete': {
			const { id } = result as { id: string };
			expect(await labelRow(raw, id)).toBeUndefined();
			delta(-1, 0, 1);
			return 'ok';
		}
		case 'get':
			unchanged();
			await expectStoredLabel(raw, result as AssociationLabel);
			return 'ok';
		case 'usage': {
			unchanged();
			const { label, links } = result as { label: AssociationLabel; links: number };
			await expectStoredLabel(raw, label);
			const [row] = await raw.all(
				'SELECT COUNT(*) AS n FROM association_links WHERE label_id = ?',
				[label.id],
			);
			expect(links).toBe(Number(row.n));
			return 'ok';
		}
		case 'list':
			unchanged();
			for (const label of result as AssociationLabel[]) await expectStoredLabel(raw, label);
			return 'ok';
		case 'objectKeys': {
			unchanged();
			const keys = result as string[];
			expect(keys).toEqual([...keys].sort());
			expect(keys).toEqual(expect.arrayContaining(['company', 'contact', 'opportunity']));
			return 'ok';
		}
	}
}
