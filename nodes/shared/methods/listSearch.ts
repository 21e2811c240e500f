import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { labelName, MAX_PAGE_SIZE, OBJECT_KEY_PATTERN, type AssociationLabel } from '../../../core';
import { associationsForPicker } from '../store';

const PAGE = 100;

const pairOf = (label: AssociationLabel): string =>
	`${label.firstObjectKey} ↔ ${label.secondObjectKey}`;

const linksOf = (count: number): string =>
	count === 0
		? 'no links: can be deleted'
		: `${count.toLocaleString('en-US')} link${count === 1 ? '' : 's'}`;

/**
 * Labels of the credential's namespace, a page at a time. The name is the label as people read it (kept
 * short so the selected value stays readable), the description its objects, key and link count (so the
 * Delete Label picker shows which labels are unused). The search matches all of what the list shows.
 */
export async function searchLabels(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await labelPage(this, filter, paginationToken, false);
}

/**
 * The same list with each label's link count in its name ("Spouse · 3 links", "Owner · unused"): n8n shows
 * only names in the list, and Delete Label needs the count in sight.
 */
export async function searchLabelsWithLinkCount(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await labelPage(this, filter, paginationToken, true);
}

async function labelPage(
	context: ILoadOptionsFunctions,
	filter: string | undefined,
	paginationToken: string | undefined,
	countInName: boolean,
): Promise<INodeListSearchResult> {
	const associations = await associationsForPicker(context);
	const offset = Number(paginationToken) || 0;
	const search = filter?.trim().toLowerCase() ?? '';
	const items: INodeListSearchItems[] = [];
	for (let from = 0; ; from += MAX_PAGE_SIZE) {
		const labels = await associations.labels.listWithUsage({ limit: MAX_PAGE_SIZE, offset: from });
		for (const label of labels) {
			const links = label.usage.links;
			const item = {
				name: countInName
					? `${labelName(label)} · ${links === 0 ? 'unused' : linksOf(links)}`
					: labelName(label),
				value: label.key,
				description: `${pairOf(label)} · key ${label.key} · ${linksOf(label.usage.links)}`,
			};
			if (!search || `${item.name} ${item.description}`.toLowerCase().includes(search)) {
				items.push(item);
			}
		}
		if (labels.length < MAX_PAGE_SIZE) break;
	}
	const results = items.slice(offset, offset + PAGE);
	return items.length > offset + PAGE
		? { results, paginationToken: String(offset + PAGE) }
		: { results };
}

/**
 * Object keys the store knows (from its labels) plus contact, company and opportunity. A typed key that is
 * not known yet is offered as well, so custom objects can be picked before any label uses them.
 */
export async function searchObjectKeys(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const associations = await associationsForPicker(this);
	const search = filter?.trim().toLowerCase() ?? '';
	const known = await associations.labels.objectKeys();
	const results: INodeListSearchItems[] = known
		.filter((key) => key.includes(search))
		.map((key) => ({ name: key, value: key }));
	if (search && OBJECT_KEY_PATTERN.test(search) && !known.includes(search)) {
		results.push({ name: `${search} (new object key)`, value: search });
	}
	return { results };
}

/**
 * Object keys the store knows, plus contact, company and opportunity; nothing else. For pickers where a
 * new key makes no sense (linking, querying: no label uses an unknown object yet).
 */
export async function searchKnownObjectKeys(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const associations = await associationsForPicker(this);
	const search = filter?.trim().toLowerCase() ?? '';
	const known = await associations.labels.objectKeys();
	return {
		results: known.filter((key) => key.includes(search)).map((key) => ({ name: key, value: key })),
	};
}
