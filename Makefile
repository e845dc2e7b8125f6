# leap -- build, test, bench.  `make` builds ./leap; `make check` runs every test.
CC      ?= gcc
VERSION := 0.2.0
GIT     := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)$(shell git diff --quiet HEAD -- src 2>/dev/null || echo +modified)
# the commit is compiled into ./leap (run.json, --version, the run store, reports,
# checkpoints): every object that names LEAP_GIT is rebuilt when it changes
$(shell mkdir -p build && (echo '$(VERSION) $(GIT)' | cmp -s - build/git.txt || echo '$(VERSION) $(GIT)' > build/git.txt))
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith
CFLAGS  ?= -O2 -march=x86-64-v2 -g
CPPFLAGS += -D_GNU_SOURCE -DLEAP_VERSION='"$(VERSION)"' -DLEAP_GIT='"$(GIT)"' -DLEAP_DATADIR='"$(CURDIR)/data"'
ALL_CFLAGS = -std=c11 $(WARN) -fopenmp $(CFLAGS)
LDLIBS  := -lyaml -lcsv -ljansson -lnlopt -lsqlite3 -lz -lm
SRC     := $(filter-out src/main.c,$(wildcard src/*.c))
OBJ     := $(SRC:src/%.c=build/%.o)
COBJ    := $(SRC:src/%.c=build/checked/%.o)
TESTS   := $(patsubst tests/%.c,build/tests/%,$(wildcard tests/test_*.c))
CHECKED := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -DLEAP_CHECKED

.PHONY: all check unit clean bench
all: leap

leap: build/main.o $(OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

STAMPED := $(patsubst src/%.c,%,$(shell grep -l LEAP_GIT src/*.c))
$(STAMPED:%=build/%.o) $(patsubst %,build/checked/%.o,$(filter-out main,$(STAMPED))) leap-checked: build/git.txt

build/%.o: src/%.c $(wildcard src/*.h src/*.def) | build
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

build/checked/%.o: src/%.c $(wildcard src/*.h src/*.def) | build/checked
	$(CC) $(CPPFLAGS) -std=c11 $(WARN) -fopenmp $(CHECKED) -c -o $@ $<

build/tests/%: tests/%.c $(COBJ) | build/tests
	$(CC) $(CPPFLAGS) -Isrc -std=c11 $(WARN) -fopenmp $(CHECKED) -o $@ $< $(COBJ) $(LDLIBS) -lcmocka

build build/checked build/tests:
	@mkdir -p $@

unit: $(TESTS)
	@for t in $(TESTS); do echo "== $$t"; $$t || exit 1; done

# Every test: unit tests (checked build), then the scenario-level tests.
check: leap unit
	tests/run-all.sh

bench: leap
	bench/run.sh

clean:
	rm -rf build leap

# A checked build of the program (sanitizers, asserts): for debugging and tests.
leap-checked: src/main.c $(COBJ)
	$(CC) $(CPPFLAGS) -std=c11 $(WARN) -fopenmp $(CHECKED) -o $@ $(filter %.c %.o,$^) $(LDLIBS)
