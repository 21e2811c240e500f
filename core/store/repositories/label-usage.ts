import type { AssociationLabel, BusiestRecord, LabelUsage, Side } from '../../types';
import type { SqlExecutor } from '../executor';
import { placeholders } from './sql-batch';

/** `SELECT label_id, record_id` of every link end on `side` of the given labels. */
function linkEnds(side: Side, labelIds: string[]): { sql: string; params: string[] } {
	return {
		sql: `SELECT label_id, ${side}_record_id AS record_id FROM association_links WHERE label_id IN (${placeholders(labelIds.length)})`,
		params: labelIds,
	};
}

/**
 * The record with the most links per label, over the given link ends: one statement for all labels
 * (a count per record, then the first of each label by count, ties by record id).
 */
async function busiestOf(
	sql: SqlExecutor,
	sources: { sql: string; params: string[] }[],
): Promise<Map<string, { recordId: string; links: number }>> {
	const busiest = new Map<string, { recordId: string; links: number }>();
	const used = sources.filter((source) => source.params.length > 0);
	if (used.length === 0) return busiest;
	const rows = await sql.all<{ label_id: string; record_id: string; n: unknown }>(
		`SELECT label_id, record_id, n FROM (
		   SELECT label_id, record_id, n,
		     ROW_NUMBER() OVER (PARTITION BY label_id ORDER BY n DESC, record_id) AS position
		   FROM (SELECT label_id, record_id, COUNT(*) AS n FROM (${used.map((source) => source.sql).join(' UNION ALL ')}) e
		         GROUP BY label_id, record_id) c
		 ) r WHERE position = 1`,
		used.flatMap((source) => source.params),
	);
	for (const row of rows) {
		busiest.set(String(row.label_id), { recordId: String(row.record_id), links: Number(row.n) });
	}
	return busiest;
}

const busiestRecord = (
	found: { recordId: string; links: number } | undefined,
	limit: number,
): BusiestRecord | null =>
	found ? { ...found, limit, shareOfLimit: Math.round((found.links / limit) * 1000) / 1000 } : null;

/**
 * How each label is used, in three statements whatever the number of labels: link counts and newest
 * link per label, and the busiest record of each side. A symmetric label's record counts on both sides.
 */
export async function usageOfLabels(
	sql: SqlExecutor,
	labels: AssociationLabel[],
): Promise<Map<string, LabelUsage>> {
	const usage = new Map<string, LabelUsage>();
	if (labels.length === 0) return usage;
	const ids = labels.map((label) => label.id);
	const totals = await sql.all<{ label_id: string; n: unknown; last: unknown }>(
		`SELECT label_id, COUNT(*) AS n, MAX(created_at) AS last FROM association_links
		 WHERE label_id IN (${placeholders(ids.length)}) GROUP BY label_id`,
		ids,
	);
	const symmetric = labels.filter((label) => label.symmetric).map((label) => label.id);
	const directed = labels.filter((label) => !label.symmetric).map((label) => label.id);
	const busiestFirst = await busiestOf(sql, [
		linkEnds('first', directed),
		linkEnds('first', symmetric),
		linkEnds('second', symmetric),
	]);
	const busiestSecond = await busiestOf(sql, [linkEnds('second', directed)]);
	const byLabel = new Map(totals.map((row) => [String(row.label_id), row]));
	for (const label of labels) {
		const total = byLabel.get(label.id);
		usage.set(label.id, {
			links: total ? Number(total.n) : 0,
			busiest: {
				first: busiestRecord(busiestFirst.get(label.id), label.firstLimit),
				second: label.symmetric
					? null
					: busiestRecord(busiestSecond.get(label.id), label.secondLimit),
			},
			lastLinkedAt: total?.last ? String(total.last) : null,
		});
	}
	return usage;
}
