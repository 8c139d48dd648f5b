# soporte — plain Makefile; every library through pkg-config.
# make            build build/soporte
# make check      build with ASan+UBSan into build/check and run every test
# make test       run the tests on the plain build (faster, no sanitizers)
# make valgrind   run the unit tests under valgrind
# make demo       soporte demo on ./demo.db
# make bench      benchmarks (bench/)

CC      ?= cc
PKGS    := sqlite3 jansson yaml-0.1 libical libsodium gmime-3.0 libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
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
SRC_LIB := $(wildcard src/util/*.c src/zone/*.c src/core/*.c src/store/*.c src/app/*.c src/mail/*.c)
SRC_CLI := $(wildcard src/cli/*.c)
SRC_TEST := $(wildcard tests/*.c)
OBJ_LIB := $(SRC_LIB:%.c=$(B)/%.o)
OBJ_CLI := $(SRC_CLI:%.c=$(B)/%.o)
OBJ_TEST := $(SRC_TEST:%.c=$(B)/%.o)

.PHONY: all check test valgrind demo bench clean layering fmt

all: $(B)/soporte

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(B)/libsoporte.a: $(OBJ_LIB)
	@rm -f $@
	ar rcs $@ $^

$(B)/soporte: $(OBJ_CLI) $(B)/libsoporte.a
	$(CC) $(CFLAGS_ALL) -o $@ $(OBJ_CLI) $(B)/libsoporte.a $(LDLIBS_ALL)

$(B)/tests/run: $(OBJ_TEST) $(B)/libsoporte.a
	$(CC) $(CFLAGS_ALL) -o $@ $(OBJ_TEST) $(B)/libsoporte.a $(LDLIBS_ALL)

SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

check: layering
	$(MAKE) B=build/check OPT="-O1 -g" EXTRA_CFLAGS="$(SAN)" EXTRA_LDFLAGS="$(SAN)" \
		build/check/soporte build/check/tests/run
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		SOPORTE_BIN=$(CURDIR)/build/check/soporte SOPORTE_POLICIES=$(CURDIR)/policies \
		build/check/tests/run

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
	@! grep -ln 'sqlite3' src/core/*.[ch] src/app/*.[ch] src/cli/*.[ch] || { echo "layering: SQLite stays in store/"; exit 1; }

demo: $(B)/soporte
	$(B)/soporte --db demo.db demo

bench: $(B)/soporte
	@for b in bench/*.sh; do [ -f "$$b" ] || continue; B=$(B) bash "$$b" || exit 1; done

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
