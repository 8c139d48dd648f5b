/* test_zone_files.c — zone/ against real and made-up TZif files (SLA-1:
 * business calendars in the provider's zone): every zone of the system
 * agrees with glibc, rule forms no system zone uses yet agree too, and
 * a damaged file or a name that leads elsewhere is refused with a reason. */
#include "fixture.h"
#include "test.h"

#include "../src/util/buf.h"
#include "../src/zone/tzif.h"
#include "../src/zone/zone.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define Y2000 946684800LL
#define Y2080 3471292800LL

/* ---- the environment glibc and zone/ read ---------------------------- */

struct saved_env {
	char *tz, *tzdir;
};

static char *
dup_env(const char *name)
{
	const char *v = getenv(name);

	return v ? strdup(v) : NULL;
}

static void
env_save(struct saved_env *s)
{
	s->tz = dup_env("TZ");
	s->tzdir = dup_env("TZDIR");
}

static void
env_put(const char *name, const char *v)
{
	if (v)
		setenv(name, v, 1);
	else
		unsetenv(name);
}

static void
env_restore(struct saved_env *s)
{
	env_put("TZ", s->tz);
	env_put("TZDIR", s->tzdir);
	tzset();
	free(s->tz);
	free(s->tzdir);
}

static const char *
zone_dir(void)
{
	const char *d = getenv("TZDIR");

	return d && *d ? d : "/usr/share/zoneinfo";
}

static long
glibc_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	return tm.tm_gmtoff;
}

/* ---- comparing with glibc -------------------------------------------- */

/* The changes tzif.c reads from a file, 2000 to 2079. */
static size_t
tzif_changes(const struct tzif *t, int64_t *out, size_t cap)
{
	int64_t at = Y2000, next;
	size_t n = 0;
	int off;

	while (n < cap && tzif_next(t, at, &next, &off) && next < Y2080) {
		out[n++] = next;
		at = next;
	}
	return n;
}

/* zone_offset against glibc under the TZ already set: at `samples`
 * instants of 2000–2079, a second either side of each change in
 * `changes`, and a second either side of each change glibc shows between
 * weekly samples (found by bisection). Reports and counts mismatches, at
 * most a few. */
static int
agree(const char *label, struct zone *z, const int64_t *changes, size_t n,
      int samples, uint64_t seed)
{
	int bad = 0;
	long prev = glibc_offset(Y2000);

#define AT(u)                                                           \
	do {                                                            \
		int64_t u_ = (u);                                       \
		long g_ = glibc_offset(u_);                             \
		if (zone_offset(z, u_) != g_ && bad++ < 3)              \
			t_fail(__FILE__, __LINE__, "%s at %lld: %d, glibc %ld", \
			       label, (long long)u_, zone_offset(z, u_), g_); \
	} while (0)

	for (int i = 0; i < samples; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		AT(Y2000 + (int64_t)(seed % (uint64_t)(Y2080 - Y2000)));
	}
	for (size_t i = 0; i < n; i++) {
		AT(changes[i] - 1);
		AT(changes[i]);
	}
	for (int64_t t = Y2000 + 7 * 86400; t < Y2080; t += 7 * 86400) {
		long g = glibc_offset(t);
		int64_t lo = t - 7 * 86400, hi = t;

		if (g == prev)
			continue;
		while (hi - lo > 1) {
			int64_t mid = lo + (hi - lo) / 2;

			if (glibc_offset(mid) == prev)
				lo = mid;
			else
				hi = mid;
		}
		AT(hi - 1);
		AT(hi);
		prev = g;
	}
#undef AT
	return bad;
}

/* One zone file: zone_open, the file's own changes through tzif.c, and
 * glibc under TZ=name. */
static int
agree_zone(const char *name, const char *path, int samples)
{
	struct sp_err err = { 0 };
	struct zone *z = NULL;
	struct tzif t;
	struct buf b;
	int64_t changes[512];
	size_t n;
	int bad;

	if (zone_open(&z, name, &err)) {
		t_fail(__FILE__, __LINE__, "zone_open(%s): %s", name, err.msg);
		return 1;
	}
	if (!fx_read_file(path, &b) ||
	    tzif_parse(&t, (const unsigned char *)b.ptr, b.len, name, &err)) {
		t_fail(__FILE__, __LINE__, "%s: %s", path, err.msg);
		buf_free(&b);
		zone_free(z);
		return 1;
	}
	n = tzif_changes(&t, changes, sizeof changes / sizeof changes[0]);
	setenv("TZ", name, 1);
	tzset();
	bad = agree(name, z, changes, n, samples, 0x9e3779b97f4a7c15ULL ^ b.len);
	tzif_free(&t);
	buf_free(&b);
	zone_free(z);
	return bad;
}

/* ---- every zone of the system ---------------------------------------- */

struct names {
	char **v;
	size_t n, cap;
};

static void
names_add(struct names *ns, const char *name)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 256;
		ns->v = realloc(ns->v, ns->cap * sizeof *ns->v);
		if (ns->v == NULL)
			abort();
	}
	ns->v[ns->n++] = strdup(name);
}

static void
names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_tzif(const char *path)
{
	FILE *f = fopen(path, "rb");
	char magic[4] = { 0 };
	bool yes;

	if (f == NULL)
		return false;
	yes = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return yes;
}

/* Regular TZif files under dir/sub, as names relative to dir; right/
 * (leap seconds) and posix/ (the same files again) left out, and so are
 * zone.tab, tzdata.zi, leapseconds and the like (not TZif). Symbolic
 * links go to `links`. */
static void
walk(const char *dir, const char *sub, struct names *files,
     struct names *links, int depth)
{
	char path[1024], name[512];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof path, "%s%s%s", dir, *sub ? "/" : "", sub);
	d = opendir(path);
	if (d == NULL || depth > 4) {
		if (d)
			closedir(d);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		char full[1536];

		if (e->d_name[0] == '.' ||
		    (!*sub && (strcmp(e->d_name, "right") == 0 ||
			       strcmp(e->d_name, "posix") == 0)))
			continue;
		snprintf(name, sizeof name, "%s%s%s", sub, *sub ? "/" : "",
			 e->d_name);
		snprintf(full, sizeof full, "%s/%s", dir, name);
		if (lstat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(dir, name, files, links, depth + 1);
		else if (S_ISLNK(st.st_mode))
			names_add(links, name);
		else if (S_ISREG(st.st_mode) && is_tzif(full))
			names_add(files, name);
	}
	closedir(d);
}

/* Every zone file of the system database, at 3,000 instants each and
 * around every change either side sees. A link opens when it leads to a
 * zone file inside the directory. */
static void
sla1_every_system_zone_agrees_with_glibc(void)
{
	struct names files = { 0 }, links = { 0 };
	struct saved_env env;
	const char *dir = zone_dir();
	char *rdir = realpath(dir, NULL);
	int bad = 0;

	env_save(&env);
	walk(dir, "", &files, &links, 0);
	qsort(files.v, files.n, sizeof *files.v, cmp_names);
	if (files.n < 300)
		t_fail(__FILE__, __LINE__, "only %zu zone files under %s",
		       files.n, dir);
	for (size_t i = 0; i < files.n && bad < 10; i++) {
		char path[1024];

		snprintf(path, sizeof path, "%s/%s", dir, files.v[i]);
		bad += agree_zone(files.v[i], path, 3000);
	}
	for (size_t i = 0; i < links.n && rdir; i++) {
		char path[1024], *target;

		snprintf(path, sizeof path, "%s/%s", dir, links.v[i]);
		target = realpath(path, NULL);
		if (target && strncmp(target, rdir, strlen(rdir)) == 0 &&
		    target[strlen(rdir)] == '/' && is_tzif(target) &&
		    !zone_exists(links.v[i]))
			t_fail(__FILE__, __LINE__, "link %s (to %s) does not "
			       "open", links.v[i], target);
		free(target);
	}
	free(rdir);
	names_free(&files);
	names_free(&links);
	env_restore(&env);
}

/* ---- made-up files ---------------------------------------------------- */

/* A TZif file: `version` 0 (version 1: the 32-bit block only) or '2' to
 * '4' (a minimal 32-bit block, then the 64-bit one and the footer). Every
 * type's abbreviation is "ZZZ". */
struct tzspec {
	int version;
	size_t n;
	const int64_t *at;
	const unsigned char *idx;
	size_t ntypes;
	const int32_t *utoff;
	const char *footer;
};

static void
put32(struct buf *b, uint32_t v)
{
	unsigned char c[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };

	buf_add(b, c, 4);
}

static void
put_header(struct buf *b, int version, uint32_t time, uint32_t types,
	   uint32_t chars)
{
	buf_add(b, "TZif", 4);
	buf_addc(b, (char)version);
	buf_add(b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 15);
	put32(b, 0);     /* isutcnt */
	put32(b, 0);     /* isstdcnt */
	put32(b, 0);     /* leapcnt */
	put32(b, time);
	put32(b, types);
	put32(b, chars);
}

static void
put_block(struct buf *b, const struct tzspec *s, int tsize)
{
	for (size_t i = 0; i < s->n; i++) {
		if (tsize == 8)
			put32(b, (uint32_t)((uint64_t)s->at[i] >> 32));
		put32(b, (uint32_t)s->at[i]);
	}
	buf_add(b, s->idx, s->n);
	for (size_t k = 0; k < s->ntypes; k++) {
		put32(b, (uint32_t)s->utoff[k]);
		buf_addc(b, 0); /* isdst: unused by zone/ */
		buf_addc(b, 0);
	}
	buf_add(b, "ZZZ", 4);
}

/* Builds the file; *second is where the 64-bit header starts. */
static void
build_tzif(struct buf *b, const struct tzspec *s, size_t *second)
{
	buf_init(b, 1 << 20);
	if (s->version == 0) {
		put_header(b, 0, (uint32_t)s->n, (uint32_t)s->ntypes, 4);
		put_block(b, s, 4);
		*second = 0;
		return;
	}
	put_header(b, s->version, 0, 1, 4);
	buf_add(b, "\0\0\0\0\0\0ZZZ", 10);
	*second = b->len;
	put_header(b, s->version, (uint32_t)s->n, (uint32_t)s->ntypes, 4);
	put_block(b, s, 8);
	buf_printf(b, "\n%s\n", s->footer);
}

static bool
write_zone(const char *dir, const char *name, const void *p, size_t len)
{
	char path[1024];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return fx_write_file(path, p, len);
}

/* Rule forms no system zone uses today (Jn, n, hours past 24 or below
 * 0, half-hour daylight time, the southern hemisphere, a version 1 file
 * with no footer), in files of a made-up TZDIR that zone/ and glibc both
 * read. Each file lists one transition, in 1990, and leaves the rest to
 * its footer. */
static void
sla1_made_up_zone_files_agree_with_glibc(void)
{
	static const char *const footers[] = {
		"AAA3BBB,J60/2,J300/2",
		"AAA3BBB,59/2,299/2",
		"AAA3BBB,100/-3,300/27",
		"<-04>4<-03>,M9.1.6/24,M4.1.6/24",
		"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
		"<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
		"IST-1GMT0,M10.5.0,M3.5.0/1",
		"EET-2EEST,M3.4.4/50,M10.4.4/50",
		"<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
		"CST6",
	};
	static const int64_t at[] = { 631152000 }; /* 1990-01-01 */
	static const unsigned char idx[] = { 1 };
	static const int32_t v1_utoff[] = { 0, -18000, -14400 };
	static const int64_t v1_at[] = { 631152000, 1000000000, 1100000000 };
	static const unsigned char v1_idx[] = { 1, 2, 1 };
	const char *dir = fx_path("zoneinfo");
	struct saved_env env;
	int bad = 0;

	CHECK(mkdir(dir, 0700) == 0);
	env_save(&env);
	setenv("TZDIR", dir, 1);
	for (size_t i = 0; i < sizeof footers / sizeof footers[0] && !bad; i++) {
		struct tzrule r;
		int32_t utoff[2] = { 0, 0 };
		struct tzspec s = { '2', 1, at, idx, 2, utoff, footers[i] };
		struct zone *z = NULL;
		struct sp_err err = { 0 };
		struct tzif t;
		struct buf b;
		size_t second;
		char name[32];
		int64_t changes[256];
		size_t n;

		CHECK_INT(tzrule_parse(&r, footers[i], NULL), 0);
		utoff[1] = r.std; /* standard time in January 1990 */
		if (r.has_dst && r.start.kind == 'M' && r.start.month > 6)
			utoff[1] = r.dst; /* southern summer */
		build_tzif(&b, &s, &second);
		snprintf(name, sizeof name, "Test/Rule%zu", i);
		if (i == 0) {
			char sub[1024];

			snprintf(sub, sizeof sub, "%s/Test", dir);
			CHECK(mkdir(sub, 0700) == 0);
		}
		CHECK(write_zone(dir, name, b.ptr, b.len));
		CHECK_INT(tzif_parse(&t, (const unsigned char *)b.ptr, b.len,
				     name, &err), 0);
		n = tzif_changes(&t, changes, 256);
		tzif_free(&t);
		buf_free(&b);
		if (zone_open(&z, name, &err)) {
			t_fail(__FILE__, __LINE__, "%s (%s): %s", name,
			       footers[i], err.msg);
			break;
		}
		setenv("TZ", name, 1);
		tzset();
		bad += agree(footers[i], z, changes, n, 3000, i + 1);
		zone_free(z);
	}
	/* Version 1: 32-bit times, no footer; the last type holds. */
	{
		struct tzspec s = { 0, 3, v1_at, v1_idx, 3, v1_utoff, NULL };
		struct zone *z = NULL;
		struct buf b;
		size_t second;

		build_tzif(&b, &s, &second);
		CHECK(write_zone(dir, "Test/V1", b.ptr, b.len));
		buf_free(&b);
		CHECK_INT(zone_open(&z, "Test/V1", NULL), 0);
		setenv("TZ", "Test/V1", 1);
		tzset();
		bad += agree("Test/V1", z, v1_at, 3, 3000, 99);
		CHECK_INT(zone_offset(z, 4000000000LL), -18000);
		zone_free(z);
	}
	env_restore(&env);
}

/* A made-up TZDIR with one good zone, then one damaged file after
 * another: each refused with SP_EINVAL and a message that names the zone
 * and says what is wrong. */
struct damage {
	const char *what;  /* the test's words */
	size_t cut;        /* keep this many bytes (0: all) */
	size_t at;         /* offset to patch, from the 64-bit header... */
	bool from_second;  /* ...or from the file's start */
	const char *bytes; /* the patch */
	size_t len;
	const char *want;  /* in the message */
};

static void
sla1_damaged_zone_files_are_refused_with_a_reason(void)
{
	static const int64_t at[] = { 631152000, 1000000000 };
	static const unsigned char idx[] = { 1, 0 };
	static const int32_t utoff[] = { -21600, -18000 };
	static const struct damage cases[] = {
		{ "empty", 0, 0, false, NULL, 0, "truncated" },
		{ "half a header", 30, 0, false, NULL, 0, "truncated" },
		{ "bad magic", 0, 0, false, "TZiX", 4, "not a TZif file" },
		{ "bad magic, second header", 0, 0, true, "TZiX", 4,
		  "not a TZif file" },
		{ "unknown version", 0, 4, false, "9", 1, "version" },
		{ "versions differ", 0, 4, true, "3", 1, "versions" },
		{ "no second header", 60, 0, false, NULL, 0, "truncated" },
		{ "cut in the data", 100, 0, false, NULL, 0, "truncated" },
		{ "no footer", 0, 0, false, NULL, 0, "footer" },
		{ "huge transition count", 0, 32, true, "\xff\xff\xff\xff", 4,
		  "4294967295 transitions" },
		{ "huge type count", 0, 36, true, "\x00\x01\x00\x00", 4,
		  "time types" },
		{ "huge abbreviation count", 0, 40, true, "\x7f\xff\xff\xff", 4,
		  "truncated, or its header lies" },
		{ "no types", 0, 36, true, "\0\0\0\0", 4, "time types" },
		{ "leap seconds", 0, 28, true, "\0\0\0\x01", 4, "leap seconds" },
		{ "transitions out of order", 0, 44 + 8, true,
		  "\0\0\0\0\0\0\0\0", 8, "not after" },
		{ "a type that does not exist", 0, 44 + 16, true, "\x07", 1,
		  "names time type 7" },
		{ "an offset of days", 0, 44 + 18, true, "\x00\x10\x00\x00", 4,
		  "beyond" },
		{ "isdst 2", 0, 44 + 22, true, "\x02", 1, "isdst" },
	};
	struct tzspec s = { '2', 2, at, idx, 2, utoff, "CST6" };
	const char *dir = fx_path("zoneinfo");
	struct saved_env env;
	struct buf good;
	size_t second;

	CHECK(mkdir(dir, 0700) == 0);
	env_save(&env);
	setenv("TZDIR", dir, 1);
	build_tzif(&good, &s, &second);
	CHECK(write_zone(dir, "Good", good.ptr, good.len));
	CHECK(zone_exists("Good"));
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct damage *d = &cases[i];
		struct zone *z = (struct zone *)(void *)&z;
		struct sp_err err = { 0 };
		size_t len = d->cut ? d->cut : good.len;
		char *bytes = malloc(good.len);

		CHECK(bytes != NULL);
		memcpy(bytes, good.ptr, good.len);
		if (strcmp(d->what, "empty") == 0)
			len = 0;
		if (strcmp(d->what, "no footer") == 0)
			len = good.len - strlen("\nCST6\n");
		if (d->bytes)
			memcpy(bytes + d->at + (d->from_second ? second : 0),
			       d->bytes, d->len);
		if (!write_zone(dir, "Bad", bytes, len)) {
			free(bytes);
			t_fail(__FILE__, __LINE__, "cannot write %s", d->what);
			break;
		}
		free(bytes);
		if (zone_open(&z, "Bad", &err) != SP_EINVAL ||
		    z != (struct zone *)(void *)&z || zone_exists("Bad") ||
		    strstr(err.msg, "'Bad'") == NULL ||
		    strstr(err.msg, d->want) == NULL) {
			t_fail(__FILE__, __LINE__, "%s: got \"%s\", want "
			       "SP_EINVAL and \"%s\"", d->what, err.msg,
			       d->want);
			if (z != (struct zone *)(void *)&z)
				zone_free(z);
		}
	}
	/* Footers that are not TZ strings, and one with a space. */
	{
		static const char *const footers[] = { "XY5", "CST", "CST6CDT,M3",
			"CST6CDT,M13.1.0,M11.1.0", "CST6CDT,M3.2.0/168,M11.1.0",
			"CST25", "CST6 ", "CST6CDT,J0,J100", "CST6CDT,M3.2.0" };

		for (size_t i = 0; i < sizeof footers / sizeof footers[0]; i++) {
			struct tzspec f = s;
			struct zone *z = NULL;
			struct sp_err err = { 0 };
			struct buf b;

			f.footer = footers[i];
			build_tzif(&b, &f, &second);
			CHECK(write_zone(dir, "Bad", b.ptr, b.len));
			buf_free(&b);
			if (zone_open(&z, "Bad", &err) != SP_EINVAL ||
			    strstr(err.msg, "footer") == NULL) {
				t_fail(__FILE__, __LINE__, "footer \"%s\": got "
				       "\"%s\"", footers[i], err.msg);
				zone_free(z);
			}
		}
	}
	buf_free(&good);
	env_restore(&env);
}

static void
refused(const char *tzid, const char *want, const char *file, int line)
{
	struct sp_err err = { 0 };
	struct zone *z = NULL;

	if (zone_open(&z, tzid, &err) != SP_EINVAL || z != NULL ||
	    zone_exists(tzid) || strstr(err.msg, want) == NULL ||
	    strcmp(err.field, "tz") != 0) {
		t_fail(file, line, "zone '%s': got \"%s\", want SP_EINVAL and "
		       "\"%s\"", tzid ? tzid : "(null)", err.msg, want);
		zone_free(z);
	}
}

#define REFUSED(tzid, want) refused(tzid, want, __FILE__, __LINE__)

/* A zone name becomes a path under the zone directory, so it is an IANA
 * name and nothing else, and a symbolic link may not lead out. */
static void
sla1_zone_names_stay_inside_the_zone_directory(void)
{
	static const int32_t utoff[] = { -21600 };
	struct tzspec s = { '2', 0, NULL, NULL, 1, utoff, "CST6" };
	const char *dir = fx_path("zoneinfo");
	char path[1024];
	struct saved_env env;
	struct buf b;
	size_t second;

	REFUSED("../etc/passwd", "'..'");
	REFUSED("America/../../../etc/passwd", "'..'");
	REFUSED("/etc/localtime", "is a path");
	REFUSED("America/Mexico City", "character outside");
	REFUSED("America/Mexico_City\n", "character outside");
	REFUSED("America/México", "character outside");
	REFUSED("America/.hidden", "character outside");
	REFUSED("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"longer than 63");
	REFUSED("", "no time zone");
	REFUSED(NULL, "no time zone");
	REFUSED("Mars/Olympus", "unknown time zone 'Mars/Olympus'");
	REFUSED("America", "not a zone file");
	CHECK(zone_exists("UTC")); /* a link, inside */

	CHECK(mkdir(dir, 0700) == 0);
	env_save(&env);
	setenv("TZDIR", dir, 1);
	build_tzif(&b, &s, &second);
	CHECK(write_zone(dir, "Good", b.ptr, b.len));
	CHECK(fx_write_file(fx_path("outside"), b.ptr, b.len));
	CHECK(write_zone(dir, "Text", "# zone.tab\n", 11));
	buf_free(&b);
	snprintf(path, sizeof path, "%s/Inside", dir);
	CHECK(symlink("Good", path) == 0);
	snprintf(path, sizeof path, "%s/Escape", dir);
	CHECK(symlink("../outside", path) == 0);
	CHECK(zone_exists("Good"));
	CHECK(zone_exists("Inside"));
	REFUSED("Escape", "leads out of the zone directory");
	REFUSED("Text", "not a TZif file");
	REFUSED("America/Mexico_City", "unknown time zone");
	setenv("TZDIR", fx_path("nowhere"), 1);
	REFUSED("Good", "zone directory");
	env_restore(&env);
	CHECK(zone_exists("America/Mexico_City"));
}

const struct test zone_file_tests[] = {
	{ "sla1_every_system_zone_agrees_with_glibc",
	  sla1_every_system_zone_agrees_with_glibc },
	{ "sla1_made_up_zone_files_agree_with_glibc",
	  sla1_made_up_zone_files_agree_with_glibc },
	{ "sla1_damaged_zone_files_are_refused_with_a_reason",
	  sla1_damaged_zone_files_are_refused_with_a_reason },
	{ "sla1_zone_names_stay_inside_the_zone_directory",
	  sla1_zone_names_stay_inside_the_zone_directory },
	{ 0 },
};
