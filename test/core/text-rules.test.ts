/**
 * The text rules on their own: what they refuse and why, that lengths count what PostgreSQL counts, and
 * that text they accept comes back from both databases unchanged.
 */
import * as fc from 'fast-check';
import { Client } from 'pg';

import { recordIdTextProblem } from '../../core/schemas';
import {
	characterCount,
	displayTextProblem,
	isStorableText,
	storableTextProblem,
} from '../../core/text-rules';
import { postgresServer } from '../support/stores';

const runs = Number(process.env.PROPERTY_RUNS ?? 5000) / 5;

describe('text rules', () => {
	it('say what is wrong and where', () => {
		expect(storableTextProblem('a\u0000b')).toMatch(
			/^must not contain the NUL character \(U\+0000; found at position 1\)/,
		);
		expect(storableTextProblem('x\ud800y')).toMatch(
			/^must be well-formed Unicode text: it contains half of a surrogate pair \(U\+D800 at position 1\)/,
		);
		expect(storableTextProblem('😀'.slice(1))).toMatch(/U\+DE00 at position 0/);
		expect(storableTextProblem('tab\there 😀 é')).toBeUndefined();
		expect(displayTextProblem('tab\there')).toMatch(
			/^must not contain control characters \(found U\+0009 at position 3/,
		);
		expect(displayTextProblem('del\u007f')).toMatch(/U\+007F/);
		expect(displayTextProblem('Owner 🐶 é')).toBeUndefined();
		expect(recordIdTextProblem('')).toBe('must not be empty');
		expect(recordIdTextProblem(' a')).toBe('must not start or end with spaces');
		expect(recordIdTextProblem('😀'.repeat(255))).toBeUndefined();
		expect(recordIdTextProblem('😀'.repeat(256))).toBe(
			'must be at most 255 characters (it has 256)',
		);
	});

	it('storable means no NUL and well-formed UTF-16, for any code units', () => {
		fc.assert(
			fc.property(
				fc.string({
					unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
					maxLength: 20,
				}),
				(text) => {
					const wellFormed = Buffer.from(text, 'utf8').toString('utf8') === text;
					expect(isStorableText(text)).toBe(wellFormed && !text.includes('\u0000'));
					expect(storableTextProblem(text) === undefined).toBe(isStorableText(text));
				},
			),
			{ numRuns: runs },
		);
	});
});

describe('on PostgreSQL', () => {
	let client: Client;
	beforeAll(async () => {
		client = new Client(postgresServer());
		await client.connect();
	});
	afterAll(() => client.end());

	it('characters are counted as VARCHAR(n) counts them, and storable text comes back unchanged', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					fc.string({ unit: 'binary', maxLength: 300 }),
					fc.string({ unit: 'grapheme', maxLength: 100 }),
				),
				async (text) => {
					fc.pre(isStorableText(text));
					const { rows } = await client.query('SELECT char_length($1) AS n, $1::text AS back', [
						text,
					]);
					expect(Number(rows[0].n)).toBe(characterCount(text));
					expect(rows[0].back).toBe(text);
				},
			),
			{ numRuns: runs },
		);
	});
});
