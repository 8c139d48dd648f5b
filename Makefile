# soporte — plain Makefile; every library through pkg-config.
# make            build build/soporte
# make check      build with ASan+UBSan into build/check and run every test,
#                 the browser tests last (make check-browser)
# make test       run the tests on the plain build (faster, no sanitizers)
# make valgrind   run the unit tests under valgrind
# make demo       soporte demo on ./demo.db
# make screenshots  docs/console-*.png from the demo, in headless Chromium
# make bench      benchmarks (bench/)

CC      ?= cc
PKGS    := sqlite3 jansson yaml-0.1 libsodium gmime-3.0 libcurl libmicrohttpd
# Headers only: zone/ics.c loads libical.so.3 with dlopen when a .ics file
# is read or written, so that no process maps libical and the ICU and
# libstdc++ behind it until then (docs/architecture.md).
PKGS_HEADERS := libical
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(PKGS_HEADERS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
WARN    := -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion \
           -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
           -Wno-format-nonliteral
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT     ?= -O2 -g
WERROR  ?=
CFLAGS_ALL = $(CSTD) $(OPT) $(WARN) $(WERROR) $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lm $(EXTRA_LDFLAGS)

B       ?= build
SRC_LIB := $(wildcard src/util/*.c src/zone/*.c src/core/*.c src/store/*.c src/app/*.c src/mail/*.c src/http/*.c)
SRC_CLI := $(wildcard src/cli/*.c)
SRC_TEST := $(wildcard tests/*.c)
WEB_FILES := $(sort $(wildcard web/*))
OBJ_LIB := $(SRC_LIB:%.c=$(B)/%.o) $(B)/gen/openapi.o $(B)/gen/web.o $(B)/gen/catalog.o
OBJ_CLI := $(SRC_CLI:%.c=$(B)/%.o)
OBJ_TEST := $(SRC_TEST:%.c=$(B)/%.o)

.PHONY: all check check-browser browser-deps screenshots test valgrind demo bench \
	clean layering fuzz po i18n-check

all: $(B)/soporte

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# The OpenAPI document is compiled in: the server serves what docs/ holds.
$(B)/gen/openapi.c: docs/openapi.json
	@mkdir -p $(dir $@)
	{ echo '/* generated from docs/openapi.json */'; \
	  echo 'const char api_openapi_json[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@

$(B)/gen/openapi.o: $(B)/gen/openapi.c
	$(CC) $(CFLAGS_ALL) -Wno-missing-variable-declarations -c $< -o $@

# The scripts and styles under web/, served at /static/NAME (static.c).
$(B)/gen/web.c: $(WEB_FILES) Makefile
	@mkdir -p $(dir $@)
	{ echo '/* generated from web/ */'; \
	  echo 'struct web_file { const char *name, *data; };'; \
	  echo 'const struct web_file web_files[] = {'; \
	  for f in $(WEB_FILES); do \
	    echo "{ \"$${f#web/}\","; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $$f; \
	    echo '},'; \
	  done; \
	  echo '{ 0, 0 } };'; } > $@

# The English catalogue (po/en.po), compiled by msgfmt and built in.
$(B)/gen/en.mo: po/en.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

$(B)/gen/catalog.c: $(B)/gen/en.mo
	{ echo '/* generated from po/en.po by msgfmt */'; \
	  echo '#include <stddef.h>'; \
	  echo 'const unsigned char i18n_en_mo[] = {'; \
	  od -An -v -tx1 $< | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '};'; \
	  echo 'const size_t i18n_en_mo_len = sizeof i18n_en_mo;'; } > $@

$(B)/gen/catalog.o: $(B)/gen/catalog.c
	$(CC) $(CFLAGS_ALL) -Wno-missing-variable-declarations -c $< -o $@

$(B)/gen/web.o: $(B)/gen/web.c
	$(CC) $(CFLAGS_ALL) -Wno-missing-variable-declarations -c $< -o $@

$(B)/libsoporte.a: $(OBJ_LIB)
	@rm -f $@
	ar rcs $@ $^

$(B)/soporte: $(OBJ_CLI) $(B)/libsoporte.a
	$(CC) $(CFLAGS_ALL) -o $@ $(OBJ_CLI) $(B)/libsoporte.a $(LDLIBS_ALL)

$(B)/tests/run: $(OBJ_TEST) $(B)/libsoporte.a
	$(CC) $(CFLAGS_ALL) -o $@ $(OBJ_TEST) $(B)/libsoporte.a $(LDLIBS_ALL)

SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
CHECK_FLAGS = B=build/check OPT="-O1 -g" EXTRA_CFLAGS="$(SAN)" EXTRA_LDFLAGS="$(SAN)"
CHECK_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	SOPORTE_BIN=$(CURDIR)/build/check/soporte SOPORTE_POLICIES=$(CURDIR)/policies

check: layering i18n-check
	$(MAKE) $(CHECK_FLAGS) build/check/soporte build/check/tests/run
	$(CHECK_ENV) build/check/tests/run
	$(MAKE) check-browser

# The browser tests (tests/browser/): Debian's chromium, driven by
# playwright-core from package-lock.json, against build/check/soporte.
# Missing pieces are an error that says what to run, never a skip.
CHROMIUM ?= /usr/bin/chromium
browser-deps:
	@command -v node >/dev/null 2>&1 || { echo "check-browser: node is missing; run: bash scripts/setup.sh"; exit 1; }
	@node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)' || { echo "check-browser: node $$(node --version) is too old (18 or later); run: bash scripts/setup.sh"; exit 1; }
	@test -x $(CHROMIUM) || { echo "check-browser: no chromium at $(CHROMIUM); run: bash scripts/setup.sh (or apt-get install chromium)"; exit 1; }
	@test -f node_modules/playwright-core/package.json || { echo "check-browser: node_modules/playwright-core is missing; run: npm ci (or bash scripts/setup.sh)"; exit 1; }

check-browser: browser-deps
	$(MAKE) $(CHECK_FLAGS) build/check/soporte
	$(CHECK_ENV) CHROMIUM=$(CHROMIUM) node tests/browser/run.mjs

# docs/console-queue.png and docs/console-ticket.png, from the demo.
screenshots: browser-deps $(B)/soporte
	SOPORTE_BIN=$(CURDIR)/$(B)/soporte SOPORTE_POLICIES=$(CURDIR)/policies \
		CHROMIUM=$(CHROMIUM) node tests/browser/screenshots.mjs

test: $(B)/soporte $(B)/tests/run
	SOPORTE_BIN=$(CURDIR)/$(B)/soporte SOPORTE_POLICIES=$(CURDIR)/policies $(B)/tests/run

valgrind: $(B)/soporte $(B)/tests/run
	SOPORTE_BIN=$(CURDIR)/$(B)/soporte SOPORTE_POLICIES=$(CURDIR)/policies \
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		$(B)/tests/run --unit

# util/ depends on nothing of ours; core/ only on util/ and zone/; store/ never on app/ or cli/.
layering:
	@! grep -n '#include "\.\./\(core\|store\|app\|cli\|zone\)/' src/util/*.[ch] || { echo "layering: util/ must not include other modules"; exit 1; }
	@! grep -n '#include "\.\./\(store\|app\|cli\)/' src/core/*.[ch] src/zone/*.[ch] || { echo "layering: core/ is pure"; exit 1; }
	@! grep -n '#include "\.\./\(app\|cli\)/' src/store/*.[ch] || { echo "layering: store/ must not call up"; exit 1; }
	@! grep -n '#include "\.\./\(cli\|mail\)/' src/app/*.[ch] || { echo "layering: app/ must not call cli/ or mail/"; exit 1; }
	@! grep -ln 'gmime\|curl' src/app/*.[ch] src/core/*.[ch] src/store/*.[ch] || { echo "layering: GMime and libcurl stay in mail/"; exit 1; }
	@! grep -ln '#include <libical' src/*/*.[ch] | grep -v '^src/zone/ics.c$$' || { echo "layering: libical stays in zone/ics.c (loaded by dlopen)"; exit 1; }
	@! grep -ln '#include <microhttpd.h>' src/*/*.[ch] | grep -v '^src/http/server.c$$' || { echo "layering: libmicrohttpd stays in http/server.c"; exit 1; }
	@! grep -ln 'sqlite3' src/core/*.[ch] src/app/*.[ch] src/cli/*.[ch] || { echo "layering: SQLite stays in store/"; exit 1; }

demo: $(B)/soporte
	$(B)/soporte --db demo.db demo

bench: $(B)/soporte
	@for b in bench/*.sh; do [ -f "$$b" ] || continue; B=$(B) bash "$$b" || exit 1; done

# libFuzzer targets (fuzz/README.md): clang, ASan, UBSan.
FUZZ_SECONDS ?= 20
FUZZ_TARGETS := policy mime ics folio markdown tzif
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -g -O1

fuzz:
	$(MAKE) CC=clang B=build/fuzzlib OPT="-O1 -g" \
		EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" build/fuzzlib/libsoporte.a
	@mkdir -p build/fuzz
	@for t in $(FUZZ_TARGETS); do \
		clang $(CSTD) $(FUZZ_FLAGS) $(PKG_CFLAGS) fuzz/$${t}_fuzz.c build/fuzzlib/libsoporte.a \
			$(PKG_LIBS) -lm -o build/fuzz/$$t || exit 1; \
		mkdir -p build/fuzz/corpus-$$t; \
	done
	@cp policies/*.yaml build/fuzz/corpus-policy/ 2>/dev/null; true
	@cp tests/mail/*.eml build/fuzz/corpus-mime/ 2>/dev/null; true
	@build/soporte calendar export --pack intecnia --from 2026 --to 2027 > build/fuzz/corpus-ics/seed.ics 2>/dev/null; true
	@for z in America/Mexico_City America/Santiago Australia/Lord_Howe Europe/Dublin UTC; do \
		cp /usr/share/zoneinfo/$$z build/fuzz/corpus-tzif/$$(echo $$z | tr / _) 2>/dev/null; done; true
	@printf '<-04>4<-03>,M9.1.6/24,M4.1.6/24' > build/fuzz/corpus-tzif/santiago-rule
	@printf 'Re: [INT-2026-00042] falla\n' > build/fuzz/corpus-folio/seed
	@printf '# T\n\n**a** *b* `c` [d](https://e.mx)\n\n- f\n1. g\n> h\n```\ni\n```\n' > build/fuzz/corpus-markdown/seed
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		(cd build/fuzz && ./$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
			-rss_limit_mb=2048 -print_final_stats=1 corpus-$$t \
			> $$t.log 2>&1) || { tail -40 build/fuzz/$$t.log; exit 1; }; \
		grep -E 'exec_per_sec|new_units' build/fuzz/$$t.log; \
	done

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)

# Messages for translators: po/soporte.pot from every T(lang, "...") and
# N_("...") in the sources, merged into po/en.po (translate the new
# msgstr "").
I18N_SRC := $(wildcard src/http/*.c src/app/*.c)
po:
	xgettext --from-code=UTF-8 --keyword= --keyword=T:2 --keyword=N_ --add-comments=TRANSLATORS --no-location \
		--package-name=soporte --msgid-bugs-address= -o po/soporte.pot $(I18N_SRC)
	msgmerge --quiet --update --backup=none --no-location po/en.po po/soporte.pot

# Every message in the sources has its English translation.
i18n-check:
	@mkdir -p build
	@rm -f build/i18n-check.pot
	@xgettext --from-code=UTF-8 --keyword= --keyword=T:2 --keyword=N_ -o build/i18n-check.pot $(I18N_SRC)
	@msgfmt --check -o /dev/null po/en.po
	@test ! -f build/i18n-check.pot || msgcmp po/en.po build/i18n-check.pot || \
		{ echo "i18n: translate the messages above in po/en.po (make po)"; exit 1; }
