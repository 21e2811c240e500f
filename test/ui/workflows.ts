/** Workflows the browser suite opens besides the examples: a record-limit error and Delete Label. */
const PACKAGE = 'n8n-nodes-object-associations';
const credentials = { associationStoreApi: { id: 'assocStoreDefault', name: 'Association Store' } };
const TRIGGER = 'When clicking ‘Execute workflow’';

const node = (name: string, type: string, x: number, parameters: object) => ({
	id: `00000000-0000-4000-8000-0000000010${String(x / 220).padStart(2, '0')}`,
	name,
	type: `${PACKAGE}.${type}`,
	typeVersion: 1,
	position: [x, 0],
	parameters,
	credentials,
});
const trigger = {
	id: '00000000-0000-4000-8000-000000001099',
	name: TRIGGER,
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const chain = (...names: string[]) =>
	Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);
const spouseLink = (name: string, x: number, second: string) =>
	node(name, 'linkRecords', x, {
		operation: 'link',
		label: { __rl: true, mode: 'list', value: 'spouse', cachedResultName: 'Spouse' },
		firstRecordId: 'contact_ui_a',
		secondRecordId: second,
		options: {},
	});

/** Spouse allows one spouse per contact: the second link fails with RECORD_LIMIT. */
export const RECORD_LIMIT_WORKFLOW = {
	id: 'uiRecordLimit001',
	name: 'UI · record limit',
	nodes: [
		trigger,
		spouseLink('Link Spouse', 220, 'contact_ui_b'),
		spouseLink('Link Second Spouse', 440, 'contact_ui_c'),
	],
	connections: chain(TRIGGER, 'Link Spouse', 'Link Second Spouse'),
};

/** Delete Label on "spouse", typed "delete": refused until DELETE, then refused while links use it. */
export const DELETE_LABEL_WORKFLOW = {
	id: 'uiDeleteLabel001',
	name: 'UI · delete label',
	nodes: [
		trigger,
		node('Delete Label', 'deleteLabel', 220, {
			operation: 'delete',
			label: { __rl: true, mode: 'list', value: 'spouse', cachedResultName: 'Spouse' },
			confirmation: 'delete',
		}),
	],
	connections: chain(TRIGGER, 'Delete Label'),
};
