/* mail_bench.c — the helper of bench/mail.sh: makes the mail, drives the
 * processes, measures the raw SQLite limit and counts what a database
 * holds.
 *
 * mail_bench gen DIR N M
 *   N messages as a help desk's mailbox receives them, in DIR/eml (one
 *   file each, LF line ends as an MTA pipe hands them over), DIR/maildir
 *   (new/, in arrival order by name) and DIR/mbox (mboxrd). About 3 KB
 *   each: Spanish UTF-8 text in quoted-printable, the sender's name and
 *   the subject as RFC 2047 encoded-words, two Received lines, a PNG
 *   "screenshot" (a real one, a few hundred bytes) on a third of them.
 *   Senders are the 20 contacts of 5 organizations (DIR/orgs.tsv,
 *   DIR/contacts.tsv). The first 100 messages open tickets; after them,
 *   about half are replies from the opener or a colleague, with
 *   "RE: [INT-YYYY-000NN] subject" (INT-1), In-Reply-To and References,
 *   the original quoted below (among the first M messages, only to
 *   tickets 1..99); one in 40 is the same message delivered
 *   again by another relay (same Message-ID, other bytes); the rest are
 *   new requests. DIR/expect.txt says, message by message, what a
 *   sequential intake must answer: "new_ticket FOLIO", "reply FOLIO" or
 *   "duplicate -" (folios taken in arrival order, as soporte numbers
 *   them). Each message is parsed back with soporte's own mime_parse to
 *   check it says what was meant (text decoded, folio in the subject,
 *   the PNG found). Prints key=value lines about the mail.
 *
 * mail_bench refolio EXPECT OUTDIR LIST DSTDIR
 *   Copies the messages of LIST into DSTDIR with the folio in each
 *   subject changed to the one its ticket really got in a run whose
 *   outputs are in OUTDIR (NNNNN.out of message NNNNN, "new_ticket
 *   FOLIO"): after concurrent openers took their folios out of order.
 *   Prints the new list.
 *
 * mail_bench raw DB LIST
 *   The raw limit: a fresh SQLite file DB with the pragmas soporte's
 *   store sets (WAL, synchronous=NORMAL, foreign_keys, busy timeout); each
 *   file named in LIST (read into memory first) is one transaction:
 *   BEGIN IMMEDIATE; one INSERT of its bytes as a blob; COMMIT (prepared
 *   statements). Prints n, ns, per_s, us_each, cpu_us, cpu_us_each.
 *
 * mail_bench spawn P OUTDIR LIST PROGRAM ARG...
 *   Runs PROGRAM ARG... once per line of LIST, that file as its standard
 *   input, at most P at a time (posix_spawn, no shell), standard output
 *   and error to OUTDIR/NNNNN.out and .err. Prints n, ns, per_s, us_each,
 *   the processes' CPU time (user + system, cpu_us, cpu_us_each), failed
 *   (exit status not 0) and the first failure. Exit 0 even when a
 *   process failed: the script decides.
 *
 * mail_bench count DB
 *   Plain SQL on a soporte database (read only): raw messages by state,
 *   tickets, ticket messages by channel, attachments, outbox rows.
 */
#include "../src/mail/mime.h"
#include "../src/util/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define YEAR 2026
#define OPENERS 100     /* the first messages all open tickets */
#define DUP_EVERY 40    /* one redelivery in this many, after the openers */
#define REPLY_PCT 55    /* of the rest */
#define SETTLED 10      /* a reply names tickets opened this many messages back */
#define TARGET 3000     /* bytes a message aims at, before its PNG */
#define BUSY_TIMEOUT_MS 5000 /* as store_sqlite.c */
#define MAX_JOBS 64

static void
die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("mail_bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* CPU time (user + system) of this process or of its children, µs. */
static int64_t
cpu_us(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

static void
need(int rc)
{
	if (rc)
		die("out of memory");
}

/* ---- the people ------------------------------------------------------ */

static const struct org {
	const char *name, *domain, *rfc;
} orgs[] = {
	{ "Ferretería López", "ferrelopez.com.mx", "FLO910215AB3" },
	{ "Clínica Dental Sonrisa", "clinicasonrisa.mx", "CDS050830KL9" },
	{ "Transportes Álvarez e Hijos", "transalvarez.com.mx", "TAH880412QW1" },
	{ "Despacho Contable Núñez y Asociados", "contanunez.mx", "DCN120101MN7" },
	{ "Colegio Cervantes de Puebla", "colegiocervantes.edu.mx", "CCP790623PZ2" },
};
#define NORG (int)(sizeof orgs / sizeof orgs[0])

static const struct person {
	const char *name, *surname, *user, *phone;
	int org;
} people[] = {
	{ "Luis", "López Ortega", "luis.lopez", "222 231 4410", 0 },
	{ "María José", "Hernández", "mj.hernandez", "222 231 4411", 0 },
	{ "Jesús", "Ramírez Peña", "compras", "222 231 4415", 0 },
	{ "Begoña", "Ibáñez", "bibanez", "222 231 4418", 0 },
	{ "Sofía", "Martínez Ruíz", "direccion", "222 409 1200", 1 },
	{ "Óscar", "Gutiérrez", "ogutierrez", "222 409 1203", 1 },
	{ "Andrés", "Peña Castañeda", "recepcion", "222 409 1201", 1 },
	{ "Lucía", "Sánchez", "lsanchez", "222 409 1207", 1 },
	{ "Raúl", "Álvarez Treviño", "raul.alvarez", "222 283 7700", 2 },
	{ "Verónica", "Muñoz", "vmunoz", "222 283 7705", 2 },
	{ "Héctor", "Domínguez", "trafico", "222 283 7710", 2 },
	{ "Inés", "Cortés Aguilar", "icortes", "222 283 7702", 2 },
	{ "Ramón", "Núñez Zúñiga", "rnunez", "222 246 3318", 3 },
	{ "Mónica", "Jiménez", "mjimenez", "222 246 3319", 3 },
	{ "Joaquín", "Suárez", "nominas", "222 246 3325", 3 },
	{ "Ángela", "Vázquez Olvera", "avazquez", "222 246 3321", 3 },
	{ "Sebastián", "Ordóñez", "sistemas", "222 237 0090", 4 },
	{ "Rocío", "Benítez", "rbenitez", "222 237 0091", 4 },
	{ "Tomás", "Rendón Ávila", "administracion", "222 237 0095", 4 },
	{ "Míriam", "Aragón", "maragon", "222 237 0097", 4 },
};
#define NPEOPLE (int)(sizeof people / sizeof people[0])

/* ---- the words ------------------------------------------------------- */

static const char *const subjects[] = {
	"No imprime la factura electrónica",
	"Error al timbrar CFDI 4.0: «RFC del receptor no válido»",
	"El conmutador no marca a celulares desde la extensión 104",
	"Falló el respaldo nocturno de la base de datos",
	"No puedo entrar al módulo de nómina",
	"Lentitud en el servidor de archivos de contabilidad",
	"Alta de usuario en el ERP para la nueva auxiliar",
	"La impresora de recepción marca atasco de papel",
	"Actualización del antivirus en los equipos de dirección",
	"Cámara del almacén sin señal desde ayer",
	"¿Pueden revisar el correo? Rebotan los mensajes a clientes",
	"Pantalla azul en la computadora de caja 2",
	"El punto de venta no sincroniza el inventario",
	"Solicitud de mantenimiento preventivo a equipos de cómputo",
	"No abre el sistema de control escolar tras la actualización",
	"Contraseña bloqueada en el portal del SAT",
	"La red inalámbrica se desconecta en la sala de juntas",
	"Cotización para ampliar la póliza de soporte",
};
#define NSUBJ (int)(sizeof subjects / sizeof subjects[0])

static const char *const sentences[] = {
	"Desde esta mañana el sistema muestra un mensaje de error al intentar guardar la información.",
	"Ya reiniciamos el equipo dos veces y el problema continúa igual.",
	"El error aparece únicamente en la computadora de la recepción; en las demás funciona sin problema.",
	"Les comparto que el día de ayer se instaló una actualización automática de Windows.",
	"Necesitamos que quede resuelto antes del cierre de mes, porque tenemos que enviar la información al contador.",
	"¿Podrían indicarnos si es necesario que alguien de ustedes venga a la oficina o se puede revisar en remoto?",
	"El técnico que nos atendió la vez pasada dejó anotada una contraseña, pero ya no la encontramos.",
	"Adjunto la captura de pantalla con el mensaje que aparece, para que tengan más contexto.",
	"La señal de internet está bien; el problema parece ser sólo con el programa.",
	"Cuando intentamos imprimir, la cola de impresión se queda detenida y no avanza.",
	"Nos urge porque la caja no puede cobrar a los clientes mientras no funcione.",
	"El mensaje dice: «No se pudo establecer conexión con el servidor de base de datos».",
	"Les agradecería que me confirmaran el número de ticket para darle seguimiento.",
	"La compañera de contabilidad comenta que el problema empezó después del corte de luz del martes.",
	"Ya revisamos los cables de red y están bien conectados; los focos del switch parpadean normalmente.",
	"Quisiera saber también cuántas horas nos quedan en la póliza, para programar el mantenimiento.",
	"El antivirus detectó un archivo sospechoso en la carpeta compartida y lo puso en cuarentena.",
	"Estamos disponibles de 9:00 a 14:00 y de 16:00 a 19:00 horas para que se conecten.",
	"El año pasado tuvimos una falla parecida y se resolvió actualizando el controlador de la impresora.",
	"Por favor, avísennos si necesitan el número de serie del equipo o algún otro dato.",
	"La aplicación se cierra sola al abrir el reporte de ventas del mes.",
	"Los alumnos no pueden consultar sus calificaciones en el portal desde el lunes.",
	"En la bodega la cámara número tres sólo muestra la pantalla en negro.",
	"El respaldo marca «terminado con errores» y el archivo pesa mucho menos que de costumbre.",
	"Señalo que el equipo tiene apenas un año de uso y sigue en garantía con el fabricante.",
	"Las llamadas entrantes sí funcionan; sólo fallan las salientes a teléfonos celulares.",
	"Niño, niña, año, señal, compañía: los acentos y las eñes salen como signos raros en los reportes.",
	"Agradezco de antemano su pronta atención a esta solicitud.",
};
#define NSENT (int)(sizeof sentences / sizeof sentences[0])

static const char *const replies[] = {
	"Gracias por la respuesta. Seguimos con el mismo problema después de aplicar lo que nos indicaron.",
	"Les confirmo que ya quedó funcionando; pueden cerrar el ticket cuando gusten.",
	"Hoy volvió a presentarse la falla a las 11:40, justo cuando estábamos facturando.",
	"¿Tienen alguna novedad? El área de cobranza sigue detenida.",
	"El técnico puede conectarse a la computadora de recepción; ya instalamos el programa de acceso remoto.",
	"Envío de nuevo la captura, porque la anterior salió cortada.",
	"Mi compañera me pide que les comente que el error ahora aparece también en su equipo.",
	"Perfecto, los esperamos mañana a las 10:00 en la oficina de la calle 5 de Mayo.",
	"Ya reiniciamos el servidor como nos pidieron y tardó casi veinte minutos en arrancar.",
	"Una disculpa por la demora en contestar; estuvimos en inventario toda la semana.",
};
#define NREPL (int)(sizeof replies / sizeof replies[0])

static const char *const mailers[] = {
	"Microsoft Outlook 16.0",
	"Mozilla Thunderbird 115.6.0",
	"Apple Mail (2.3774.300.61.1.2)",
	"Roundcube Webmail/1.6.5",
};

static const char *const wday[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
				     "Fri", "Sat" };
static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const dia[] = { "dom", "lun", "mar", "mié", "jue", "vie",
				   "sáb" };
static const char *const mes[] = { "ene", "feb", "mar", "abr", "may", "jun",
				   "jul", "ago", "sept", "oct", "nov", "dic" };

/* A deterministic generator: the same mail on every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static int
rnd(int n)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return (int)((x * 0x2545f4914f6cdd1du) >> 33) % n;
}

/* ---- encodings ------------------------------------------------------- */

/* Quoted-printable (RFC 2045 6.7): lines of at most 76, soft breaks. */
static void
qp_encode(struct buf *out, const char *s)
{
	size_t col = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char e[4];
		size_t w;

		if (*p == '\n') {
			need(buf_addc(out, '\n'));
			col = 0;
			continue;
		}
		if ((*p == ' ' || *p == '\t') && (p[1] == '\n' || p[1] == 0))
			snprintf(e, sizeof e, "=%02X", *p);
		else if (*p == '=' || *p < 32 || *p > 126)
			snprintf(e, sizeof e, "=%02X", *p);
		else
			snprintf(e, sizeof e, "%c", *p);
		w = strlen(e);
		if (col + w > 75) {
			need(buf_adds(out, "=\n"));
			col = 0;
		}
		need(buf_adds(out, e));
		col += w;
	}
}

/* RFC 2047 "Q" encoded-words of whole UTF-8 characters, folded. */
static void
q_words(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t word = 0;

	while (*p) {
		size_t n = 1, w = 0;
		char e[32];

		while ((p[n] & 0xc0) == 0x80)
			n++;
		e[0] = 0;
		for (size_t k = 0; k < n; k++) {
			unsigned char ch = p[k];

			if (ch == ' ')
				strcat(e, "_");
			else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
				 (ch >= '0' && ch <= '9') || strchr("!*+-/", ch))
				snprintf(e + strlen(e), sizeof e - strlen(e), "%c", ch);
			else
				snprintf(e + strlen(e), sizeof e - strlen(e), "=%02X", ch);
		}
		w = strlen(e);
		if (word && word + w + 2 > 70) {
			need(buf_adds(out, "?=\n "));
			word = 0;
		}
		if (word == 0) {
			need(buf_adds(out, "=?UTF-8?Q?"));
			word = 10;
		}
		need(buf_adds(out, e));
		word += w;
		p += n;
	}
	if (word)
		need(buf_adds(out, "?="));
}

static void
base64(struct buf *out, const unsigned char *d, size_t n)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t col = 0;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)d[i] << 16 |
			     (i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0) |
			     (i + 2 < n ? d[i + 2] : 0);
		char q[5] = { t[v >> 18 & 63], t[v >> 12 & 63],
			      i + 1 < n ? t[v >> 6 & 63] : '=',
			      i + 2 < n ? t[v & 63] : '=', 0 };

		need(buf_adds(out, q));
		if ((col += 4) == 76) {
			need(buf_addc(out, '\n'));
			col = 0;
		}
	}
	if (col)
		need(buf_addc(out, '\n'));
}

/* ---- a PNG screenshot: a window with a title bar and an error box ---- */

static uint32_t crc_table[256];

static uint32_t
crc32(uint32_t c, const unsigned char *p, size_t n)
{
	if (crc_table[1] == 0)
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t x = i;

			for (int k = 0; k < 8; k++)
				x = x & 1 ? 0xedb88320u ^ (x >> 1) : x >> 1;
			crc_table[i] = x;
		}
	c ^= 0xffffffffu;
	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static void
be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void
png_chunk(struct buf *b, const char *type, const unsigned char *d, size_t n)
{
	unsigned char h[8], c[4];
	uint32_t crc;

	be32(h, (uint32_t)n);
	memcpy(h + 4, type, 4);
	crc = crc32(crc32(0, (const unsigned char *)type, 4), d, n);
	be32(c, crc);
	need(buf_add(b, h, 8));
	need(buf_add(b, d, n));
	need(buf_add(b, c, 4));
}

#define PNG_W 24
#define PNG_H 16

static void
png_make(struct buf *b, int seed)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
					      0x1a, '\n' };
	unsigned char ihdr[13], raw[PNG_H * (1 + 3 * PNG_W)];
	unsigned char z[2 + 5 + sizeof raw + 4];
	uint32_t a = 1, s2 = 0;
	size_t k = 0;
	unsigned char title[3] = { (unsigned char)(40 + seed % 50),
				   (unsigned char)(80 + seed * 7 % 100),
				   (unsigned char)(150 + seed * 13 % 100) };

	for (int y = 0; y < PNG_H; y++) {
		raw[k++] = 0; /* filter: none */
		for (int x = 0; x < PNG_W; x++) {
			const unsigned char *px;
			static const unsigned char body[3] = { 236, 236, 236 },
						   err[3] = { 200, 40, 40 },
						   text[3] = { 60, 60, 60 };

			if (y < 3)
				px = title;
			else if (y >= 6 && y < 11 && x >= 5 && x < 19)
				px = (y == 8 && x > 7 && x < 7 + (seed % 10)) ? text : err;
			else
				px = (y + x + seed) % 11 == 0 ? text : body;
			memcpy(raw + k, px, 3);
			k += 3;
		}
	}
	/* zlib, one stored deflate block */
	z[0] = 0x78;
	z[1] = 0x01;
	z[2] = 1;
	z[3] = (unsigned char)(sizeof raw & 0xff);
	z[4] = (unsigned char)(sizeof raw >> 8);
	z[5] = (unsigned char)(~sizeof raw & 0xff);
	z[6] = (unsigned char)(~sizeof raw >> 8 & 0xff);
	memcpy(z + 7, raw, sizeof raw);
	for (size_t i = 0; i < sizeof raw; i++) {
		a = (a + raw[i]) % 65521;
		s2 = (s2 + a) % 65521;
	}
	be32(z + 7 + sizeof raw, s2 << 16 | a);
	be32(ihdr, PNG_W);
	be32(ihdr + 4, PNG_H);
	ihdr[8] = 8;  /* bits */
	ihdr[9] = 2;  /* RGB */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	need(buf_add(b, sig, sizeof sig));
	png_chunk(b, "IHDR", ihdr, sizeof ihdr);
	png_chunk(b, "IDAT", z, sizeof z);
	png_chunk(b, "IEND", NULL, 0);
}

/* ---- the messages ---------------------------------------------------- */

enum kind { K_NEW, K_REPLY, K_DUP };
static const char *const kind_name[] = { "new_ticket", "reply", "duplicate" };

struct msg {
	enum kind kind;
	int person;
	int folio;       /* the ticket it opens or answers (0: a duplicate) */
	int orig;        /* a duplicate's original message */
	int subject;     /* into subjects[] */
	bool png;
	int64_t date;    /* Unix seconds */
	char msgid[128];
	char *text;      /* the plain text, for quoting */
	char *bytes;
	size_t len;
};

struct ticket {
	int opener; /* message index */
	int person;
	int subject;
};

static void
rfc5322_date(char out[64], int64_t t)
{
	time_t lt = (time_t)(t - 6 * 3600); /* America/Mexico_City: -0600 */
	struct tm tm;

	gmtime_r(&lt, &tm);
	snprintf(out, 64, "%s, %d %s %d %02d:%02d:%02d -0600", wday[tm.tm_wday],
		 tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
}

static void
signature(struct buf *b, const struct person *p)
{
	need(buf_printf(b, "\nSaludos cordiales,\n\n%s %s\n%s\nTel. %s\n",
			p->name, p->surname, orgs[p->org].name, p->phone));
}

/* The text of message i, grown a sentence at a time until the whole
 * message reaches TARGET bytes. */
static void
build(struct msg *ms, int i, const struct ticket *tickets)
{
	struct msg *m = &ms[i];
	const struct person *p = &people[m->person];
	const struct org *o = &orgs[p->org];
	struct buf head, text, body, out, png;
	char date[64], boundary[64];
	int first = rnd(NSENT);

	buf_init(&head, BUF_MAX_DEFAULT);
	buf_init(&text, BUF_MAX_DEFAULT);
	buf_init(&body, BUF_MAX_DEFAULT);
	buf_init(&out, BUF_MAX_DEFAULT);
	buf_init(&png, BUF_MAX_DEFAULT);
	rfc5322_date(date, m->date);
	snprintf(m->msgid, sizeof m->msgid, "%08X.%05d.%04X@mail.%s",
		 (unsigned)(m->date & 0xffffffff), i + 1, (unsigned)rnd(65536),
		 o->domain);
	need(buf_printf(&head, "Return-Path: <%s@%s>\n"
			"Received: from mail.%s (mail.%s [189.203.%d.%d])\n"
			"\tby mx.intecnia.com.mx (Postfix) with ESMTPS id 4Q%07X\n"
			"\tfor <soporte@intecnia.com.mx>; %s (CST)\n"
			"Received: from [192.168.1.%d] (unknown [192.168.1.%d])\n"
			"\tby mail.%s (Postfix) with ESMTPSA id %07X;\n\t%s\n"
			"From: ", p->user, o->domain, o->domain, o->domain,
			10 + p->org, 20 + m->person, (unsigned)rnd(0x7ffffff),
			date, 100 + m->person, 100 + m->person, o->domain,
			(unsigned)rnd(0x7ffffff), date));
	{
		char full[160];

		snprintf(full, sizeof full, "%s %s", p->name, p->surname);
		q_words(&head, full);
	}
	need(buf_printf(&head, " <%s@%s>\nTo: Soporte Intecnia "
			"<soporte@intecnia.com.mx>\nSubject: ", p->user,
			o->domain));
	if (m->kind == K_REPLY) {
		need(buf_printf(&head, "RE: [INT-%d-%05d] ", YEAR, m->folio));
		q_words(&head, subjects[m->subject]);
	} else {
		q_words(&head, subjects[m->subject]);
	}
	need(buf_printf(&head, "\nDate: %s\nMessage-ID: <%s>\n", date, m->msgid));
	if (m->kind == K_REPLY) {
		const struct msg *orig = &ms[tickets[m->folio - 1].opener];

		need(buf_printf(&head, "In-Reply-To: <%s>\nReferences: <%s>\n",
				orig->msgid, orig->msgid));
	}
	need(buf_printf(&head, "MIME-Version: 1.0\nX-Mailer: %s\n",
			mailers[(m->person + i) % 4]));
	snprintf(boundary, sizeof boundary, "----=_NextPart_%03d_%04X", i % 1000,
		 (unsigned)rnd(65536));
	if (m->png)
		png_make(&png, i);

	for (int nsent = m->kind == K_REPLY ? 1 : 3;; nsent++) {
		size_t size;

		buf_reset(&text);
		buf_reset(&body);
		buf_reset(&out);
		if (m->kind == K_REPLY) {
			const struct msg *orig = &ms[tickets[m->folio - 1].opener];
			const struct person *op = &people[orig->person];
			time_t lt = (time_t)(orig->date - 6 * 3600);
			struct tm tm;
			const char *q, *nl;
			int lines = 0;

			gmtime_r(&lt, &tm);
			need(buf_adds(&text, "Buenas tardes:\n\n"));
			for (int k = 0; k < 2; k++) {
				need(buf_adds(&text, replies[(first + k * 3) % NREPL]));
				need(buf_adds(&text, k ? "\n" : " "));
			}
			signature(&text, p);
			need(buf_printf(&text, "\nEl %s, %d %s %d a las %02d:%02d, %s %s "
					"<%s@%s> escribió:\n", dia[tm.tm_wday],
					tm.tm_mday, mes[tm.tm_mon], tm.tm_year + 1900,
					tm.tm_hour, tm.tm_min, op->name, op->surname,
					op->user, orgs[op->org].domain));
			/* The original below, as much as fits. */
			for (q = orig->text; *q && lines < nsent; q = nl + 1, lines++) {
				nl = strchr(q, '\n');
				if (nl == NULL)
					nl = q + strlen(q) - 1;
				need(buf_adds(&text, nl > q ? "> " : ">"));
				need(buf_add(&text, q, (size_t)(nl - q)));
				need(buf_addc(&text, '\n'));
				if (nl[1] == 0)
					break;
			}
		} else {
			need(buf_adds(&text, i % 3 ? "Buenos días:\n\n" :
				      "Estimado equipo de soporte:\n\n"));
			for (int k = 0; k < nsent; k++) {
				need(buf_adds(&text, sentences[(first + k * 5) % NSENT]));
				need(buf_adds(&text, k % 3 == 2 ? "\n\n" : " "));
			}
			while (text.len && (text.ptr[text.len - 1] == ' ' ||
					    text.ptr[text.len - 1] == '\n'))
				text.ptr[--text.len] = 0;
			need(buf_adds(&text, "\n"));
			signature(&text, p);
		}
		if (m->png) {
			need(buf_printf(&body, "Content-Type: multipart/mixed;\n"
					"\tboundary=\"%s\"\n\nEste es un mensaje "
					"MIME de varias partes.\n\n--%s\n", boundary,
					boundary));
		}
		need(buf_adds(&body, "Content-Type: text/plain; charset=\"utf-8\"\n"
			      "Content-Transfer-Encoding: quoted-printable\n\n"));
		qp_encode(&body, text.ptr);
		if (m->png) {
			need(buf_printf(&body, "\n--%s\nContent-Type: image/png;\n"
					"\tname=\"Captura de pantalla %d.png\"\n"
					"Content-Disposition: attachment;\n"
					"\tfilename=\"Captura de pantalla %d.png\"\n"
					"Content-Transfer-Encoding: base64\n\n",
					boundary, i + 1, i + 1));
			base64(&body, (const unsigned char *)png.ptr, png.len);
			need(buf_printf(&body, "\n--%s--\n", boundary));
		}
		need(buf_add(&out, head.ptr, head.len));
		need(buf_add(&out, body.ptr, body.len));
		size = out.len - (m->png ? png.len * 4 / 3 : 0);
		if (size >= TARGET || nsent > 60)
			break;
		if (m->kind == K_REPLY && nsent > 40)
			break; /* the whole original is quoted */
	}
	m->text = buf_detach(&text, NULL);
	m->bytes = buf_detach(&out, &m->len);
	buf_free(&head);
	buf_free(&body);
	buf_free(&png);
}

/* A second delivery of message j by another relay: one more Received. */
static void
redeliver(struct msg *ms, int i)
{
	struct msg *m = &ms[i];
	const struct msg *o = &ms[m->orig];
	char date[64];
	struct buf b;

	buf_init(&b, BUF_MAX_DEFAULT);
	rfc5322_date(date, m->date);
	need(buf_printf(&b, "Received: from mx2.intecnia.com.mx (mx2.intecnia.com.mx "
			"[10.20.0.3])\n\tby mx.intecnia.com.mx (Postfix) with ESMTP "
			"id 4R%07X\n\tfor <soporte@intecnia.com.mx>; %s (CST)\n",
			(unsigned)rnd(0x7ffffff), date));
	need(buf_add(&b, o->bytes, o->len));
	memcpy(m->msgid, o->msgid, sizeof m->msgid);
	m->person = o->person;
	m->png = o->png;
	m->text = strdup(o->text);
	m->bytes = buf_detach(&b, &m->len);
}

/* soporte's own parser reads back what was meant. */
static void
check(const struct msg *ms, int i)
{
	const struct msg *m = &ms[i];
	struct mime_msg *mm = NULL;
	struct sp_err err = { 0 };
	const struct inbound_mail *in;
	char folio[32];
	const char *want_subject = subjects[m->kind == K_DUP ? ms[m->orig].subject
							  : m->subject];

	if (mime_parse(&mm, m->bytes, m->len, &err))
		die("message %d does not parse: %s", i + 1, err.msg);
	in = &mm->mail;
	snprintf(folio, sizeof folio, "[INT-%d-%05d]", YEAR, m->folio);
	if (in->message_id == NULL || strcmp(in->message_id, m->msgid))
		die("message %d: Message-ID <%s>, not <%s>", i + 1,
		    in->message_id ? in->message_id : "", m->msgid);
	if (in->subject == NULL || strstr(in->subject, want_subject) == NULL ||
	    (m->kind == K_REPLY && strstr(in->subject, folio) == NULL))
		die("message %d: subject '%s'", i + 1, in->subject ? in->subject : "");
	if (in->from_addr == NULL || strncmp(in->from_addr, people[m->person].user,
					     strlen(people[m->person].user)) ||
	    in->from_name == NULL || strstr(in->from_name, people[m->person].name) == NULL)
		die("message %d: from %s <%s>", i + 1, in->from_name ? in->from_name : "",
		    in->from_addr ? in->from_addr : "");
	if (in->text == NULL || strstr(in->text, "=C3") || strstr(in->text, "=\n") ||
	    strcmp(in->text, m->text) != 0)
		die("message %d: the text did not come back as written", i + 1);
	if (in->nfiles != (m->png ? 1u : 0u) || in->dropped_files ||
	    (m->png && (strcmp(in->files[0].mime, "image/png") ||
			in->files[0].size < 100 ||
			memcmp(in->files[0].data, "\x89PNG", 4))))
		die("message %d: %zu files (%zu dropped)", i + 1, in->nfiles,
		    in->dropped_files);
	if (m->kind == K_REPLY && (in->in_reply_to == NULL ||
				   strcmp(in->in_reply_to, ms[m->orig].msgid)))
		die("message %d: In-Reply-To", i + 1);
	if (m->kind == K_REPLY &&
	    (in->text_trimmed == NULL || strstr(in->text_trimmed, "escribió") ||
	     strlen(in->text_trimmed) >= strlen(in->text)))
		die("message %d: the quote was not trimmed", i + 1);
	mime_free(mm);
}

static FILE *
create(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		die("cannot create %s: %s", path, strerror(errno));
	return f;
}

static void
close_ok(FILE *f, const char *what)
{
	if (ferror(f) | fclose(f))
		die("cannot write %s", what);
}

static void
mkdir_ok(const char *path)
{
	if (mkdir(path, 0755) && errno != EEXIST)
		die("cannot create %s: %s", path, strerror(errno));
}

static int
cmd_gen(const char *dir, int n, int m_first)
{
	struct msg *ms = calloc((size_t)n, sizeof *ms);
	struct ticket *tickets = calloc((size_t)n, sizeof *tickets);
	/* 2026-03-03T00:00:00-06:00, a Tuesday: mail arrives every 30 s or so */
	int64_t t0 = 1772517600;
	int nt = 0, count[3] = { 0 }, npng = 0, first100 = 0;
	size_t bytes = 0, minb = SIZE_MAX, maxb = 0;
	char path[4096];
	FILE *f, *list, *expect, *mbox;

	if (ms == NULL || tickets == NULL)
		die("out of memory");
	for (int i = 0; i < n; i++) {
		struct msg *m = &ms[i];

		m->date = t0 + (int64_t)i * 29 + rnd(20);
		/* Tickets a reply may name: opened SETTLED messages back. */
		int ready = 0;

		while (ready < nt && tickets[ready].opener <= i - SETTLED)
			ready++;
		if (i >= OPENERS && (i + 1) % DUP_EVERY == 0) {
			m->kind = K_DUP;
			do
				m->orig = i - SETTLED - rnd(50);
			while (ms[m->orig].kind == K_DUP);
			m->subject = ms[m->orig].subject;
		} else if (i >= OPENERS && rnd(100) < REPLY_PCT && ready > 0) {
			/* Mostly the first hundred tickets (INT-YYYY-000NN);
			 * only those among the first m_first messages. */
			int t = i < m_first || (rnd(100) < 70 && ready > 99) ?
				rnd(ready < 99 ? ready : 99) : rnd(ready);
			const struct ticket *tk = &tickets[t];

			m->kind = K_REPLY;
			m->folio = t + 1;
			m->orig = tk->opener;
			m->subject = tk->subject;
			if (rnd(100) < 60) {
				m->person = tk->person;
			} else {
				int org = people[tk->person].org;

				do
					m->person = rnd(NPEOPLE);
				while (people[m->person].org != org ||
				       m->person == tk->person);
			}
			if (m->folio < 100)
				first100++;
		} else {
			m->kind = K_NEW;
			m->person = rnd(NPEOPLE);
			m->subject = rnd(NSUBJ);
			m->folio = ++nt;
			tickets[nt - 1] = (struct ticket){ i, m->person, m->subject };
		}
		if (m->kind == K_DUP) {
			redeliver(ms, i);
		} else {
			m->png = rnd(3) == 0;
			build(ms, i, tickets);
		}
		check(ms, i);
		count[m->kind]++;
		npng += m->png;
		bytes += m->len;
		if (m->len < minb)
			minb = m->len;
		if (m->len > maxb)
			maxb = m->len;
	}

	snprintf(path, sizeof path, "%s/eml", dir);
	mkdir_ok(path);
	snprintf(path, sizeof path, "%s/maildir", dir);
	mkdir_ok(path);
	for (int k = 0; k < 3; k++) {
		snprintf(path, sizeof path, "%s/maildir/%s", dir,
			 (const char *[]){ "cur", "new", "tmp" }[k]);
		mkdir_ok(path);
	}
	list = create(dir, "eml.list");
	expect = create(dir, "expect.txt");
	mbox = create(dir, "mbox");
	for (int i = 0; i < n; i++) {
		const struct msg *m = &ms[i];
		const struct person *p = &people[m->person];
		time_t lt = (time_t)m->date;
		struct tm tm;
		char name[64];

		snprintf(name, sizeof name, "eml/%05d.eml", i + 1);
		f = create(dir, name);
		fwrite(m->bytes, 1, m->len, f);
		close_ok(f, name);
		fprintf(list, "%s/%s\n", dir, name);
		snprintf(name, sizeof name, "maildir/new/%lld.M%05dP4242.mx",
			 (long long)m->date, i + 1);
		f = create(dir, name);
		fwrite(m->bytes, 1, m->len, f);
		close_ok(f, name);
		/* mboxrd: "From " lines in the body get one more '>' */
		gmtime_r(&lt, &tm);
		fprintf(mbox, "From %s@%s %s %s %2d %02d:%02d:%02d %d\n", p->user,
			orgs[p->org].domain, wday[tm.tm_wday], mon[tm.tm_mon],
			tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
			tm.tm_year + 1900);
		for (const char *q = m->bytes, *end = m->bytes + m->len; q < end;) {
			const char *nl = memchr(q, '\n', (size_t)(end - q));
			const char *next = nl ? nl + 1 : end, *r = q;

			while (r < next && *r == '>')
				r++;
			if ((size_t)(next - r) >= 5 && strncmp(r, "From ", 5) == 0)
				fputc('>', mbox);
			fwrite(q, 1, (size_t)(next - q), mbox);
			q = next;
		}
		fputc('\n', mbox);
		if (m->kind == K_DUP)
			fprintf(expect, "%d duplicate -\n", i + 1);
		else
			fprintf(expect, "%d %s INT-%d-%05d\n", i + 1,
				kind_name[m->kind], YEAR, m->folio);
	}
	close_ok(list, "eml.list");
	close_ok(expect, "expect.txt");
	close_ok(mbox, "mbox");

	f = create(dir, "orgs.tsv");
	for (int k = 0; k < NORG; k++)
		fprintf(f, "%s\t%s\n", orgs[k].name, orgs[k].rfc);
	close_ok(f, "orgs.tsv");
	f = create(dir, "contacts.tsv");
	for (int k = 0; k < NPEOPLE; k++)
		fprintf(f, "%s\t%s\t%s@%s\t%s\t%s\n", people[k].name,
			people[k].surname, people[k].user, orgs[people[k].org].domain,
			people[k].phone, orgs[people[k].org].name);
	close_ok(f, "contacts.tsv");

	printf("messages=%d\nnew=%d\nreply=%d\nduplicate=%d\npng=%d\n"
	       "replies_to_first_100=%d\nbytes=%zu\nbytes_mean=%zu\n"
	       "bytes_min=%zu\nbytes_max=%zu\norgs=%d\ncontacts=%d\n", n,
	       count[K_NEW], count[K_REPLY], count[K_DUP], npng, first100, bytes,
	       bytes / (size_t)n, minb, maxb, NORG, NPEOPLE);
	for (int i = 0; i < n; i++) {
		free(ms[i].text);
		free(ms[i].bytes);
	}
	free(ms);
	free(tickets);
	return 0;
}

/* ---- reading lists of files ------------------------------------------ */

static char **
read_list(const char *path, int *n)
{
	FILE *f = fopen(path, "r");
	char line[4096], **v = NULL;
	int cap = 0;

	*n = 0;
	if (f == NULL)
		die("cannot read %s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0] == 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((v = realloc(v, (size_t)cap * sizeof *v)) == NULL)
				die("out of memory");
		}
		if ((v[(*n)++] = strdup(line)) == NULL)
			die("out of memory");
	}
	fclose(f);
	if (*n == 0)
		die("%s is empty", path);
	return v;
}

static char *
slurp(const char *path, size_t *len)
{
	struct buf b;
	char chunk[65536];
	size_t k;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		die("cannot read %s: %s", path, strerror(errno));
	buf_init(&b, BUF_MAX_DEFAULT);
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		need(buf_add(&b, chunk, k));
	fclose(f);
	return buf_detach(&b, len);
}

static void
print_rate(int n, int64_t ns, int64_t cpu)
{
	printf("n=%d\nns=%" PRId64 "\nper_s=%.3f\nus_each=%.3f\ncpu_us=%" PRId64
	       "\ncpu_us_each=%.3f\n", n, ns, n * 1e9 / (double)ns,
	       (double)ns / 1e3 / n, cpu, (double)cpu / n);
}

/* ---- raw SQLite ------------------------------------------------------ */

static void
sql_ok(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		die("%s: %s", what, sqlite3_errmsg(db));
}

static int
step_reset(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int
cmd_raw(const char *path, const char *listfile)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *begin, *ins, *commit, *cnt;
	int n;
	char **files = read_list(listfile, &n);
	char **data = calloc((size_t)n, sizeof *data);
	size_t *len = calloc((size_t)n, sizeof *len), total = 0;
	int64_t t0, t1, c0, c1, rows;

	if (data == NULL || len == NULL)
		die("out of memory");
	for (int i = 0; i < n; i++) {
		data[i] = slurp(files[i], &len[i]);
		total += len[i];
	}
	unlink(path);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		die("cannot open %s", path);
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	sql_ok(db, sqlite3_exec(db, "PRAGMA foreign_keys = ON;"
				"PRAGMA journal_mode = WAL;"
				"PRAGMA synchronous = NORMAL;"
				"CREATE TABLE raw (id INTEGER PRIMARY KEY,"
				" received_at INTEGER NOT NULL,"
				" size INTEGER NOT NULL, data BLOB NOT NULL);",
				NULL, NULL, NULL), "schema");
	sql_ok(db, sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL),
	       "prepare");
	sql_ok(db, sqlite3_prepare_v2(db, "INSERT INTO raw (received_at, size, "
				      "data) VALUES (?, ?, ?)", -1, &ins, NULL),
	       "prepare");
	sql_ok(db, sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL), "prepare");
	c0 = cpu_us(RUSAGE_SELF);
	t0 = now_ns();
	for (int i = 0; i < n; i++) {
		sql_ok(db, step_reset(begin), "BEGIN IMMEDIATE");
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)time(NULL));
		sqlite3_bind_int64(ins, 2, (sqlite3_int64)len[i]);
		sqlite3_bind_blob(ins, 3, data[i], (int)len[i], SQLITE_STATIC);
		sql_ok(db, step_reset(ins), "INSERT");
		sql_ok(db, step_reset(commit), "COMMIT");
	}
	t1 = now_ns();
	c1 = cpu_us(RUSAGE_SELF);
	sql_ok(db, sqlite3_prepare_v2(db, "SELECT count(*) FROM raw", -1, &cnt,
				      NULL), "prepare");
	sql_ok(db, sqlite3_step(cnt), "count");
	rows = sqlite3_column_int64(cnt, 0);
	sqlite3_finalize(cnt);
	sqlite3_finalize(begin);
	sqlite3_finalize(ins);
	sqlite3_finalize(commit);
	sqlite3_close(db);
	if (rows != n)
		die("raw: %" PRId64 " rows after %d inserts", rows, n);
	print_rate(n, t1 - t0, c1 - c0);
	printf("bytes_mean=%zu\nsqlite=%s\n", total / (size_t)n, sqlite3_libversion());
	for (int i = 0; i < n; i++) {
		free(data[i]);
		free(files[i]);
	}
	free(data);
	free(len);
	free(files);
	return 0;
}

/* ---- processes ------------------------------------------------------- */

static int
cmd_spawn(int par, const char *outdir, const char *listfile, char **argv)
{
	struct {
		pid_t pid;
		int job;
	} run[MAX_JOBS];
	int n, next = 0, running = 0, failed = 0, first_failed = 0,
	    first_status = 0;
	char **files = read_list(listfile, &n);
	int64_t t0, t1, c0;

	if (par < 1 || par > MAX_JOBS)
		die("spawn: 1 to %d at a time", MAX_JOBS);
	c0 = cpu_us(RUSAGE_CHILDREN);
	t0 = now_ns();
	while (next < n || running > 0) {
		int status;
		pid_t pid;

		while (running < par && next < n) {
			posix_spawn_file_actions_t fa;
			char out[4096], err[4096];
			int rc;

			snprintf(out, sizeof out, "%s/%05d.out", outdir, next + 1);
			snprintf(err, sizeof err, "%s/%05d.err", outdir, next + 1);
			if (posix_spawn_file_actions_init(&fa) ||
			    posix_spawn_file_actions_addopen(&fa, 0, files[next],
							     O_RDONLY, 0) ||
			    posix_spawn_file_actions_addopen(&fa, 1, out,
							     O_WRONLY | O_CREAT | O_TRUNC, 0644) ||
			    posix_spawn_file_actions_addopen(&fa, 2, err,
							     O_WRONLY | O_CREAT | O_TRUNC, 0644))
				die("spawn: file actions");
			rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
			posix_spawn_file_actions_destroy(&fa);
			if (rc)
				die("cannot start %s: %s", argv[0], strerror(rc));
			run[running].pid = pid;
			run[running].job = ++next;
			running++;
		}
		if ((pid = waitpid(-1, &status, 0)) < 0) {
			if (errno == EINTR)
				continue;
			die("waitpid: %s", strerror(errno));
		}
		for (int k = 0; k < running; k++)
			if (run[k].pid == pid) {
				if (!WIFEXITED(status) || WEXITSTATUS(status)) {
					if (failed++ == 0) {
						first_failed = run[k].job;
						first_status = WIFEXITED(status) ?
							       WEXITSTATUS(status) :
							       128 + WTERMSIG(status);
					}
				}
				run[k] = run[--running];
				break;
			}
	}
	t1 = now_ns();
	print_rate(n, t1 - t0, cpu_us(RUSAGE_CHILDREN) - c0);
	printf("parallel=%d\nfailed=%d\nfirst_failed=%d\nfirst_status=%d\n", par,
	       failed, first_failed, first_status);
	for (int i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return 0;
}

/* ---- counting -------------------------------------------------------- */

static int64_t
scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;

	sql_ok(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
	sql_ok(db, sqlite3_step(st), sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
cmd_count(const char *path)
{
	static const char *const states[] = { "received", "processed", "duplicate",
		"ignored", "refused", "quarantined" };
	sqlite3 *db = NULL;
	sqlite3_stmt *st;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("cannot open %s", path);
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	printf("raw_mail=%" PRId64 "\n", scalar(db, "SELECT count(*) FROM raw_mail"));
	for (size_t k = 0; k < sizeof states / sizeof states[0]; k++) {
		char sql[128];

		snprintf(sql, sizeof sql, "SELECT count(*) FROM raw_mail WHERE "
			 "state = '%s'", states[k]);
		printf("raw_mail.%s=%" PRId64 "\n", states[k], scalar(db, sql));
	}
	printf("tickets=%" PRId64 "\n", scalar(db, "SELECT count(*) FROM tickets"));
	printf("tickets_by_mail=%" PRId64 "\n", scalar(db, "SELECT count(DISTINCT "
	       "ticket_id) FROM raw_mail WHERE state = 'processed'"));
	printf("attachments=%" PRId64 "\n", scalar(db, "SELECT count(*) FROM "
	       "attachments"));
	printf("outbox=%" PRId64 "\n", scalar(db, "SELECT count(*) FROM outbox"));
	sql_ok(db, sqlite3_prepare_v2(db, "SELECT kind || '.' || author_kind, "
				      "count(*) FROM messages GROUP BY 1", -1,
				      &st, NULL), "messages");
	while (sqlite3_step(st) == SQLITE_ROW)
		printf("messages.%s=%lld\n", sqlite3_column_text(st, 0),
		       (long long)sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}

/* ---- folios as a concurrent run gave them ---------------------------- */

static int
cmd_refolio(const char *expect, const char *outdir, const char *listfile,
	    const char *dstdir)
{
	char line[512], want[64], kind[32], **files;
	char (*map)[2][32] = NULL;
	int nmap = 0, cap = 0, n, i;
	FILE *f = fopen(expect, "r");

	if (f == NULL)
		die("cannot read %s", expect);
	/* Each opener's expected folio and the one its process answered. */
	while (fgets(line, sizeof line, f) &&
	       sscanf(line, "%d %31s %63s", &i, kind, want) == 3) {
		char path[4096], got[512] = "", k2[32], folio[64];
		FILE *o;

		if (strcmp(kind, "new_ticket"))
			continue;
		snprintf(path, sizeof path, "%s/%05d.out", outdir, i);
		if ((o = fopen(path, "r")) == NULL)
			continue; /* not run: not an opener of this run */
		if (fgets(got, sizeof got, o) == NULL ||
		    sscanf(got, "%31s %63s", k2, folio) != 2 ||
		    strcmp(k2, "new_ticket") || strlen(folio) != strlen(want))
			die("%s: '%s' is not a new ticket like %s", path, got, want);
		fclose(o);
		if (nmap == cap) {
			cap = cap ? cap * 2 : 128;
			if ((map = realloc(map, (size_t)cap * sizeof *map)) == NULL)
				die("out of memory");
		}
		snprintf(map[nmap][0], 32, "[%s]", want);
		snprintf(map[nmap][1], 32, "[%s]", folio);
		nmap++;
	}
	fclose(f);
	files = read_list(listfile, &n);
	for (i = 0; i < n; i++) {
		size_t len;
		char *d = slurp(files[i], &len), *hit, path[4096];
		const char *base = strrchr(files[i], '/');
		FILE *o;

		/* The same length: the bytes change only where the folio is. */
		for (int k = 0; k < nmap; k++)
			if ((hit = strstr(d, map[k][0])) != NULL) {
				memcpy(hit, map[k][1], strlen(map[k][1]));
				break;
			}
		snprintf(path, sizeof path, "%s/%s", dstdir, base ? base + 1 : files[i]);
		if ((o = fopen(path, "w")) == NULL)
			die("cannot create %s", path);
		fwrite(d, 1, len, o);
		close_ok(o, path);
		printf("%s\n", path);
		free(d);
		free(files[i]);
	}
	free(files);
	free(map);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "gen") == 0) {
		int n = atoi(argv[3]);

		if (n < OPENERS)
			die("gen: at least %d messages", OPENERS);
		return cmd_gen(argv[2], n, atoi(argv[4]));
	}
	if (argc == 6 && strcmp(argv[1], "refolio") == 0)
		return cmd_refolio(argv[2], argv[3], argv[4], argv[5]);
	if (argc == 4 && strcmp(argv[1], "raw") == 0)
		return cmd_raw(argv[2], argv[3]);
	if (argc >= 6 && strcmp(argv[1], "spawn") == 0)
		return cmd_spawn(atoi(argv[2]), argv[3], argv[4], argv + 5);
	if (argc == 3 && strcmp(argv[1], "count") == 0)
		return cmd_count(argv[2]);
	fputs("usage: mail_bench gen DIR N M | refolio EXPECT OUTDIR LIST DSTDIR | "
	      "raw DB LIST | "
	      "spawn P OUTDIR LIST PROGRAM ARG... | count DB\n", stderr);
	return 2;
}
