/**
 * The editor as a user sees it (issue 10): Debian's chromium, driven by playwright-core, against a real n8n
 * started like `npm start` (own port and user folder: test/ui/editor-server.ts). It searches the node
 * creator, adds Link Records and picks a label from the list, executes twice, opens Get Related Objects in
 * the grouped mode (example 03), reads a record-limit error and Delete Label's errors in the panels. Each
 * step saves a screenshot in test/ui/screenshots/; with UI_DOCS_IMAGES=1 the ones the docs show are
 * written to docs/images/ too.
 *
 * Needs: `npm run build` (n8n loads dist/), chromium at /usr/bin/chromium (or CHROMIUM_PATH), playwright-core.
 * UI_PACKAGE_DIR runs it against another built checkout, UI_SHOTS_DIR puts the screenshots elsewhere.
 */
import fs from 'node:fs';
import path from 'node:path';

import { REPO_DIR } from '../e2e/n8n-harness';
import { OWNER, startEditorServer, type EditorServer } from './editor-server';
import { playwright, type Browser, type Locator, type Page } from './playwright';
import { DELETE_LABEL_WORKFLOW, RECORD_LIMIT_WORKFLOW } from './workflows';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = process.env.UI_SHOTS_DIR ?? path.join(__dirname, 'screenshots');
const DOCS_IMAGES = path.join(REPO_DIR, 'docs', 'images');
const STEP_MS = 60_000;

jest.setTimeout(5 * 60_000);

let server: EditorServer;
let browser: Browser;
let page: Page;
const started = Date.now();

/** Saves the page; `docs` names the copy in docs/images/ (written with UI_DOCS_IMAGES=1). */
async function shot(name: string, docs?: string): Promise<void> {
	fs.mkdirSync(SHOTS, { recursive: true });
	const file = path.join(SHOTS, `${name}.png`);
	await page.screenshot({ path: file });
	if (docs && process.env.UI_DOCS_IMAGES === '1') {
		fs.mkdirSync(DOCS_IMAGES, { recursive: true });
		fs.copyFileSync(file, path.join(DOCS_IMAGES, `${docs}.png`));
	}
}

/**
 * Waits until the locator's element shows `text`, then returns all its text with runs of white space (and
 * the dots n8n's JSON view draws for indentation) as one space.
 */
async function textOnceShown(locator: Locator, text: string): Promise<string> {
	await locator.filter({ hasText: text }).first().waitFor({ timeout: STEP_MS });
	return (await locator.first().innerText()).replace(/[\s·]+/g, ' ');
}

const output = () => page.getByTestId('output-panel');

async function openWorkflow(id: string): Promise<void> {
	await page.goto(`${server.url}/workflow/${id}`);
	await page.getByTestId('canvas-node').first().waitFor({ timeout: STEP_MS });
}

async function executeWorkflow(): Promise<void> {
	await page.getByTestId('execute-workflow-button').click();
	// n8n marks the run's end with a toast ("Workflow executed successfully" or a problem).
	await page
		.getByText(/Workflow executed successfully|Problem in node|Workflow has issues/)
		.first()
		.waitFor({ timeout: STEP_MS });
}

async function openNode(name: string): Promise<void> {
	await page.getByTestId('canvas-node').filter({ hasText: name }).first().dblclick();
	await page.getByTestId('ndv').waitFor({ timeout: STEP_MS });
}

beforeAll(async () => {
	playwright.selectors.setTestIdAttribute('data-test-id');
	server = await startEditorServer(
		[RECORD_LIMIT_WORKFLOW, DELETE_LABEL_WORKFLOW],
		process.env.UI_PACKAGE_DIR ?? REPO_DIR,
	);
	browser = await playwright.chromium.launch({
		executablePath: CHROMIUM,
		args: ['--no-sandbox'],
		headless: true,
	});
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	// The owner account, as the setup form creates it; the response signs the browser in.
	const setup = await context.request.post(`${server.url}/rest/owner/setup`, { data: OWNER });
	expect(setup.status()).toBe(200);
	page = await context.newPage();
	page.setDefaultTimeout(STEP_MS);
	process.stderr.write(`[ui] n8n ready after ${Math.round((Date.now() - started) / 1000)} s\n`);
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	process.stderr.write(`[ui] browser suite took ${Math.round((Date.now() - started) / 1000)} s\n`);
});

test('example 01 sets up the labels from the editor', async () => {
	await openWorkflow(server.examples['01-set-up-labels.json']);
	await executeWorkflow();
	await openNode('Create Buyer/Seller Label');
	const shown = await textOnceShown(output(), 'property_buyer_seller');
	expect(shown).toContain('Buyer / Seller');
});

test('example 02: Execute workflow runs the manual path (no webhook waiting for a call)', async () => {
	await openWorkflow(server.examples['02-link-on-event.json']);
	await executeWorkflow();
	await openNode('Link Buyer to Property');
	const shown = await textOnceShown(output(), 'contact_1001');
	expect(shown).toContain('Buyer / Seller');
	await page.getByTestId('ndv-close-button').click();
});

test('searching "association" in the node creator lists the four nodes', async () => {
	await page.goto(`${server.url}/workflow/new`);
	await page.getByTestId('canvas-plus-button').click();
	await page.keyboard.type('association');
	const names = page.getByTestId('node-creator-item-name');
	await names.filter({ hasText: 'Delete Label' }).waitFor();
	expect((await names.allInnerTexts()).map((name) => name.trim())).toEqual(
		expect.arrayContaining([
			'Create Association',
			'Link Records',
			'Get Related Objects',
			'Delete Label',
		]),
	);
	await shot('01-node-creator', 'node-creator');
});

test('Link Records: a label picked from the list, executed twice, names the label and the roles', async () => {
	await page.getByTestId('node-creator-item-name').filter({ hasText: 'Link Records' }).click();
	await page.getByText('Link records', { exact: true }).click();
	await page.getByTestId('ndv').waitFor();
	// The search matches what the list shows: object keys too.
	await page.getByTestId('rlc-input').click();
	await page.keyboard.type('custom_objects');
	const items = page.getByTestId('rlc-item');
	await items.filter({ hasText: 'Buyer / Seller' }).waitFor();
	expect((await items.allInnerTexts()).map((text) => text.trim())).toEqual([
		'Buyer / Seller',
		'Owner',
	]);
	await shot('02-label-picker', 'label-picker');
	await items.filter({ hasText: 'Buyer / Seller' }).click();
	// The selected value stays readable: the whole name, not cut mid-word.
	expect(await page.getByTestId('rlc-input').inputValue()).toBe('Buyer / Seller');

	await page.getByTestId('parameter-input-firstRecordId').locator('input').fill('contact_ui_1');
	await page.getByTestId('parameter-input-secondRecordId').locator('input').fill('property_ui_1');
	await page.getByTestId('node-execute-button').click();
	let shown = await textOnceShown(output(), 'created');
	expect(shown).toContain('Buyer / Seller');
	await page.getByTestId('node-execute-button').click();
	shown = await textOnceShown(output(), 'already_linked');
	await output().getByTestId('radio-button-json').click();
	shown = await textOnceShown(output(), '"secondRecordRole"');
	expect(shown).toMatch(/"label": "Buyer \/ Seller"/);
	expect(shown).toMatch(/"firstRecordRole": "Buyer"/);
	expect(shown).toMatch(/"secondRecordRole": "Seller"/);
	await shot('03-link-records-output', 'link-records-output');
});

test('Get Related Objects, "Grouped by Label" (example 03): groups by object and label, with counts', async () => {
	await openWorkflow(server.examples['03-related-objects.json']);
	await executeWorkflow();
	await openNode('Get Related Contacts');
	await output().getByTestId('radio-button-json').click();
	const shown = await textOnceShown(output(), '"groups"');
	expect(shown).toMatch(/"label": "Owner"/);
	expect(shown).toMatch(/"relatedRecordRole": "Owner"/);
	expect(shown).toMatch(/"count": 1/);
	expect(shown).toContain('contact_1002');
	await shot('04-related-grouped', 'related-grouped');
});

test('a record-limit error names the record already linked, and its code', async () => {
	await openWorkflow(RECORD_LIMIT_WORKFLOW.id);
	await executeWorkflow();
	await openNode('Link Second Spouse');
	const shown = await textOnceShown(output(), 'already has 1 link');
	expect(shown).toContain(
		'contact record "contact_ui_a" already has 1 link through label "spouse" ("Spouse"; limit 1 per record): to contact "contact_ui_b"',
	);
	expect(shown).not.toContain('1 links');
	expect(shown).not.toMatch(/first side/);
	await page.getByText('Error code: RECORD_LIMIT', { exact: false }).first().waitFor();
	await shot('05-record-limit-error', 'record-limit-error');
});

test('Delete Label: the rule is visible; "delete" is refused, then "DELETE" names the links in the way', async () => {
	await openWorkflow(DELETE_LABEL_WORKFLOW.id);
	await openNode('Delete Label');
	const parameters = page.getByTestId('node-parameters');
	await textOnceShown(parameters, 'type DELETE in capitals');
	// The picker shows how many links use each label, so the user sees which ones can be deleted.
	await page.getByTestId('rlc-input').click();
	const items = page.getByTestId('rlc-item');
	await items.filter({ hasText: 'Spouse · 1 link' }).waitFor();
	expect((await items.allInnerTexts()).map((text) => text.trim())).toEqual(
		expect.arrayContaining(['Buyer / Seller · 2 links', 'Owner · 1 link', 'Spouse · 1 link']),
	);
	await shot('06-delete-label-parameters', 'delete-label-parameters');
	await page.keyboard.press('Escape');

	await page.getByTestId('node-execute-button').click();
	let shown = await textOnceShown(output(), 'Deleting a label is irreversible');
	expect(shown).toContain('got "delete"');
	await page.getByText('Error code: CONFIRMATION_REQUIRED', { exact: false }).first().waitFor();
	await shot('07-delete-label-lowercase');

	await page.getByTestId('parameter-input-confirmation').locator('input').fill('DELETE');
	await page.getByTestId('node-execute-button').click();
	shown = await textOnceShown(output(), 'is still used by');
	expect(shown).toContain(
		'Label "spouse" is still used by 1 link: contact "contact_ui_a" – contact "contact_ui_b"',
	);
	await page.getByText('Error code: IN_USE', { exact: false }).first().waitFor();
	await shot('08-delete-label-in-use', 'delete-label-in-use');
});
