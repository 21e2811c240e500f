/** The package surface n8n reads: the n8n block, node descriptions, codex files, icons, subtitles. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workflow, type INode, type INodeType } from 'n8n-workflow';

import { AssociationStoreApi } from '../../credentials/AssociationStoreApi.credentials';
import { AssociationTrigger } from '../../nodes/AssociationTrigger/AssociationTrigger.node';
import { CreateAssociation } from '../../nodes/CreateAssociation/CreateAssociation.node';
import { DeleteLabel } from '../../nodes/DeleteLabel/DeleteLabel.node';
import { GetRelatedObjects } from '../../nodes/GetRelatedObjects/GetRelatedObjects.node';
import { LinkRecords } from '../../nodes/LinkRecords/LinkRecords.node';
import { PACKAGE, nodeTypes } from './helpers/engine';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

const nodes: Array<[string, string, INodeType]> = [
	['CreateAssociation', 'Create Association', new CreateAssociation()],
	['LinkRecords', 'Link Records', new LinkRecords()],
	['GetRelatedObjects', 'Get Related Objects', new GetRelatedObjects()],
	['DeleteLabel', 'Delete Label', new DeleteLabel()],
];

test('package.json lists every built node and the credential', () => {
	expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
	expect(pkg.n8n.nodes).toEqual([
		...nodes.map(([dir]) => `dist/nodes/${dir}/${dir}.node.js`),
		'dist/nodes/AssociationTrigger/AssociationTrigger.node.js',
	]);
	expect(pkg.n8n.credentials).toEqual(['dist/credentials/AssociationStoreApi.credentials.js']);
	for (const built of [...pkg.n8n.nodes, ...pkg.n8n.credentials] as string[]) {
		const source = built.replace(/^dist\//, '').replace(/\.js$/, '.ts');
		expect(fs.existsSync(path.join(root, source))).toBe(true);
	}
});

describe.each(nodes)('%s', (dir, displayName, nodeType) => {
	const { description } = nodeType;
	const operation = description.properties.find((property) => property.name === 'operation');
	const operations = (operation?.options ?? []) as Array<{
		name: string;
		value: string;
		action?: string;
	}>;

	test('display name, tool use, credential', () => {
		expect(description.displayName).toBe(displayName);
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials?.[0].name).toBe(new AssociationStoreApi().name);
	});

	test('each operation has a sentence-case action, shown as the subtitle', () => {
		expect(operations.length).toBeGreaterThan(0);
		const node: INode = {
			id: 'n',
			name: displayName,
			type: `${PACKAGE}.${description.name}`,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		for (const option of operations) {
			expect(option.action).toMatch(/^[A-Z][a-z ]+$/);
			node.parameters = { operation: option.value };
			const subtitle = workflow.expression.getSimpleParameterValue(
				node,
				description.subtitle,
				'internal',
				{},
			);
			expect(subtitle).toBe(option.action);
		}
	});

	test('codex file and light/dark icons next to the node', () => {
		const codex = JSON.parse(
			fs.readFileSync(path.join(root, 'nodes', dir, `${dir}.node.json`), 'utf8'),
		);
		expect(codex.node).toBe(`${PACKAGE}.${description.name}`);
		expect(codex.categories).toEqual(expect.any(Array));
		const icon = description.icon as { light: string; dark: string };
		expect(icon.light).not.toBe(icon.dark);
		for (const file of [icon.light, icon.dark]) {
			const svg = fs.readFileSync(
				path.join(root, 'nodes', dir, file.replace(/^file:/, '')),
				'utf8',
			);
			expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 64 64"/);
		}
	});
});

describe('Association Trigger', () => {
	const { description } = new AssociationTrigger();

	test('a polling trigger the node creator finds under "association"', () => {
		expect(description.displayName).toBe('Association Trigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.polling).toBe(true);
		expect(description.inputs).toEqual([]);
		expect(description.credentials?.[0].name).toBe(new AssociationStoreApi().name);
		const codex = JSON.parse(
			fs.readFileSync(
				path.join(root, 'nodes', 'AssociationTrigger', 'AssociationTrigger.node.json'),
				'utf8',
			),
		);
		expect(codex.node).toBe(`${PACKAGE}.associationTrigger`);
		expect(codex.alias).toEqual(expect.arrayContaining(['association', 'link']));
		const icon = description.icon as { light: string; dark: string };
		for (const file of [icon.light, icon.dark]) {
			const svg = fs.readFileSync(
				path.join(root, 'nodes', 'AssociationTrigger', file.replace(/^file:/, '')),
				'utf8',
			);
			expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 64 64"/);
		}
	});
});
