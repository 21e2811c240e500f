import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { OBJECT_KEY_PATTERN, type AssociationLabel } from '../../../core';
import { associationsForPicker } from '../store';

const PAGE = 100;

const describe = (label: AssociationLabel): string =>
	label.kind === 'single'
		? `${label.firstLabel} (${label.firstObjectKey} ↔ ${label.secondObjectKey})`
		: `${label.firstLabel} / ${label.secondLabel} (${label.firstObjectKey} ↔ ${label.secondObjectKey})`;

/** Labels of the credential's namespace, searched by key or display name, a page at a time. */
export async function searchLabels(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const associations = await associationsForPicker(this);
	const offset = Number(paginationToken) || 0;
	const search = filter?.trim();
	const labels = await associations.labels.list({
		...(search ? { search } : {}),
		limit: PAGE + 1,
		offset,
	});
	const results: INodeListSearchItems[] = labels.slice(0, PAGE).map((label) => ({
		name: describe(label),
		value: label.key,
		description: `Key ${label.key} · limits ${label.firstLimit} / ${label.secondLimit} per record`,
	}));
	return labels.length > PAGE ? { results, paginationToken: String(offset + PAGE) } : { results };
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
