/* cmd_demo.c — soporte demo: a provider from its pack, its customers and
 * agents, a realistic week of tickets, then the queue. */
#include "cli.h"

#include "../util/str.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

static const char demo_usage[] =
	"usage: soporte [--db PATH] [--now TIME] demo [--pack ID]\n"
	"Creates a demo database (default pack: intecnia) with agents,\n"
	"customers and a week of tickets, then prints the queue. A database\n"
	"made by an earlier demo is replaced; any other file is left alone.\n";

static const char *const agents[][3] = {
	{ "Ana Torres", "ana.torres@%s.example", "agent" },
	{ "Bruno Méndez", "bruno.mendez@%s.example", "agent" },
	{ "Carla Ríos", "carla.rios@%s.example", "quality_lead" },
	{ "Diego Salas", "diego.salas@%s.example", "operations_manager" },
};

static const struct {
	const char *org, *rfc;
	const char *name, *surname, *email, *phone;
} customers[] = {
	{ "Ferretería López", "FLO010203AB1", "Luis", "López Ortega",
	  "luis@ferreterialopez.mx", "222 555 0101" },
	{ "Ferretería López", NULL, "Marta", "Gil Pérez",
	  "compras@ferreterialopez.mx", "222 555 0102" },
	{ "Clínica Santa Fe", "CSF990101XY2", "Dra. Sofía", "Navarro",
	  "sofia.navarro@clinicasantafe.mx", "55 5555 0200" },
	{ "Despacho Contable Ruiz", "DCR120304MN3", "Jorge", "Ruiz Aguilar",
	  "jorge@contableruiz.mx", "442 555 0300" },
};

static const struct {
	int customer;
	int hours_ago;
	int priority; /* index into the pack's priorities (clamped) */
	const char *subject, *description;
	bool complete; /* all INT-3 fields given */
	const char *then; /* what happens after: reply, wait, resolve, ... */
} tickets[] = {
	{ 0, 50, 0, "El punto de venta no abre desde la actualización",
	  "Desde ayer en la tarde el sistema marca error al iniciar y no "
	  "podemos facturar. Adjunto captura del mensaje.", true, "assign" },
	{ 2, 30, 1, "No llegan los correos de citas a pacientes",
	  "Los recordatorios automáticos dejaron de salir el lunes.", true,
	  "reply" },
	{ 3, 26, 2, "Duda con el cierre de mes en contabilidad",
	  "¿Cómo se hace la póliza de cierre con el nuevo catálogo?", true,
	  "wait" },
	{ 1, 20, 1, "La impresora de tickets imprime en blanco",
	  "Cambiamos el rollo y sigue igual.", false, NULL },
	{ 2, 8, 0, "Servidor de expedientes sin respuesta",
	  "No podemos consultar expedientes, urgente.", true, "assign" },
	{ 0, 4, 2, "Agregar un usuario nuevo al sistema",
	  "Entró una cajera nueva, necesitamos su usuario.", true, NULL },
	{ 3, 70, 1, "Error al timbrar facturas",
	  "El timbrado regresa error 301.", true, "resolve" },
	{ 1, 2, 3, "Sugerencia para el reporte de ventas",
	  "Sería útil agrupar por sucursal.", true, NULL },
};

/* Removes a database an earlier demo made; refuses anything else. */
static int
clear_old_demo(const char *db)
{
	struct sp_err err = { 0 };
	struct store *s;
	struct arena a;
	struct event_row *ev;
	size_t n;
	bool ours = false;
	char side[4200];
	struct stat sb;

	if (stat(db, &sb) != 0)
		return 0;
	arena_init(&a, 0);
	if (store_open(&s, db, false, &err) == 0) {
		struct provider_row *p;
		size_t np;

		if (store_provider_list(s, &a, &p, &np, &err) == 0 && np > 0 &&
		    store_event_list(s, &a, &ev, &n, p[0].id, 0, &err) == 0)
			for (size_t i = 0; i < n; i++)
				if (strcmp(ev[i].action, "demo.seeded") == 0)
					ours = true;
		store_close(s);
	}
	arena_free(&a);
	if (!ours) {
		fprintf(stderr, "soporte: %s exists and was not made by 'soporte "
			"demo'; choose another --db\n", db);
		return EX_CANTCREAT;
	}
	unlink(db);
	snprintf(side, sizeof side, "%s-wal", db);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db);
	unlink(side);
	return 0;
}

static const char *
demo_field(enum req_field f)
{
	switch (f) {
	case RF_STEPS: return "1. Abrir el sistema 2. Iniciar sesión 3. Aparece el error";
	case RF_MODULE: return "Facturación";
	case RF_SYSTEM: return "Punto de venta";
	case RF_SYSTEM_VERSION: return "5.2.1";
	case RF_OS_VERSION: return "Windows 11 Pro 23H2";
	case RF_LICENSE_PROOF: return "Factura A-1043";
	default: return NULL;
	}
}

/* The knowledge base a customer is offered before filing (INT-7). */
static const struct kb_input articles[] = {
	{ "timbrado-cfdi", "es", "facturacion",
	  "La factura no timbra: certificado vencido o PAC sin respuesta",
	  "Cuando una factura **no timbra**, revise primero:\n\n"
	  "1. Que el *certificado de sello digital* (CSD) esté vigente.\n"
	  "2. Que haya conexión con el PAC (pruebe en `Configuración > "
	  "Timbrado`).\n3. Que el RFC del receptor exista en la lista del "
	  "SAT.\n\nSi el error persiste, abra un ticket con la captura del "
	  "mensaje.", "public", 0 },
	{ "respaldo-base-datos", "es", "respaldos",
	  "Cómo respaldar la base de datos antes de actualizar",
	  "Antes de instalar una actualización:\n\n- Cierre el sistema en "
	  "todas las estaciones.\n- Use *Herramientas > Respaldar* y guarde "
	  "el archivo fuera del servidor.\n\n> Un respaldo que no se ha "
	  "probado no es un respaldo.", "public", 0 },
	{ "invoice-not-stamped", "en", "facturacion",
	  "The invoice is not stamped: expired certificate or PAC down",
	  "When an invoice **is not stamped**, check the digital seal "
	  "certificate (CSD) and the connection to the PAC first.",
	  "public", 0 },
	{ "escalamiento-interno", "es", "procesos",
	  "Escalamiento interno: a quién llamar fuera de horario",
	  "Solo para el equipo: la guardia de fin de semana se turna; vea "
	  "el calendario compartido.", "internal", 0 },
};

static int
seed(struct cli *c, struct app *app)
{
	const struct policy *p = app->policy;
	struct sp_err err = { 0 };
	char email[128];
	int64_t contact_ids[4], org_id = 0, t0 = c->now;
	const char *last_org = "";
	int category = 0, channel = 0;

	for (size_t i = 0; i < 4; i++) {
		snprintf(email, sizeof email, agents[i][1], p->id);
		if (app_agent_add(app, NULL, t0 - 8 * 86400, &app_system,
				  agents[i][0], email, agents[i][2], &err))
			return cli_fail(&err);
	}
	for (size_t i = 0; i < 4; i++) {
		struct contact_input in = { 0 };
		char orgkey[24];

		if (strcmp(last_org, customers[i].org) != 0) {
			if (app_org_add(app, &org_id, t0 - 8 * 86400,
					&app_system, customers[i].org,
					customers[i].rfc, &err))
				return cli_fail(&err);
			last_org = customers[i].org;
		}
		snprintf(orgkey, sizeof orgkey, "%lld", (long long)org_id);
		in.organization = orgkey;
		in.name = customers[i].name;
		in.surname = customers[i].surname;
		in.email = customers[i].email;
		in.phone = customers[i].phone;
		if (app_contact_add(app, &contact_ids[i], t0 - 8 * 86400,
				    &app_system, &in, &err))
			return cli_fail(&err);
	}
	for (size_t i = 0; i < sizeof articles / sizeof articles[0]; i++)
		if (app_kb_save(app, NULL, t0 - 7 * 86400, &app_system,
				&articles[i], &err))
			return cli_fail(&err);
	/* The demo's requests arrive by an official channel (INT-2), in a
	 * category inside the provider's scope (INT-6). */
	for (size_t i = 0; i < p->ncategories; i++)
		if (!p->categories[i].out_of_scope) {
			category = (int)i;
			break;
		}
	for (int ch = 0; ch < CH_COUNT; ch++)
		if (p->channels & (1u << ch)) {
			channel = ch;
			break;
		}
	for (size_t i = 0; i < sizeof tickets / sizeof tickets[0]; i++) {
		struct ticket_input in = { 0 };
		struct ticket_opened out;
		int64_t at = t0 - tickets[i].hours_ago * 3600;
		int pri = tickets[i].priority < (int)p->npriorities ?
			  tickets[i].priority : (int)p->npriorities - 1;
		struct actor who = { "contact", contact_ids[tickets[i].customer] };
		char agent[128];

		in.contact = customers[tickets[i].customer].email;
		in.channel = policy_channel_name((enum channel)channel);
		in.category = p->categories[category].id;
		in.priority = p->priorities[pri].id;
		in.subject = tickets[i].subject;
		in.description = tickets[i].description;
		if (tickets[i].complete) {
			for (int f = 0; f < RF_COUNT; f++)
				if ((p->required & (1u << f)) &&
				    demo_field((enum req_field)f) &&
				    in.nfields < APP_MAX_FIELDS) {
					in.field_names[in.nfields] =
						policy_field_name((enum req_field)f);
					in.field_values[in.nfields] =
						demo_field((enum req_field)f);
					in.nfields++;
				}
		}
		if (tickets[i].complete && (p->required & (1u << RF_PRODUCT)) &&
		    p->nproducts)
			in.product = p->products[0].id;
		/* A screenshot where the pack asks for one (INT-3): a small
		 * real PNG, so the request is complete and the console can
		 * show it. */
		if (tickets[i].complete && (p->required & (1u << RF_SCREENSHOT)))
			in.files[in.nfiles++] = (struct ticket_file){
				"captura.png", "image/png", cli_demo_png,
				cli_demo_png_size };
		if (app_ticket_open(app, &out, at, &who, &in, &err))
			return cli_fail(&err);
		snprintf(agent, sizeof agent, agents[i % 2][1], p->id);
		if (tickets[i].then == NULL ||
		    strcmp(out.state, "new") != 0)
			continue;
		{
			struct transition_args args = { .agent = agent };
			struct agent_row ag;
			struct arena a;
			struct actor by = { "agent", 0 };
			int64_t later = at + 40 * 60;

			arena_init(&a, 0);
			if (store_agent_find(app->store, &a, &ag,
					     app->provider_id, agent, &err)) {
				arena_free(&a);
				return cli_fail(&err);
			}
			by.id = ag.id;
			arena_free(&a);
			if (app_ticket_act(app, later, &by, out.folio,
					   TA_ASSIGN, &args, &err))
				return cli_fail(&err);
			if (strcmp(tickets[i].then, "assign") == 0)
				continue;
			if (app_ticket_reply(app, later + 600, &by, out.folio,
					     "Buen día, ya revisamos su caso y "
					     "le damos seguimiento.", false,
					     &err))
				return cli_fail(&err);
			if (strcmp(tickets[i].then, "wait") == 0 &&
			    app_ticket_act(app, later + 900, &by, out.folio,
					   TA_WAIT_CUSTOMER,
					   &(struct transition_args){
						   .reason = "Necesitamos acceso "
						   "remoto (TeamViewer) para "
						   "revisar." }, &err))
				return cli_fail(&err);
			if (strcmp(tickets[i].then, "resolve") == 0 &&
			    app_ticket_act(app, later + 3 * 3600, &by,
					   out.folio, TA_RESOLVE,
					   &(struct transition_args){
						   .reason = "Se actualizó el "
						   "certificado de timbrado." },
					   &err))
				return cli_fail(&err);
		}
	}
	return 0;
}

int
cli_demo(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pack", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct policy_report report;
	struct sp_err err = { 0 };
	const char *pack = "intecnia";
	struct app *app;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'p')
			pack = optarg;
		else if (ch == 'h') {
			fputs(demo_usage, stdout);
			return 0;
		} else
			return cli_usage(demo_usage, "bad option");
	}
	if ((rc = clear_old_demo(c->db)) || (rc = cli_now_in_pack_zone(c, pack)))
		return rc;
	policy_report_init(&report);
	if (app_init(c->db, cli_policies_dir(c), pack, c->now, &report, &err)) {
		fputs(report.text.ptr, stderr);
		policy_report_free(&report);
		return cli_fail(&err);
	}
	policy_report_free(&report);
	c->provider = pack;
	if ((rc = cli_open(c, &app)))
		return rc;
	rc = seed(c, app);
	if (rc == 0) {
		struct event_row ev = { 0, app->provider_id, 0, "provider",
					app->provider_id, c->now, "system", 0,
					"demo.seeded", NULL, NULL };

		if (store_event_add(app->store, NULL, &ev, &err))
			rc = cli_fail(&err);
	}
	if (rc == 0) {
		struct tick_report tr;

		/* The week's timers: warnings, breaches, escalations. */
		if (app_tick(app, &tr, c->now, &err)) {
			app_close(app);
			return cli_fail(&err);
		}
		printf("Demo provider: %s (%s), database %s\n"
		       "%d timers ran. The queue, in SLA order (SLA-4):\n\n",
		       app->policy->provider.short_name, pack, c->db, tr.run);
		app_close(app);
		{
			char *largv[] = { "ticket", "list", "--queue", NULL };

			return cli_ticket(c, 3, largv);
		}
	}
	app_close(app);
	return rc;
}
