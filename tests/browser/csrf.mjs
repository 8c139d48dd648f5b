// csrf.mjs — every form that changes something (reply, act, attend,
// the portal's new ticket, the knowledge base's editor, logout) carries
// the session's token; a post without it, with a wrong one or with
// another session's is refused and changes nothing. Each refusal is
// followed by the same post with the right token, which works: the
// refusal was the token's.
import assert from 'node:assert/strict';

import { balanceMinutes, cli, signIn, stateOf } from './lib.mjs';

const csrfOf = (page) => page.locator('input[name=csrf]').first().getAttribute('value');

// The four ways to get the token wrong.
function wrongTokens(mine, theirs) {
	const flipped = (mine[0] === 'a' ? 'b' : 'a') + mine.slice(1);
	return [
		['without', undefined],
		['empty', ''],
		['same length, one character off', flipped],
		["another session's", theirs],
	];
}

async function post(page, url, fields, multipart) {
	const r = await page.request.post(url, {
		...(multipart ? { multipart: fields } : { form: fields }),
		maxRedirects: 0,
	});
	return r.status();
}

// What the agent sees of a ticket: messages, state, balance.
async function snapshot(page, url) {
	await page.goto(url);
	return {
		messages: await page.locator('.msg').count(),
		state: await stateOf(page),
		balance: await balanceMinutes(page),
	};
}

async function formsRefuseWrongTokens(env) {
	const { base, users } = env;
	const agent = await (await env.context()).newPage();
	const customer = await (await env.context()).newPage();

	// A fresh, complete request of the customer's, on its póliza.
	const folio = cli(env.db, ['ticket', 'open', '--contact', users.customer.email,
		'--channel', 'web', '--priority', 'medium', '--subject', 'Prueba de CSRF',
		'--description', 'Prueba', '--field', 'module=Bancos', '--field', 'system=CONTPAQi',
		'--field', 'system_version=15', '--field', 'os_version=Windows 10',
		'--field', 'steps=Abrir bancos', '--screenshot', env.shot]).split(' ')[0];
	const page = `${base}/console/t/${folio}`;

	await signIn(customer, base, users.customer.email, users.customer.password);
	const theirs = await csrfOf(customer);
	await signIn(agent, base, users.agent.email, users.agent.password);
	const mine = await csrfOf(agent);
	assert.notEqual(mine, theirs, 'a token per session');
	// The session cookie is out of scripts' and other sites' reach, and
	// so is the sign-in form's, which only /login sees.
	const cookies = await agent.context().cookies();
	const cookie = cookies.find((c) => c.name === 'sp_session');
	assert.ok(cookie, 'a session cookie');
	assert.ok(cookie.httpOnly);
	assert.equal(cookie.sameSite, 'Strict');
	const login = cookies.find((c) => c.name === 'sp_login');
	assert.ok(login, 'the sign-in form\'s cookie');
	assert.ok(login.httpOnly);
	assert.equal(login.sameSite, 'Strict');
	assert.equal(login.path, '/login');
	// The pages forbid inline script and framing (what xss.mjs
	// bypasses to test the escaping alone).
	const csp = (await agent.request.get(page)).headers()['content-security-policy'];
	assert.match(csp, /default-src 'self'/);
	assert.match(csp, /frame-ancestors 'none'/);

	const forms = [
		['reply', `${page}/reply`, { body: 'Mensaje sin token' }],
		['act', `${page}/act`, { action: 'wait_customer' }],
		['attend', `${page}/attend`, { minutes: '30', modality: 'remote' }],
	];
	const before = await snapshot(agent, page);
	for (const [name, url, fields] of forms) {
		for (const [how, token] of wrongTokens(mine, theirs)) {
			const f = token === undefined ? fields : { ...fields, csrf: token };
			assert.equal(await post(agent, url, f), 403, `${name}, token ${how}`);
		}
		assert.deepEqual(await snapshot(agent, page), before, `${name} changed nothing`);
	}
	// The same posts with the token: each works.
	const reply = await post(agent, `${page}/reply`, { ...forms[0][2], csrf: mine });
	assert.equal(reply, 303);
	const attend = await post(agent, `${page}/attend`, { ...forms[2][2], csrf: mine });
	assert.equal(attend, 303);
	const act = await post(agent, `${page}/act`, { ...forms[1][2], csrf: mine });
	assert.equal(act, 303);
	const after = await snapshot(agent, page);
	assert.equal(after.state, 'waiting_customer');
	assert.ok(after.balance < before.balance);
	assert.equal(after.messages, before.messages + 2, 'the reply and the consumption report');

	// The portal's new ticket (multipart): nothing is opened.
	const count = async () => {
		await customer.goto(`${base}/console`);
		return customer.locator('table tr:has(td)').count();
	};
	const n = await count();
	const ticket = { subject: 'Sin token', category: 'soporte', priority: 'high',
		description: 'Sin token', module: 'Bancos', system: 'CONTPAQi',
		system_version: '15', os_version: 'Windows 10', steps: 'Abrir',
		screenshot: { name: 'e.png', mimeType: 'image/png', buffer: env.png } };
	for (const [how, token] of wrongTokens(theirs, mine)) {
		const f = token === undefined ? ticket : { ...ticket, csrf: token };
		assert.equal(await post(customer, `${base}/console/new`, f, true), 403,
			`new ticket, token ${how}`);
	}
	assert.equal(await count(), n, 'no ticket was opened');
	assert.equal(await post(customer, `${base}/console/new`, { ...ticket, csrf: theirs },
		true), 303);
	assert.equal(await count(), n + 1);

	// INT-7: the knowledge base's editor; no article appears.
	const article = { version: '0', slug: 'csrf-probe', lang: 'es', category: 'general',
		title: 'Sin token', body: 'Sin token' };
	for (const [how, token] of wrongTokens(mine, theirs)) {
		const f = token === undefined ? article : { ...article, csrf: token };
		assert.equal(await post(agent, `${base}/console/kb/save`, f), 403,
			`knowledge base, token ${how}`);
	}
	assert.equal((await agent.request.get(`${base}/kb/csrf-probe?lang=es`)).status(), 404);
	assert.equal(await post(agent, `${base}/console/kb/save`, { ...article, csrf: mine }), 303);
	assert.equal((await agent.request.get(`${base}/kb/csrf-probe?lang=es`)).status(), 200);

	// Login CSRF: a sign-in post without the form's token, or with
	// another form's, signs no one in.
	const fresh = await (await env.context()).newPage();
	await fresh.goto(`${base}/login`);
	const formToken = await csrfOf(fresh);
	const credentials = { email: users.customer.email, password: users.customer.password };
	for (const [how, token] of [['without', undefined], ['empty', ''],
		['one character off', (formToken[0] === 'a' ? 'b' : 'a') + formToken.slice(1)],
		["another form's", mine]]) {
		const f = token === undefined ? credentials : { ...credentials, csrf: token };
		assert.equal(await post(fresh, `${base}/login`, f), 403, `login, token ${how}`);
	}
	assert.equal((await fresh.context().cookies()).filter((c) => c.name === 'sp_session').length, 0);
	// Each refusal came with a new form (and cookie): the form as it
	// is now signs in.
	await fresh.goto(`${base}/login`);
	assert.equal(await post(fresh, `${base}/login`, { ...credentials,
		csrf: await csrfOf(fresh) }), 303);

	// Signing out: the session survives every wrong token.
	for (const [how, token] of wrongTokens(mine, theirs)) {
		const f = token === undefined ? {} : { csrf: token };
		assert.equal(await post(agent, `${base}/logout`, f), 403, `logout, token ${how}`);
	}
	assert.equal((await agent.goto(`${base}/console`)).url(), `${base}/console`);
	assert.equal(await post(agent, `${base}/logout`, { csrf: mine }), 303);
	await agent.goto(`${base}/console`);
	assert.equal(agent.url(), `${base}/login`);
}

export const tests = [
	{ name: 'csrf_every_form_refuses_a_missing_or_wrong_token', fn: formsRefuseWrongTokens },
];
