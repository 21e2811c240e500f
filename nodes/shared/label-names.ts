import type { IExecuteFunctions } from 'n8n-workflow';

import { MAX_PAGE_SIZE, type AssociationLabel, type Associations } from '../../core';

/** The labels of the credential's namespace by id, so output items can name them as people read them. */
export type LabelsById = ReadonlyMap<string, AssociationLabel>;

/** One read of the labels per execution (a rename between executions shows at once). */
const perExecution = new WeakMap<object, Promise<LabelsById>>();

export function labelsById(
	context: IExecuteFunctions,
	associations: Associations,
): Promise<LabelsById> {
	let labels = perExecution.get(context);
	if (!labels) {
		labels = readAll(associations);
		perExecution.set(context, labels);
	}
	return labels;
}

/** Every label of the namespace by id, read now (for batched reads that have no execution context). */
export async function readAll(associations: Associations): Promise<LabelsById> {
	const byId = new Map<string, AssociationLabel>();
	for (let offset = 0; ; offset += MAX_PAGE_SIZE) {
		const page = await associations.labels.list({ limit: MAX_PAGE_SIZE, offset });
		for (const label of page) byId.set(label.id, label);
		if (page.length < MAX_PAGE_SIZE) return byId;
	}
}
