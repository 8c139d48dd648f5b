// i18n.mjs — an agent whose language is English, in an English
// browser: the sign-in page follows the browser, the console follows
// the agent, and so does the text web/attend.js shows.
import assert from 'node:assert/strict';

import { cli } from './lib.mjs';

async function englishAgentConsole(env) {
	const { base } = env;
	const email = 'grace.hopper@easi.example', password = 'contraseña-larga-en';
	cli(env.db, ['agent', 'add', '--name', 'Grace Hopper', '--email', email]);
	cli(env.db, ['agent', 'password', email], `${password}\n`);
	cli(env.db, ['agent', 'set', email, '--lang', 'en']);
	const page = await (await env.context({ locale: 'en-US' })).newPage();

	await page.goto(`${base}/login`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL(`${base}/console`);
	assert.equal(await page.locator('h1').textContent(), 'Queue');
	assert.equal(await page.locator('html').getAttribute('lang'), 'en');

	await page.goto(`${base}/console/t/${env.queued[0]}`);
	await page.getByRole('heading', { name: 'Reply' }).waitFor();
	await page.getByLabel('Internal note').waitFor();
	assert.match(await page.locator('.msg .meta').first().textContent(),
		/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M · /);
	// BILL-1..8: the live preview, in the agent's words.
	const attend = page.locator('form[action$="/attend"]');
	await attend.getByLabel('Mode').selectOption({ label: 'on site (local)' });
	await attend.getByLabel('Minutes').fill('30');
	await page.locator('#attend-preview', { hasText: /^Would debit \d+ h \d+ min/ }).waitFor();
	assert.match(await page.locator('#attend-preview').textContent(), /on site counts x4\/3/);
}

export const tests = [
	{ name: 'i18n_english_agent_console_and_live_preview', fn: englishAgentConsole },
];
