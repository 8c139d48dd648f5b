// flow.mjs — a request from the portal to its confirmation, in two
// browsers at once: the customer's and the agent's.
import assert from 'node:assert/strict';

import { balanceMinutes, folioOf, signIn, stateOf } from './lib.mjs';

// INT-3, SLA-4, BILL-1, BILL-9, CLO-1, PRIV-2.
async function customerTicketToConfirmation(env) {
	const { base, users } = env;
	const customer = await (await env.context()).newPage();
	const agent = await (await env.context()).newPage();

	// INT-3: the customer raises a ticket with everything EASI asks
	// for, a real screenshot among it, and lands on its page.
	await signIn(customer, base, users.customer.email, users.customer.password);
	await customer.getByRole('link', { name: 'Levantar un ticket' }).click();
	await customer.waitForURL(`${base}/console/new`);
	await customer.getByLabel('Asunto').fill('No timbra la nómina de la quincena');
	await customer.getByLabel('Categoría').selectOption('soporte');
	await customer.getByLabel('Prioridad').selectOption('high');
	await customer.getByLabel('Descripción').fill('Al timbrar sale el error 0x80004005.');
	await customer.locator('[name=steps]').fill('Nóminas > Timbrar > Aceptar');
	await customer.locator('[name=module]').fill('Nóminas');
	await customer.locator('[name=system]').fill('CONTPAQi');
	await customer.locator('[name=system_version]').fill('15.1.1');
	await customer.locator('[name=os_version]').fill('Windows 11 Pro');
	await customer.locator('input[type=file]').setInputFiles({
		name: 'error-timbrado.png', mimeType: 'image/png', buffer: env.png });
	await customer.getByRole('button', { name: 'Enviar' }).click();
	await customer.waitForURL(/\/console\/t\/EASI-/);
	const folio = folioOf(customer);
	assert.equal(await stateOf(customer), 'new', 'complete, so not waiting (INT-3)');
	await customer.getByText('Al timbrar sale el error 0x80004005.').waitFor();

	// SLA-4: the agent finds it at the top of the queue, above older
	// tickets of lower priority, and opens it.
	await signIn(agent, base, users.agent.email, users.agent.password);
	const rows = agent.locator('table tr:has(td)');
	assert.ok(await rows.count() >= env.queued.length + 1, 'others are queued too');
	assert.equal(await rows.first().locator('td').first().textContent(), folio);
	assert.equal(await rows.first().locator('td').nth(1).textContent(), 'high');
	for (const older of env.queued)
		assert.ok(await agent.locator(`table a:text-is("${older}")`).count() === 1,
			`${older} is in the queue below`);
	await rows.first().getByRole('link', { name: folio }).click();
	await agent.waitForURL(`${base}/console/t/${folio}`);

	// The screenshot is in the page, decoded from the bytes sent.
	const img = agent.locator('figure.shot img');
	await img.waitFor();
	assert.ok(await img.evaluate((e) => e.complete && e.naturalWidth > 0),
		'the screenshot renders');
	const served = await agent.request.get(new URL(await img.getAttribute('src'), base).href);
	assert.equal(served.headers()['content-type'], 'image/png');
	assert.ok(Buffer.compare(await served.body(), env.png) === 0, 'the same bytes');

	// INT-3: what the customer gave for each field EASI requires.
	const fields = agent.locator('dl.fields');
	for (const [label, value] of [['Pasos para reproducir el error', 'Nóminas > Timbrar > Aceptar'],
		['Módulo', 'Nóminas'], ['Sistema', 'CONTPAQi'], ['Versión del sistema', '15.1.1'],
		['Versión del sistema operativo', 'Windows 11 Pro']])
		assert.equal(await fields.locator(`dt:text-is("${label}") + dd`).textContent(), value);

	// A reply to the customer, and a note the customer never sees.
	const before = await balanceMinutes(agent);
	const reply = agent.locator('form[action$="/reply"]');
	await reply.locator('textarea').fill('Revisamos el certificado de sello digital.');
	await reply.getByRole('button', { name: 'Enviar' }).click();
	await agent.getByText('Revisamos el certificado de sello digital.').waitFor();
	assert.equal(await stateOf(agent), 'open');
	await reply.locator('textarea').fill('El CSD vence el viernes; avisar a cobranza.');
	await reply.getByLabel('Nota interna').check();
	await reply.getByRole('button', { name: 'Enviar' }).click();
	await agent.locator('.msg.internal', { hasText: 'El CSD vence el viernes' }).waitFor();

	// BILL-1, BILL-9: an attendance of 30 minutes; the page shows the
	// consumption report, and the balance drops by what it debited.
	const attend = agent.locator('form[action$="/attend"]');
	await attend.getByLabel('Minutos').fill('30');
	await attend.getByLabel('Modalidad').selectOption('remote');
	await attend.getByRole('button', { name: 'Registrar' }).click();
	const report = agent.locator('.msg', { hasText: 'Reporte de consumo' });
	await report.waitFor();
	const debited = Number((await report.textContent()).match(/Descontado: (\d+) min/)[1]);
	assert.ok(debited >= 30, `30 remote minutes debit at least 30, not ${debited}`);
	assert.equal(await balanceMinutes(agent), before - debited);

	// The customer sees the reply and the report, not the note.
	await customer.reload();
	await customer.getByText('Revisamos el certificado de sello digital.').waitFor();
	await customer.locator('.msg', { hasText: 'Reporte de consumo' }).waitFor();
	assert.equal(await customer.getByText('El CSD vence el viernes').count(), 0,
		'internal notes stay internal');
	assert.equal(await customer.locator('#balance, form[action$="/attend"]').count(), 0);

	// CLO-1: the agent resolves; the customer confirms and it closes.
	await agent.getByRole('button', { name: 'Resolver' }).click();
	await agent.waitForURL(`${base}/console/t/${folio}`);
	assert.equal(await stateOf(agent), 'resolved');
	await customer.reload();
	assert.equal(await stateOf(customer), 'resolved');
	await customer.getByRole('button', { name: 'Confirmar solución' }).click();
	await customer.waitForURL(`${base}/console/t/${folio}`);
	assert.equal(await stateOf(customer), 'closed');
	await customer.getByRole('link', { name: 'Mis tickets' }).click();
	const mine = customer.locator('tr', { has: customer.getByRole('link', { name: folio }) });
	assert.equal(await mine.locator('td').nth(1).textContent(), 'closed');
	// The queue holds active tickets only; it is gone from it.
	await agent.goto(`${base}/console`);
	assert.equal(await agent.locator(`table a:text-is("${folio}")`).count(), 0);
}

// PRIV-2: another organization's customer sees neither the ticket nor
// its screenshot, and its list does not name it.
async function otherCustomerSeesNothing(env) {
	const { base, users } = env;
	const page = await (await env.context()).newPage();
	const agent = await (await env.context()).newPage();

	await signIn(agent, base, users.agent.email, users.agent.password);
	const folio = env.queued[0];
	await agent.goto(`${base}/console/t/${folio}`);
	const src = new URL(await agent.locator('figure.shot img').getAttribute('src'), base).href;
	assert.equal((await agent.request.get(src)).status(), 200);

	await signIn(page, base, users.other.email, users.other.password);
	assert.equal(await page.getByRole('link', { name: folio }).count(), 0);
	assert.equal((await page.goto(`${base}/console/t/${folio}`)).status(), 404);
	const r = await page.request.get(src);
	assert.equal(r.status(), 404);
	assert.ok(!(await r.body()).includes(env.png.subarray(0, 8)), 'no PNG bytes');
}

// CLO-3: past the reopen window a customer's message opens a new ticket
// linked to the old one; the customer is taken to it and sees the
// message there.
async function replyPastWindowOpensLinkedTicket(env) {
	const { base, users } = env;
	const page = await (await env.context()).newPage();

	await signIn(page, base, users.customer.email, users.customer.password);
	await page.goto(`${base}/console/t/${env.old}`);
	assert.match(await stateOf(page), /^(resolved|closed)$/);
	const reply = page.locator('form[action$="/reply"]');
	await reply.locator('textarea').fill('Volvió a fallar la impresora.');
	await reply.getByRole('button', { name: 'Enviar' }).click();
	await page.waitForLoadState('load');
	const folio = folioOf(page);
	assert.notEqual(folio, env.old, 'a new ticket');
	assert.match(await page.locator('h1').textContent(), new RegExp(`\\(sigue de ${env.old}\\)`));
	await page.getByText('Volvió a fallar la impresora.').waitFor();
}

export const tests = [
	{ name: 'int3_sla4_bill1_clo1_ticket_from_portal_to_confirmed', fn: customerTicketToConfirmation },
	{ name: 'priv2_other_organization_sees_no_ticket_or_screenshot', fn: otherCustomerSeesNothing },
	{ name: 'clo3_reply_past_the_window_lands_on_the_linked_ticket', fn: replyPastWindowOpensLinkedTicket },
];
