'use strict';
// Deterministic benchmark data: the same labels, record ids and links in every process of a run, so the
// core and the raw floor always write (or read) exactly the same rows.

const NAMESPACE = 'bench';

/** 10 labels over 3 object pairs (HighLevel allows at most 10 per pair); all with the 1,000-per-record limit. */
const LABELS = [
	{
		key: 'works_at',
		firstObjectKey: 'contact',
		secondObjectKey: 'company',
		firstLabel: 'Employee',
		secondLabel: 'Employer',
	},
	{
		key: 'billing_contact',
		firstObjectKey: 'contact',
		secondObjectKey: 'company',
		firstLabel: 'Billing Contact',
		secondLabel: 'Billed Company',
	},
	{
		key: 'decision_maker',
		firstObjectKey: 'contact',
		secondObjectKey: 'company',
		firstLabel: 'Decision Maker',
		secondLabel: 'Decided Company',
	},
	{
		key: 'former_employee',
		firstObjectKey: 'contact',
		secondObjectKey: 'company',
		firstLabel: 'Former Employee',
		secondLabel: 'Former Employer',
	},
	{
		key: 'buyer',
		firstObjectKey: 'contact',
		secondObjectKey: 'opportunity',
		firstLabel: 'Buyer',
		secondLabel: 'Purchase',
	},
	{
		key: 'influencer',
		firstObjectKey: 'contact',
		secondObjectKey: 'opportunity',
		firstLabel: 'Influencer',
		secondLabel: 'Influenced Deal',
	},
	{
		key: 'champion',
		firstObjectKey: 'contact',
		secondObjectKey: 'opportunity',
		firstLabel: 'Champion',
		secondLabel: 'Championed Deal',
	},
	{
		key: 'account',
		firstObjectKey: 'company',
		secondObjectKey: 'opportunity',
		firstLabel: 'Account',
		secondLabel: 'Deal',
	},
	{
		key: 'partner',
		firstObjectKey: 'company',
		secondObjectKey: 'opportunity',
		firstLabel: 'Partner',
		secondLabel: 'Partner Deal',
	},
	{
		key: 'reseller',
		firstObjectKey: 'company',
		secondObjectKey: 'opportunity',
		firstLabel: 'Reseller',
		secondLabel: 'Resold Deal',
	},
];

// Record ids look like a CRM's (20 characters, e.g. HighLevel's "ve9EPM428h8vShlRW1KT"): unique per
// (object, number), spread over the key space like real ids, so index inserts are not append-only.
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PREFIX = { contact: 'c', company: 'k', opportunity: 'o' };
function mix32(x) {
	// murmur3's finaliser: a bijection on 32-bit integers.
	x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
	x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
	return (x ^ (x >>> 16)) >>> 0;
}
function base62(value, width) {
	let out = '';
	for (let i = 0; i < width; i++) {
		out = ALPHABET[value % 62] + out;
		value = Math.floor(value / 62);
	}
	return out;
}
const idCache = new Map();
function recordId(objectKey, n) {
	const cacheKey = objectKey + n;
	let id = idCache.get(cacheKey);
	if (id === undefined) {
		const a = mix32(n + 1);
		const b = mix32(a ^ 0x9e3779b9);
		const c = mix32(b ^ 0x7f4a7c15);
		id = PREFIX[objectKey] + base62(a, 6) + base62(b, 6) + base62(c, 6) + base62(n % 62, 1);
		idCache.set(cacheKey, id);
	}
	return id;
}

/** Second-side pool for the bulk scenarios: coprime strides keep a record's partners distinct. */
const SECOND_POOL = 10_000;

/**
 * Bulk-link mix (scenarios 1, 2, 4): `records` first-side records, spread round-robin over the 10 labels,
 * each linked to `perRecord` second-side records (partners number `from` .. from+perRecord-1); first-side
 * records number `firstFrom` .. firstFrom+records-1.
 * Returns [labelIndex, firstRecordId, secondRecordId] tuples, record by record.
 */
function bulkLinks({ records, perRecord, from = 0, total = Infinity, firstFrom = 0 }) {
	const out = [];
	for (let r = firstFrom; r < firstFrom + records && out.length < total; r++) {
		const labelIndex = r % LABELS.length;
		const label = LABELS[labelIndex];
		const first = recordId(label.firstObjectKey, r);
		for (let j = from; j < from + perRecord && out.length < total; j++) {
			out.push([
				labelIndex,
				first,
				recordId(label.secondObjectKey, (r * 37 + j * 101) % SECOND_POOL),
			]);
		}
	}
	return out;
}

/** Scenario 1/2: `links` links, `fanout` per first-side record (1,000 records × 100 for 100,000). */
const bulkMix = (links, fanout) =>
	bulkLinks({ records: Math.ceil(links / fanout), perRecord: fanout, total: links });

/** Core batch items for tuples, as an n8n node would pass them (label by key, both object keys given). */
const toItems = (tuples) =>
	tuples.map(([labelIndex, first, second]) => {
		const label = LABELS[labelIndex];
		return {
			label: { key: label.key },
			firstRecordId: first,
			secondRecordId: second,
			firstObjectKey: label.firstObjectKey,
			secondObjectKey: label.secondObjectKey,
		};
	});

/**
 * Scenario 3's store: `targets` company records with `perTarget` links each, half to contacts (company on the
 * second side of the 4 contact–company labels), half to opportunities (first side of the 3 company–opportunity
 * labels). Emitted link number first, target second, so each record's links are spread over the table as they
 * would be after months of use. Calls `emit(labelIndex, first, second)`.
 */
const RELATED_POOL = 100_000;
function relatedStore({ targets, perTarget }, emit) {
	const asSecond = [0, 1, 2, 3];
	const asFirst = [7, 8, 9];
	const half = Math.floor(perTarget / 2);
	for (let j = 0; j < perTarget; j++) {
		for (let t = 0; t < targets; t++) {
			const company = recordId('company', t);
			if (j < half) {
				const other = recordId('contact', (t * 7919 + j * 104729) % RELATED_POOL);
				emit(asSecond[j % asSecond.length], other, company);
			} else {
				const other = recordId('opportunity', (t * 7919 + j * 104729) % RELATED_POOL);
				emit(asFirst[j % asFirst.length], company, other);
			}
		}
	}
}
const relatedTarget = (t) => recordId('company', t);

/** A fixed shuffle (for query order). */
function shuffled(values, seed = 42) {
	const out = [...values];
	let s = seed >>> 0;
	for (let i = out.length - 1; i > 0; i--) {
		s = mix32(s + i);
		const k = s % (i + 1);
		[out[i], out[k]] = [out[k], out[i]];
	}
	return out;
}

module.exports = {
	NAMESPACE,
	LABELS,
	recordId,
	bulkLinks,
	bulkMix,
	toItems,
	relatedStore,
	relatedTarget,
	shuffled,
};
