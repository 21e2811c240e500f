import * as schemas from './schemas';
import type { LabelRef } from './types';

type ParsedLinkInput = ReturnType<typeof schemas.linkInput.parse>;

const LINK_INPUT_FIELDS = new Set([
	'label',
	'firstRecordId',
	'secondRecordId',
	'firstObjectKey',
	'secondObjectKey',
]);

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
	if (typeof value !== 'object' || value === null) return false;
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
};

/** "k<key>" / "i<id>" for a plain { key: string } or { id: string }; undefined for anything else. */
function labelRefMemoKey(value: unknown): string | undefined {
	if (!isPlainObject(value)) return undefined;
	let memo: string | undefined;
	for (const field in value) {
		const text = value[field];
		if (memo !== undefined || typeof text !== 'string') return undefined;
		if (field === 'key') memo = `k${text}`;
		else if (field === 'id') memo = `i${text}`;
		else return undefined;
	}
	return memo;
}

/** schemas.recordId's rules, inline; undefined when zod must have its say. */
function fastRecordId(value: unknown): string | undefined {
	if (typeof value === 'string') {
		return schemas.recordIdTextProblem(value) === undefined ? value : undefined;
	}
	return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : undefined;
}

/**
 * Validates a batch's link inputs under schemas.linkInput's rules, caching what repeats: a batch names a
 * few label refs and object keys, so each distinct one goes through zod once; record ids get zod's rules
 * inline. Anything else, and every invalid item, goes through the full zod parse, which also words the error.
 */
export class LinkInputValidator {
	private readonly refs = new Map<string, LabelRef | null>();
	private readonly objectKeys = new Map<string, string | null>();

	/** As schemas.labelRef.safeParse: the parsed ref, or undefined when invalid. */
	labelRef(value: unknown): LabelRef | undefined {
		const memo = labelRefMemoKey(value);
		let ref = memo === undefined ? undefined : this.refs.get(memo);
		if (ref === undefined) {
			const parsed = schemas.labelRef.safeParse(value);
			ref = parsed.success ? parsed.data : null;
			if (memo !== undefined) this.refs.set(memo, ref);
		}
		return ref ?? undefined;
	}

	link(input: unknown): ParsedLinkInput {
		return this.fastItem(input) ?? schemas.parse(schemas.linkInput, input, 'link');
	}

	private objectKey(value: unknown): string | null | undefined {
		if (value === undefined) return undefined;
		if (typeof value !== 'string') return null;
		let key = this.objectKeys.get(value);
		if (key === undefined) {
			const parsed = schemas.objectKey.safeParse(value);
			key = parsed.success ? parsed.data : null;
			this.objectKeys.set(value, key);
		}
		return key;
	}

	private fastItem(input: unknown): ParsedLinkInput | undefined {
		if (!isPlainObject(input)) return undefined;
		for (const field in input) if (!LINK_INPUT_FIELDS.has(field)) return undefined;
		const ref = input.label;
		if (labelRefMemoKey(ref) === undefined) return undefined;
		const label = this.labelRef(ref);
		const firstRecordId = fastRecordId(input.firstRecordId);
		const secondRecordId = fastRecordId(input.secondRecordId);
		const firstObjectKey = this.objectKey(input.firstObjectKey);
		const secondObjectKey = this.objectKey(input.secondObjectKey);
		if (
			!label ||
			firstRecordId === undefined ||
			secondRecordId === undefined ||
			firstObjectKey === null ||
			secondObjectKey === null
		) {
			return undefined;
		}
		return { label, firstRecordId, secondRecordId, firstObjectKey, secondObjectKey };
	}
}
