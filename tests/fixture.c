#include "fixture.h"

#include "../src/util/civil.h"
#include "test.h"

#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

const char *
fx_policies(void)
{
	const char *p = getenv("SOPORTE_POLICIES");

	return p && *p ? p : "policies";
}

const char *
fx_path(const char *name)
{
	static char path[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(path[k], sizeof path[k], "%s/%s", t_tmpdir(), name);
	return path[k];
}

int64_t
fx_at(const char *iso)
{
	int64_t t;

	if (civil_parse_instant(&t, iso)) {
		fprintf(stderr, "fixture: bad instant %s\n", iso);
		abort();
	}
	return t;
}

struct app *
fx_app(const char *pack, int64_t now)
{
	struct policy_report r;
	struct sp_err err = { 0 };
	struct app *app = NULL;
	const char *db = fx_path("t.db");

	policy_report_init(&r);
	if (app_init(db, fx_policies(), pack, now, &r, &err) ||
	    app_open(&app, db, pack, &err)) {
		t_fail(__FILE__, __LINE__, "fixture: %s %s", err.msg, r.text.ptr);
		app = NULL;
	}
	policy_report_free(&r);
	return app;
}

int
fx_cli(struct fx_run *r, const char *in, ...)
{
	const char *args[64];
	int n = 0;
	va_list ap;

	va_start(ap, in);
	while (n < 63 && (args[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	args[n] = NULL;
	return fx_cli_argv(r, in, args);
}

int
fx_cli_argv(struct fx_run *r, const char *in, const char *const *args)
{
	const char *bin = getenv("SOPORTE_BIN");
	const char *argv[64];
	int n = 0, pin[2], pout[2], perr[2];
	pid_t pid;
	size_t inlen = in ? strlen(in) : 0, inoff = 0;

	buf_init(&r->out, 16 << 20);
	buf_init(&r->err, 16 << 20);
	r->status = -1;
	if (bin == NULL) {
		t_fail(__FILE__, __LINE__, "SOPORTE_BIN is not set");
		return -1;
	}
	argv[n++] = bin;
	for (; n < 63 && args[n - 1]; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	if (pipe(pin) || pipe(pout) || pipe(perr))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pin[0], 0);
		dup2(pout[1], 1);
		dup2(perr[1], 2);
		close(pin[1]);
		close(pout[0]);
		close(perr[0]);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	if (inlen == 0) {
		close(pin[1]);
		pin[1] = -1;
	}
	{
		struct pollfd fds[3] = { { pout[0], POLLIN, 0 },
					 { perr[0], POLLIN, 0 },
					 { pin[1], POLLOUT, 0 } };
		int open = 2;

		while (open > 0 || fds[2].fd >= 0) {
			char chunk[4096];

			if (poll(fds, 3, 60000) <= 0)
				break;
			for (int i = 0; i < 2; i++) {
				ssize_t got;

				if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
					continue;
				got = read(fds[i].fd, chunk, sizeof chunk);
				if (got <= 0) {
					close(fds[i].fd);
					fds[i].fd = -1;
					open--;
				} else {
					buf_add(i ? &r->err : &r->out, chunk,
						(size_t)got);
				}
			}
			if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR))) {
				ssize_t put = write(fds[2].fd, in + inoff,
						    inlen - inoff);

				if (put > 0)
					inoff += (size_t)put;
				if (put <= 0 || inoff == inlen) {
					close(fds[2].fd);
					fds[2].fd = -1;
				}
			}
		}
	}
	{
		int st;

		waitpid(pid, &st, 0);
		r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	return r->status;
}

void
fx_run_free(struct fx_run *r)
{
	buf_free(&r->out);
	buf_free(&r->err);
}

bool
fx_ok(const struct fx_run *r, int status, const char *what, const char *file,
      int line)
{
	if (status == 0)
		return true;
	t_fail(file, line, "%s: exit %d\nstdout: %s\nstderr: %s", what, status,
	       r->out.ptr ? r->out.ptr : "", r->err.ptr ? r->err.ptr : "");
	return false;
}

bool
fx_read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;

	buf_init(b, 64 << 20);
	if (f == NULL)
		return false;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
	return true;
}

bool
fx_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	bool ok;

	if (f == NULL)
		return false;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok;
}
