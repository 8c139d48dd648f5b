// xss.mjs — every text a customer or an agent can type, and every name
// in the directory, comes back on the pages as text that runs nothing.
//
// The pages' Content-Security-Policy would stop an inline script even
// if escaping failed, so these contexts bypass it: what is tested here
// is the escaping itself (csrf.mjs checks the policy is sent).
import assert from 'node:assert/strict';

import { cli, folioOf, payload, payloadNoSlash, signIn } from './lib.mjs';

// A page in a context without CSP that records dialogs and errors.
async function watchedPage(env) {
	const page = await (await env.context({ bypassCSP: true })).newPage();
	page.seen = [];
	page.on('dialog', (d) => { page.seen.push(`dialog: ${d.message()}`); d.dismiss(); });
	page.on('pageerror', (e) => page.seen.push(`page error: ${e.message}`));
	page.on('console', (m) => {
		// The browser reports a page answered 4xx as a console error;
		// anything else (a failed <img src=x>, a missing icon) counts.
		const at = m.location().url;
		if (m.type() === 'error' && at !== page.url())
			page.seen.push(`console: ${m.text()} at ${at}`);
	});
	return page;
}

// Nothing ran, nothing was injected, and each payload is on the page
// as the text that was typed. (An injected <svg> would carry a handler,
// and its payload would be missing from the text; the reports draw
// charts as inline SVG of their own, so <svg> is not counted.)
async function assertInert(page, tags, texts = []) {
	await page.waitForLoadState('load');
	const r = await page.evaluate(() => ({
		xss: window.__xss,
		// soporte's own scripts come from /static/ (CSP forbids
		// inline ones); any other <script> was injected.
		scripts: [...document.scripts].filter((e) =>
			!/^\/static\/[a-z0-9-]+\.js$/.test(e.getAttribute('src') || '')).length,
		jslinks: [...document.querySelectorAll('[href], [src]')].filter((e) =>
			/^\s*(javascript|data|vbscript):/i.test(e.getAttribute('href') ||
				e.getAttribute('src'))).length,
		imgx: document.querySelectorAll('img[src="x"]').length,
		handlers: [...document.querySelectorAll('*')].filter((e) =>
			[...e.attributes].some((a) => a.name.startsWith('on'))).length,
		text: document.body.innerText,
	}));
	const where = new URL(page.url()).pathname;
	assert.equal(r.xss, undefined, `a payload ran on ${where}`);
	assert.deepEqual(page.seen, [], `dialogs or errors on ${where}`);
	assert.equal(r.scripts, 0, `a <script> on ${where}`);
	assert.equal(r.imgx, 0, `an <img src=x> on ${where}`);
	assert.equal(r.handlers, 0, `an on* attribute on ${where}`);
	assert.equal(r.jslinks, 0, `a javascript: or data: link on ${where}`);
	for (const t of tags)
		assert.ok(r.text.includes(payload(t)), `${t} shown as text on ${where}`);
	for (const t of texts)
		assert.ok(r.text.includes(t), `${t} shown as text on ${where}`);
}

const fieldNames = ['steps', 'module', 'system', 'system_version', 'os_version'];

async function everyFieldInert(env) {
	const { base, users } = env;

	// First, the check itself: the payload runs when not escaped.
	const control = await watchedPage(env);
	await control.setContent(`<body>${payload('control')}</body>`);
	await control.waitForFunction(() => window.__xss === 'control');
	await control.close();

	// The customer (whose own name and organization's are payloads
	// too) fills every field of the portal's form.
	const customer = await watchedPage(env);
	await signIn(customer, base, users.xss.email, users.xss.password);
	await assertInert(customer, []);
	await customer.goto(`${base}/console/new`);
	await customer.getByLabel('Asunto').fill(payload('subject'));
	await customer.getByLabel('Prioridad').selectOption('low');
	await customer.getByLabel('Descripción').fill(payload('description'));
	for (const f of fieldNames)
		await customer.locator(`[name=${f}]`).fill(payload(f));
	// INT-3: a "screenshot" that is a script comes back refused, with
	// everything typed still in the form, escaped into its attributes.
	await customer.locator('input[type=file]').setInputFiles({
		name: 'captura.png', mimeType: 'image/png',
		buffer: Buffer.from(payload('file-bytes')) });
	await customer.getByRole('button', { name: 'Enviar' }).click();
	await customer.getByText('Las capturas deben ser PNG o JPG.').waitFor();
	await assertInert(customer, []);
	assert.equal(await customer.getByLabel('Asunto').inputValue(), payload('subject'));
	assert.equal(await customer.getByLabel('Descripción').inputValue(), payload('description'));
	for (const f of fieldNames)
		assert.equal(await customer.locator(`[name=${f}]`).inputValue(), payload(f));
	assert.equal(await customer.getByLabel('Prioridad').inputValue(), 'low',
		'the priority chosen, not the default');
	// A real screenshot whose name is a payload. (Browsers send a '"'
	// in a file name as %22; soporte keeps the name as it was.)
	const filename = `${payloadNoSlash('filename')}.png`;
	const received = filename;
	await customer.locator('input[type=file]').setInputFiles({
		name: filename, mimeType: 'image/png', buffer: env.png });
	await customer.getByRole('button', { name: 'Enviar' }).click();
	await customer.waitForURL(/\/console\/t\/EASI-/);
	const folio = folioOf(customer);
	await assertInert(customer, ['subject', 'description', 'contact-name', 'organization',
		...fieldNames], [received]);
	assert.match(await customer.locator('main > p.meta').first().textContent(), /prioridad low/);
	cli(env.db, ['ticket', 'assign', folio, '--agent', users.xssAgent.email]);

	// The agent: the queue, the ticket, then a reply and a note.
	const agent = await watchedPage(env);
	await signIn(agent, base, users.agent.email, users.agent.password);
	await assertInert(agent, ['subject']);
	await agent.getByRole('link', { name: folio }).click();
	await assertInert(agent, ['subject', 'description', 'contact-name', 'organization',
		'agent-name', ...fieldNames], [received]);
	assert.equal(await agent.locator('figure.shot img').getAttribute('alt'), received);
	const reply = agent.locator('form[action$="/reply"]');
	await reply.locator('textarea').fill(payload('reply'));
	await reply.getByRole('button', { name: 'Enviar' }).click();
	await agent.getByText(payload('reply')).waitFor();
	await reply.locator('textarea').fill(payload('internal-note'));
	await reply.getByLabel('Nota interna').check();
	await reply.getByRole('button', { name: 'Enviar' }).click();
	await agent.getByText(payload('internal-note')).waitFor();
	await assertInert(agent, ['subject', 'reply', 'internal-note', 'agent-name']);
	// An error page repeats what was posted (here a modality no form
	// offers): it is text there too.
	await agent.evaluate((m) => {
		const f = document.querySelector('form[action$="/attend"]');
		f.querySelector('[name=minutes]').value = '30';
		const o = document.createElement('option');
		o.value = o.textContent = m;
		f.querySelector('[name=modality]').append(o);
		f.querySelector('[name=modality]').value = m;
	}, payload('modality'));
	await agent.locator('form[action$="/attend"] button').click();
	await agent.locator('p.err').waitFor();
	await assertInert(agent, []);
	assert.ok((await agent.locator('p.err').textContent()).includes('XSS[modality]</title>'));

	// REP-1, REP-2: the reports name the organization in a table and
	// in an SVG chart; the months asked for come back in the form.
	await agent.goto(`${base}/console/reports`);
	await assertInert(agent, ['organization']);
	assert.ok(await agent.locator('svg text', { hasText: 'XSS[organization]' }).count() > 0,
		'the chart names it too');
	await agent.goto(`${base}/console/reports?from=${encodeURIComponent(payload('from'))}` +
		`&to=${encodeURIComponent(payload('to'))}`);
	await assertInert(agent, []);

	// The customer's list and ticket: the reply as text, no note.
	await customer.goto(`${base}/console`);
	await assertInert(customer, ['subject']);
	await customer.getByRole('link', { name: folio }).click();
	await assertInert(customer, ['subject', 'reply']);
	assert.equal(await customer.getByText('XSS[internal-note]').count(), 0);

	// INT-4: a second request on the same words. The suggestions drawn
	// while the subject is typed (suggest.js), and the likely duplicate
	// shown when the form is sent, name the first one as text.
	await customer.goto(`${base}/console/new`);
	await customer.getByLabel('Asunto').pressSequentially(payload('subject-2'));
	await customer.locator('#suggest li', { hasText: 'XSS[subject]' }).waitFor();
	await assertInert(customer, []);
	assert.ok((await customer.locator('#suggest').innerText()).includes(payload('subject')));
	await customer.getByLabel('Descripción').fill('Otra vez');
	await customer.locator('input[type=file]').setInputFiles({
		name: 'captura.png', mimeType: 'image/png', buffer: env.png });
	await customer.getByRole('button', { name: 'Enviar' }).click();
	await customer.locator('#duplicates').waitFor();
	await assertInert(customer, ['subject']);
}

// INT-7: an article of the knowledge base, written by an agent in the
// editor, read by anyone at /kb, and offered to a customer as a subject
// is typed.
async function knowledgeBaseInert(env) {
	const { base, users } = env;
	const agent = await watchedPage(env);
	await signIn(agent, base, users.agent.email, users.agent.password);
	await agent.goto(`${base}/console/kb/new`);
	await agent.getByLabel('Identificador (slug)').fill('xss-prueba');
	await agent.getByLabel('Categoría').fill(`XSS[cat]<svg onload=alert(1)>`);
	await agent.getByLabel('Título').fill(payload('kb-title'));
	const body = [
		payload('kb-body'),
		'',
		`[un enlace](javascript:window.__xss='kb-link') y <a href="javascript:window.__xss=1">otro</a>`,
		'',
		`![imagen](x" onerror="window.__xss='kb-image') **${payload('kb-bold')}**`,
		'',
		`* ${payload('kb-item')}`,
		'',
		'`<script>window.__xss="kb-code"</script>`',
	].join('\n');
	await agent.getByLabel('Texto (Markdown)').fill(body);
	// A category is an id: the editor comes back with the error and
	// everything typed, escaped into its attributes and textarea.
	await agent.getByRole('button', { name: 'Guardar' }).click();
	await agent.locator('p.err').waitFor();
	await assertInert(agent, []);
	assert.equal(await agent.getByLabel('Categoría').inputValue(), 'XSS[cat]<svg onload=alert(1)>');
	assert.equal(await agent.getByLabel('Título').inputValue(), payload('kb-title'));
	assert.equal(await agent.getByLabel('Texto (Markdown)').inputValue(), body);
	await agent.getByLabel('Categoría').fill('seguridad');
	await agent.getByRole('button', { name: 'Guardar' }).click();
	await agent.waitForURL(/\/kb\/xss-prueba/);
	// Markdown reads the payloads' "__" as emphasis, so the body's text
	// is checked up to there, and the code span whole.
	const bodyText = ['XSS[kb-body]</title></textarea><img src=x onerror=window.',
		'XSS[kb-item]</title></textarea><img src=x onerror=window.',
		'<script>window.__xss="kb-code"</script>'];
	await assertInert(agent, ['kb-title'], bodyText);

	// Anyone, signed out: the list, a search (whose words come back in
	// the search box), the article.
	const anyone = await watchedPage(env);
	await anyone.goto(`${base}/kb`);
	await assertInert(anyone, ['kb-title']);
	await anyone.goto(`${base}/kb?q=${encodeURIComponent(payload('kb-search'))}`);
	await assertInert(anyone, []);
	assert.equal(await anyone.getByLabel('Buscar').inputValue(), payload('kb-search'));
	await anyone.goto(`${base}/kb/xss-prueba?lang=es`);
	await assertInert(anyone, ['kb-title'], bodyText);

	// The agent's editor, filled from the stored article.
	await agent.getByRole('link', { name: 'Editar' }).click();
	await assertInert(agent, []);
	assert.equal(await agent.getByLabel('Título').inputValue(), payload('kb-title'));
	assert.equal(await agent.getByLabel('Texto (Markdown)').inputValue(), body);

	// A customer typing a subject is offered it, as text.
	const customer = await watchedPage(env);
	await signIn(customer, base, users.customer.email, users.customer.password);
	await customer.goto(`${base}/console/new`);
	await customer.getByLabel('Asunto').pressSequentially('XSS kb-title onerror');
	await customer.locator('#suggest li', { hasText: 'XSS[kb-title]' }).waitFor();
	await assertInert(customer, [], [payload('kb-title')]);
}

export const tests = [
	{ name: 'xss_in_every_field_renders_inert', fn: everyFieldInert },
	{ name: 'int7_xss_in_the_knowledge_base_renders_inert', fn: knowledgeBaseInert },
];
