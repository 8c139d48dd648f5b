// run.mjs — the browser tests: Debian's chromium, driven by
// playwright-core, against `soporte serve` on a fresh database.
//
//   SOPORTE_BIN=build/check/soporte SOPORTE_POLICIES=policies \
//       node tests/browser/run.mjs [NAME...]
//
// (make check-browser does this.) It builds an EASI provider (EASI takes
// requests on the web, INT-2) with a customer on a paid póliza, a second
// customer organization, and tickets already in the queue; starts the
// server on a free port of 127.0.0.1; runs each test in its own browser
// contexts; stops the server, which must exit 0 with no sanitizer
// report. Like tests/run.c it prints "ok"/"FAIL" per test and ends with
// "N passed, N failed". A failed test leaves a screenshot of each of its
// pages in $BROWSER_ARTIFACTS (build/browser).
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BIN, CHROMIUM, POLICIES, cli, daysAgo, makePng, payload, startServer } from './lib.mjs';
import * as flow from './flow.mjs';
import * as xss from './xss.mjs';
import * as csrf from './csrf.mjs';
import * as i18n from './i18n.mjs';

const LIMIT_MS = 120e3;
const ARTIFACTS = process.env.BROWSER_ARTIFACTS || 'build/browser';

export const users = {
	agent: { email: 'ana.torres@easi.example', password: 'contraseña-larga-1' },
	customer: { email: 'luis@ferreterialopez.mx', password: 'clave-del-cliente-1' },
	other: { email: 'sofia.navarro@clinicasantafe.mx', password: 'otra-clave-larga-1' },
	xss: { email: 'xss@example.com', password: 'clave-del-cliente-xss' },
	xssAgent: { email: 'xss.agent@easi.example' },
};

const fields = (tag) => [
	'--field', `module=Nóminas ${tag}`, '--field', 'system=CONTPAQi',
	'--field', 'system_version=15.1', '--field', 'os_version=Windows 11',
	'--field', 'steps=Abrir nóminas y timbrar',
];

// The provider, its people and the queue before the tests.
function fixture(db, dir, png) {
	const shot = path.join(dir, 'captura.png');
	writeFileSync(shot, png);
	cli(db, ['init', '--pack', 'easi']);
	cli(db, ['org', 'add', '--name', 'Ferretería López']);
	cli(db, ['org', 'add', '--name', 'Clínica Santa Fe']);
	cli(db, ['contact', 'add', '--name', 'Luis', '--surname', 'López', '--email',
		users.customer.email, '--org', 'Ferretería López']);
	cli(db, ['contact', 'add', '--name', 'Sofía', '--surname', 'Navarro', '--email',
		users.other.email, '--org', 'Clínica Santa Fe']);
	cli(db, ['agent', 'add', '--name', 'Ana Torres', '--email', users.agent.email]);
	// What people elsewhere typed (a mail's display name, an admin's
	// entry) reaches the pages too: XSS in the directory.
	const org = cli(db, ['org', 'add', '--name', payload('organization')])
		.match(/organization (\d+) added/)[1];
	cli(db, ['contact', 'add', '--name', payload('contact-name'), '--surname',
		payload('contact-surname'), '--email', users.xss.email, '--org', org]);
	cli(db, ['agent', 'add', '--name', payload('agent-name'), '--email',
		users.xssAgent.email]);
	for (const [kind, u] of [['agent', users.agent], ['contact', users.customer],
		['contact', users.other], ['contact', users.xss]])
		cli(db, [kind, 'password', u.email], `${u.password}\n`);
	// BILL-1: a paid póliza of 10 hours that began a week ago, so an
	// attendance that started minutes ago falls inside its term.
	const contract = cli(db, ['contract', 'add', '--org', 'Ferretería López', '--plan',
		'poliza', '--hours', '10', '--starts', daysAgo(7)]).match(/contract (\S+) added/)[1];
	cli(db, ['contract', 'pay', contract, '--ref', 'SPEI 1']);
	// REP-2: the hours report names each contract's organization.
	const xssContract = cli(db, ['contract', 'add', '--org', org, '--plan', 'poliza',
		'--hours', '10', '--starts', daysAgo(7)]).match(/contract (\S+) added/)[1];
	cli(db, ['contract', 'pay', xssContract, '--ref', 'SPEI 2']);
	// SLA-4: the queue already holds complete requests (INT-3), older
	// than the scenario's but less urgent, so their clocks run.
	const queued = [];
	for (const [who, pri, subject] of [
		[users.customer.email, 'medium', 'El reporte de vacaciones sale vacío'],
		[users.other.email, 'low', 'Duda con el cierre del ejercicio'],
		[users.customer.email, 'low', 'Agregar un usuario al sistema'],
	])
		queued.push(cli(db, ['ticket', 'open', '--contact', who, '--channel', 'web',
			'--priority', pri, '--subject', subject, '--description', subject,
			...fields(pri), '--screenshot', shot]).split(' ')[0]);
	// CLO-3: a ticket resolved two weeks ago, past EASI's 3 business days.
	const old = cli(db, ['--now', `${daysAgo(14)}T10:00`, 'ticket', 'open', '--contact',
		users.customer.email, '--channel', 'web', '--priority', 'medium', '--subject',
		'La impresora de recibos no imprime', '--description', 'No imprime',
		...fields('old'), '--screenshot', shot]).split(' ')[0];
	cli(db, ['--now', `${daysAgo(14)}T11:00`, '--as', `agent:${users.agent.email}`,
		'ticket', 'resolve', old, '--reason', 'Se reinstaló el controlador']);
	return { contract, queued, old, shot };
}

async function main() {
	const wanted = process.argv.slice(2);
	if (!BIN || !POLICIES) {
		console.error('run.mjs: set SOPORTE_BIN and SOPORTE_POLICIES (make check-browser does)');
		return 2;
	}
	if (!existsSync(CHROMIUM)) {
		console.error(`run.mjs: no browser at ${CHROMIUM}; run: bash scripts/setup.sh`);
		return 2;
	}
	const started = Date.now();
	const dir = mkdtempSync(path.join(os.tmpdir(), 'soporte-browser-'));
	const db = path.join(dir, 'browser.db');
	const browser = await chromium.launch({ executablePath: CHROMIUM });
	let server = null, passed = 0, failed = 0;
	const watchdog = setTimeout(() => {
		console.error(`run.mjs: still running after ${LIMIT_MS / 1000} s; stopping`);
		process.exit(1);
	}, LIMIT_MS);
	try {
		const png = await makePng(browser);
		const data = fixture(db, dir, png);
		server = await startServer(db);
		const env = { base: server.base, db, browser, png, users, ...data };
		for (const t of [...flow.tests, ...xss.tests, ...csrf.tests, ...i18n.tests]) {
			if (wanted.length && !wanted.some((w) => t.name.includes(w)))
				continue;
			const contexts = [];
			const t0 = Date.now();
			env.context = async (opts = {}) => {
				// Spanish, as the providers' customers and agents read
				// it: pages before sign-in follow the browser's language.
				const c = await browser.newContext({ viewport: { width: 1200, height: 900 },
					locale: 'es-MX', ...opts });
				c.setDefaultTimeout(10e3);
				contexts.push(c);
				return c;
			};
			try {
				await t.fn(env);
				passed++;
				console.log(`ok   browser/${t.name} (${Date.now() - t0} ms)`);
			} catch (e) {
				failed++;
				console.log(`\n    ${e.stack || e}\nFAIL browser/${t.name}`);
				mkdirSync(ARTIFACTS, { recursive: true });
				let n = 0;
				for (const c of contexts)
					for (const p of c.pages())
						await p.screenshot({ path: path.join(ARTIFACTS,
							`${t.name}-${n++}.png`), fullPage: true }).catch(() => {});
			}
			for (const c of contexts)
				await c.close();
		}
	} catch (e) {
		failed++;
		console.log(`\n    ${e.stack || e}\nFAIL browser/setup`);
	} finally {
		if (server) {
			const r = await server.stop();
			if (r.code !== 0 || /AddressSanitizer|LeakSanitizer|runtime error:/.test(r.stderr)) {
				failed++;
				console.log(`\n    soporte serve exited with ${r.code ?? r.signal}:\n${r.stderr}` +
					'\nFAIL browser/server_exits_cleanly');
			}
		}
		await browser.close();
		clearTimeout(watchdog);
		rmSync(dir, { recursive: true, force: true });
	}
	console.log(`${passed} passed, ${failed} failed (browser, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
	return failed ? 1 : 0;
}

process.exitCode = await main();
