import { DIALECTS } from '../support/stores';
import { PROPERTY, expectError, useStore } from './fixtures';

describe.each(DIALECTS)('events on %s', (dialect) => {
	const store = useStore(dialect);
	const actor = { workflowId: 'wf-1', executionId: 'ex-9', nodeName: 'Link Records' };

	it('every mutation appends one event with the actor, in the same transaction', async () => {
		const core = await store().open('acme', actor);
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
		});
		await core.labels.rename({ key: 'owner' }, { firstLabel: 'Proprietor' });
		await core.labels.setLimits({ key: 'owner' }, { firstLimit: 5 });
		await core.links.linkMany([
			{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p1' },
		]);
		await core.links.unlink({ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p1' });
		await core.labels.delete({ key: 'owner' }, 'DELETE');
		const events = await core.events();
		expect(events.map((e) => e.type)).toEqual([
			'label.created',
			'label.renamed',
			'label.limits_changed',
			'link.created',
			'link.deleted',
			'label.deleted',
		]);
		expect(events.every((e) => e.labelKey === 'owner' && e.namespace === 'acme')).toBe(true);
		expect(events.every((e) => JSON.stringify(e.actor) === JSON.stringify(actor))).toBe(true);
		expect(events[1].data).toEqual({
			from: { firstLabel: 'Owner', secondLabel: 'Owner' },
			to: { firstLabel: 'Proprietor', secondLabel: 'Proprietor' },
		});
		expect(events[2].data).toEqual({
			from: { firstLimit: 1000, secondLimit: 1000 },
			to: { firstLimit: 5, secondLimit: 1000 },
		});
		expect(events[3]).toMatchObject({
			firstRecordId: 'c1',
			secondRecordId: 'p1',
			data: { firstObjectKey: 'contact', secondObjectKey: PROPERTY },
		});
		// paging by id
		const after = await core.events({ afterId: events[3].id, limit: 1 });
		expect(after.map((e) => e.type)).toEqual(['link.deleted']);
	});

	it('a refused mutation leaves no event and no row', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
			firstLimit: 1,
		});
		await core.links.link({ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p1' });
		await expectError(
			core.links.link({ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p2' }),
			'RECORD_LIMIT',
		);
		await expectError(core.labels.delete({ key: 'owner' }, 'DELETE'), 'IN_USE');
		expect((await core.events()).map((e) => e.type)).toEqual(['label.created', 'link.created']);
	});

	it('events of one namespace are invisible to another', async () => {
		const a = await store().open('a');
		const b = await store().open('b');
		await a.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
		});
		expect(await b.events()).toEqual([]);
		expect(await a.events({ labelKey: 'owner' })).toHaveLength(1);
	});
});
