export default async function globalTeardown() {
	await globalThis.__ASSOC_POSTGRES__?.stop();
}
