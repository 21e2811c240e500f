/**
 * What text the store keeps byte for byte, on SQLite and on PostgreSQL alike.
 *
 * - NUL (U+0000): the SQLite driver cuts a bound string at it (so "a\u0000b" is stored as "a", and then
 *   matches the record "a"); PostgreSQL refuses it in text columns.
 * - Lone UTF-16 surrogates (half of an emoji, "\ud800"): not Unicode text, so neither database can store
 *   them as UTF-8; SQLite keeps invalid bytes, PostgreSQL stores U+FFFD instead.
 * - Length: PostgreSQL's VARCHAR(n) counts characters (code points); JavaScript's .length counts UTF-16
 *   code units (an emoji is 2). Limits are checked in code points, the unit the column enforces.
 * - Display names additionally refuse the other C0 control characters (U+0001–U+001F: tab, newline, …)
 *   and DEL (U+007F): they are names shown in n8n's lists and in messages, where such a character is
 *   invisible or breaks the line. Record ids are opaque ids of other systems, so they keep every
 *   character except NUL and lone surrogates.
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0001-\u001f\u007f]/;

/** Characters as PostgreSQL counts them (code points), not UTF-16 code units. */
export const characterCount = (text: string): number => {
	let count = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
			const next = text.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) i++;
		}
		count++;
	}
	return count;
};

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why the store could not keep this text as given, or undefined when it can. */
export function storableTextProblem(text: string): string | undefined {
	const nul = text.indexOf('\u0000');
	if (nul >= 0)
		return `must not contain the NUL character (U+0000; found at position ${nul}): remove it, it is usually a sign of binary data or a bad conversion`;
	const lone = LONE_SURROGATE.exec(text);
	if (lone)
		return `must be well-formed Unicode text: it contains half of a surrogate pair (${hex(lone[0].charCodeAt(0))} at position ${lone.index}), e.g. an emoji cut in two; send the whole character or remove it`;
	return undefined;
}

/** The rule of display names: storable text without control characters. */
export function displayTextProblem(text: string): string | undefined {
	const problem = storableTextProblem(text);
	if (problem) return problem;
	const control = CONTROL.exec(text);
	if (control)
		return `must not contain control characters (found ${hex(control[0].charCodeAt(0))} at position ${control.index}, e.g. a tab or line break): use plain text on one line`;
	return undefined;
}

/** True when the store keeps `text` byte for byte (no NUL, no lone surrogate). */
export const isStorableText = (text: string): boolean =>
	text.indexOf('\u0000') < 0 && !LONE_SURROGATE.test(text);
