import { STANDARD_OBJECT_KEYS } from './label-rules';
import type { AssociationLabel } from './types';

/** How a label reads from each side, in sentences an admin checks before saving. */
export interface LabelPreview {
	/** What a record of the first object shows for a linked record. */
	fromFirst: string;
	/** What a record of the second object shows for a linked record. */
	fromSecond: string;
	/** The per-record limits, in words. */
	limits: string;
	/** The three, as one paragraph. */
	text: string;
}

type Shape = Pick<
	AssociationLabel,
	| 'firstObjectKey'
	| 'secondObjectKey'
	| 'firstLabel'
	| 'secondLabel'
	| 'firstLimit'
	| 'secondLimit'
	| 'symmetric'
>;

const PLURALS: Record<string, string> = {
	contact: 'contacts',
	company: 'companies',
	opportunity: 'opportunities',
};

/** "contact" / "contacts"; a custom object reads as its last key part: "pets record" / "pets records". */
function noun(objectKey: string, many = false): string {
	if ((STANDARD_OBJECT_KEYS as readonly string[]).includes(objectKey)) {
		return many ? PLURALS[objectKey] : objectKey;
	}
	const name = objectKey.slice(objectKey.lastIndexOf('.') + 1);
	return `${name} ${many ? 'records' : 'record'}`;
}

/** "1 contact", "1,000 contacts". */
const counted = (limit: number, objectKey: string): string =>
	`${count(limit)} ${noun(objectKey, limit !== 1)}`;

const withArticle = (text: string): string => (/^[aeiou]/.test(text) ? `an ${text}` : `a ${text}`);
const count = (limit: number): string => limit.toLocaleString('en-US');

/**
 * The sentences of a label, from each side. A side's display name is the role of that side's record, so a
 * record shows a linked record under the linked record's side name: with Buyer (contact) / Seller
 * (property), a contact shows its linked property as "Seller", and the property shows the contact as
 * "Buyer".
 */
export function previewLabel(label: Shape): LabelPreview {
	const first = noun(label.firstObjectKey);
	const second = noun(label.secondObjectKey);
	const sameObject = label.firstObjectKey === label.secondObjectKey;
	let fromFirst: string;
	let fromSecond: string;
	let limits: string;
	if (label.symmetric) {
		fromFirst = `On ${withArticle(first)}, a linked ${first} appears as "${label.firstLabel}".`;
		fromSecond = `The link has no direction: linking A to B is the same as linking B to A, and both ${noun(label.firstObjectKey, true)} see each other as "${label.firstLabel}".`;
		limits = `${capitalize(withArticle(first))} has at most ${count(label.firstLimit)} "${label.firstLabel}" link${label.firstLimit === 1 ? '' : 's'}.`;
	} else if (sameObject) {
		fromFirst = `On the ${first} on the "${label.firstLabel}" side, the linked ${first} appears as "${label.secondLabel}".`;
		fromSecond = `On the ${first} on the "${label.secondLabel}" side, the linked ${first} appears as "${label.firstLabel}".`;
		limits = `${capitalize(withArticle(first))} on the "${label.firstLabel}" side links to at most ${counted(label.firstLimit, label.firstObjectKey)}; on the "${label.secondLabel}" side, to at most ${count(label.secondLimit)}.`;
	} else {
		fromFirst = `On ${withArticle(first)}, a linked ${second} appears as "${label.secondLabel}".`;
		fromSecond = `On ${withArticle(second)}, a linked ${first} appears as "${label.firstLabel}".`;
		limits = `${capitalize(withArticle(first))} links to at most ${counted(label.firstLimit, label.secondObjectKey)} through this label; ${withArticle(second)} to at most ${counted(label.secondLimit, label.firstObjectKey)}.`;
	}
	return { fromFirst, fromSecond, limits, text: `${fromFirst} ${fromSecond} ${limits}` };
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
