// lib.mjs — what the browser tests share: the soporte binary and a
// server on loopback, signing in, reading the pages, and a screenshot
// made by the browser itself.
import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import assert from 'node:assert/strict';

export const BIN = process.env.SOPORTE_BIN;
export const POLICIES = process.env.SOPORTE_POLICIES;
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// One soporte command on `db`; its standard output. Throws with the
// command's stderr when it fails.
export function cli(db, args, input) {
	try {
		return execFileSync(BIN, ['--db', db, '--policies', POLICIES, ...args], {
			input: input ?? '',
			encoding: 'utf8',
			stdio: ['pipe', 'pipe', 'pipe'],
		});
	} catch (e) {
		throw new Error(`soporte ${args.join(' ')}: ${e.stderr || e.message}`);
	}
}

async function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

// `soporte serve` on a free port of 127.0.0.1, once it answers
// /healthz. Timers run at start and then hourly: the tests see the
// clocks as the pages compute them.
export async function startServer(db) {
	const port = await freePort();
	const proc = spawn(BIN, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`,
		'--tick', '3600'], { stdio: ['ignore', 'ignore', 'pipe'] });
	let stderr = '';
	proc.stderr.on('data', (d) => { stderr += d; });
	const exited = new Promise((resolve) => proc.on('exit', (code, signal) =>
		resolve({ code, signal })));
	const base = `http://127.0.0.1:${port}`;
	for (let i = 0; i < 200; i++) {
		if (proc.exitCode !== null)
			break;
		try {
			if ((await fetch(`${base}/healthz`)).ok)
				return {
					base,
					// SIGTERM: a graceful stop must exit 0, and a
					// sanitizer's report is a failure too.
					async stop() {
						proc.kill('SIGTERM');
						const r = await exited;
						return { ...r, stderr };
					},
				};
		} catch { /* not listening yet */ }
		await new Promise((r) => setTimeout(r, 25));
	}
	proc.kill('SIGKILL');
	throw new Error(`soporte serve did not answer /healthz on ${base}:\n${stderr}`);
}

// Signs in through the form and lands on the console.
export async function signIn(page, base, email, password) {
	await page.goto(`${base}/login`);
	await page.getByLabel('Correo').fill(email);
	await page.getByLabel('Contraseña').fill(password);
	await page.getByRole('button', { name: 'Entrar' }).click();
	await page.waitForURL(`${base}/console`);
}

// The folio of the ticket page the browser is on.
export function folioOf(page) {
	const m = new URL(page.url()).pathname.match(/^\/console\/t\/([^/]+)$/);
	assert.ok(m, `on a ticket page, not ${page.url()}`);
	return decodeURIComponent(m[1]);
}

// "Póliza EASI-C-2026-0001: 9 h 10 min disponibles" -> 550.
export async function balanceMinutes(page) {
	const t = await page.locator('#balance').textContent();
	const m = t.match(/(\d+) h (\d+) min disponibles/);
	assert.ok(m, `a balance in "${t}"`);
	return Number(m[1]) * 60 + Number(m[2]);
}

// The ticket's state, the first word of the line under its title.
export async function stateOf(page) {
	const t = await page.locator('main > p.meta').first().textContent();
	return t.split(' · ')[0].trim();
}

// A real PNG: the browser photographs a small error dialog.
export async function makePng(browser, text = 'Error 0x80004005: no se pudo timbrar') {
	const page = await browser.newPage({ viewport: { width: 480, height: 200 } });
	await page.setContent(`<div id="d" style="font:14px sans-serif;width:420px;
		border:1px solid #888;background:#f0f0f0"><div style="background:#2b579a;
		color:#fff;padding:4px 8px">CONTPAQi Nóminas</div><p style="padding:8px 12px;
		margin:0">⚠ ${text}</p><p style="text-align:right;margin:0;padding:8px">
		<button>Aceptar</button></p></div>`);
	const png = await page.locator('#d').screenshot({ type: 'png' });
	await page.close();
	return png;
}

// The date `days` ago, YYYY-MM-DD, for contracts that started before
// the attendances logged against them.
export function daysAgo(days) {
	return new Date(Date.now() - days * 86400e3).toISOString().slice(0, 10);
}

// What an attacker types: it closes the elements text could sit in, then
// tries a handler, a script and an SVG. `tag` says which field it came
// from when it does run. Without '/' for file names.
export function payload(tag) {
	return `XSS[${tag}]</title></textarea><img src=x onerror=window.__xss='${tag}'>` +
		`<script>window.__xss='${tag}'</script>"'><svg onload=alert('${tag}')>`;
}

export function payloadNoSlash(tag) {
	return `XSS[${tag}]"'><img src=x onerror=window.__xss='${tag}'>` +
		`<svg onload=alert('${tag}')>`;
}
