/**
 * playwright-core, loaded with require so the suite type-checks before the package is installed: only the
 * few calls the suite makes, typed here (they match playwright-core 1.x).
 */
export interface Locator {
	filter(options: { hasText: string | RegExp }): Locator;
	first(): Locator;
	getByTestId(id: string): Locator;
	locator(selector: string): Locator;
	waitFor(options?: { timeout?: number }): Promise<void>;
	innerText(): Promise<string>;
	allInnerTexts(): Promise<string[]>;
	inputValue(): Promise<string>;
	click(): Promise<void>;
	dblclick(): Promise<void>;
	fill(value: string): Promise<void>;
}

export interface Page {
	goto(url: string): Promise<unknown>;
	getByTestId(id: string): Locator;
	getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
	screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
	setDefaultTimeout(ms: number): void;
	keyboard: { type(text: string): Promise<void>; press(key: string): Promise<void> };
}

export interface BrowserContext {
	newPage(): Promise<Page>;
	request: {
		post(
			url: string,
			options: { data: unknown },
		): Promise<{ status(): number; text(): Promise<string> }>;
	};
}

export interface Browser {
	newContext(options: { viewport: { width: number; height: number } }): Promise<BrowserContext>;
	close(): Promise<void>;
}

export interface PlaywrightCore {
	chromium: {
		launch(options: {
			executablePath: string;
			args: string[];
			headless: boolean;
		}): Promise<Browser>;
	};
	selectors: { setTestIdAttribute(name: string): void };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const playwright = require('playwright-core') as PlaywrightCore;
