#!/usr/bin/env bash
# Rebuilds the committed BPF objects in bpf/ with Debian's clang and
# records the source hashes in bpf/MANIFEST.json (test/unit/bpf/objects.test.ts
# fails when a source changed and its object was not rebuilt).
# Needs: clang, llvm (llvm-strip) and libbpf-dev (bpf_helpers.h).
set -euo pipefail
cd "$(dirname "$0")/.."

CLANG=${CLANG:-clang}
command -v "$CLANG" >/dev/null || { echo "build-bpf: $CLANG not found: apt-get install clang llvm libbpf-dev" >&2; exit 1; }
[ -f /usr/include/bpf/bpf_helpers.h ] || { echo "build-bpf: bpf_helpers.h not found: apt-get install libbpf-dev" >&2; exit 1; }
# linux/bpf.h and friends come from the build host's multiarch include dir.
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

for src in bpf/*.bpf.c; do
	obj=${src%.c}.o
	# The objects read no architecture registers, so one little-endian
	# object serves x86_64 and arm64 alike.
	"$CLANG" -g -O2 -target bpfel -Wall -Werror \
		-I bpf -I "/usr/include/$multiarch" \
		-c "$src" -o "$obj"
	# Drop DWARF (keeps BTF, which CO-RE and the loader need).
	llvm-strip -g "$obj" 2>/dev/null || llvm-strip-14 -g "$obj"
	echo "built $obj"
done

node scripts/bpf-manifest.mjs --write
