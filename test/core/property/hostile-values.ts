/**
 * Hostile values for the property suite (issue 9): text the store cannot keep (NUL, lone surrogates),
 * text a display name must not have (control characters), and values of every other type, so that each
 * generated field is mostly plausible but sometimes poisoned or anything at all.
 */
import * as fc from 'fast-check';

const hostileUnit = fc.constantFrom(
	'\u0000',
	'\ud800',
	'\udbff',
	'\udc00',
	'\udfff',
	'\t',
	'\n',
	'\u007f',
	'\u00a0',
	'\u2028',
	'\ufeff',
	'\ufffe',
	' ',
	'😀',
	'👨‍👩‍👧',
	'🇫🇷',
	'é',
	'e\u0301',
	'%',
	'_',
	'\\',
	"'",
	'"',
	'a',
	'Z',
	'0',
	'.',
	':',
	'-',
);
/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
	fc.string({ unit: hostileUnit, maxLength: 8 }),
	fc.string({ unit: codeUnit, maxLength: 8 }),
	fc.string({ unit: 'binary', maxLength: 10 }),
	fc.string({ unit: 'grapheme', maxLength: 10 }),
	fc.string({ unit: hostileUnit, minLength: 95, maxLength: 105 }),
	fc.string({ unit: hostileUnit, minLength: 250, maxLength: 260 }),
	fc.constantFrom(
		'',
		' ',
		'a'.repeat(100),
		'a'.repeat(101),
		'a'.repeat(255),
		'a'.repeat(256),
		'😀'.repeat(100),
		'😀'.repeat(101),
		'😀'.repeat(255),
		'😀'.repeat(256),
		'😀'.repeat(128) + '😀'.slice(0, 1),
	),
);

export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 4, arbitrary: hostileString },
	fc.integer(),
	fc.double(),
	fc.constantFrom(null, undefined, true, false, NaN, Infinity, -0, 2 ** 53, 2 ** 63, 1e300, -1),
	fc.bigInt(),
	fc.object({ maxDepth: 1, maxKeys: 3 }),
	fc.object({ maxDepth: 1, maxKeys: 2, withNullPrototype: true }),
	fc.constantFrom(Symbol('id'), () => 'id', new Date(0), /re/, new Map(), Object.create(null)),
	fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
);

/** One character the store cannot keep, or a display name must not have. */
const poison = fc.constantFrom(
	'\u0000',
	'\ud800',
	'\udfff',
	'\ud83d',
	'\ude00',
	'\t',
	'\n',
	'\u007f',
);

/** A plausible value with one poison character put in (text only): valid but for that character. */
const poisoned = <T>(plausible: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
	fc.tuple(plausible, poison, fc.nat()).map(([value, bad, at]) => {
		if (typeof value !== 'string') return value;
		const cut = at % (value.length + 1);
		return value.slice(0, cut) + bad + value.slice(cut);
	});

/** Mostly plausible, sometimes plausible but poisoned, sometimes anything. */
export const mix = <T>(plausible: fc.Arbitrary<T>, plausibleWeight = 10): fc.Arbitrary<unknown> =>
	fc.oneof(
		{ weight: plausibleWeight, arbitrary: plausible },
		{ weight: 1, arbitrary: poisoned(plausible) },
		{ weight: 1, arbitrary: anyValue },
	);
