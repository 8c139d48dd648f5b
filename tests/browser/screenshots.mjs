// screenshots.mjs — the README's pictures of the console, taken from the
// demo (make screenshots):
//
//   docs/console-queue.png   the agents' queue in SLA order (SLA-4)
//   docs/console-ticket.png  a ticket: clocks, thread, an internal note,
//                            the screenshot inline, reply and actions
//
// It runs `soporte demo` (Intecnia, as the README does) on a scratch
// database, gives Ana Torres a password, and signs her in. The note is
// written through the console, as an agent would.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BIN, CHROMIUM, POLICIES, cli, signIn, startServer } from './lib.mjs';

const OUT = process.env.SCREENSHOTS_DIR || 'docs';
const agent = { email: 'ana.torres@intecnia.example', password: 'contraseña-de-la-demo' };

if (!BIN || !POLICIES) {
	console.error('screenshots.mjs: set SOPORTE_BIN and SOPORTE_POLICIES (make screenshots does)');
	process.exit(2);
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'soporte-shots-'));
const db = path.join(dir, 'demo.db');
cli(db, ['demo']);
cli(db, ['agent', 'password', agent.email], `${agent.password}\n`);
const server = await startServer(db);
const browser = await chromium.launch({ executablePath: CHROMIUM });
try {
	const page = await browser.newPage({ viewport: { width: 1200, height: 640 }, locale: 'es-MX' });
	await signIn(page, server.base, agent.email, agent.password);
	await page.screenshot({ path: path.join(OUT, 'console-queue.png') });

	await page.getByRole('link', { name: 'INT-2026-00003' }).or(
		page.locator('tr', { hasText: 'Duda con el cierre de mes' }).getByRole('link'))
		.first().click();
	const reply = page.locator('form[action$="/reply"]');
	await reply.locator('textarea').fill('El cliente usa el catálogo SAT 2026; ' +
		'revisar la cuenta de cierre antes de conectarnos.');
	await reply.getByLabel('Nota interna').check();
	await reply.getByRole('button', { name: 'Enviar' }).click();
	await page.locator('.msg.internal').waitFor();
	await page.locator('figure.shot img').waitFor();
	await page.setViewportSize({ width: 1200, height: 1000 });
	await page.screenshot({ path: path.join(OUT, 'console-ticket.png') });
	console.log(`screenshots: ${OUT}/console-queue.png ${OUT}/console-ticket.png`);
} finally {
	await browser.close();
	await server.stop();
	rmSync(dir, { recursive: true, force: true });
}
