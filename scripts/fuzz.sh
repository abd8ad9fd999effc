#!/usr/bin/env bash
# Coverage-guided fuzzing of LumenIO's parsers of untrusted bytes with libFuzzer.
#
#   scripts/fuzz.sh TARGET SECONDS [LIBFUZZER_FLAG...]   # one target
#   scripts/fuzz.sh all SECONDS                          # every target in turn
#
# Builds the harness in .build-fuzz/ (rebuilt only when a source changes), seeds
# a work corpus (.build-fuzz/corpus/TARGET, kept between runs) from the real
# files in ../shared/fixtures and Resources/ and the small hand-made seeds in
# Fuzz/seeds/TARGET, runs libFuzzer for SECONDS and prints executions, coverage
# and corpus size. Exits 1 if any input crashed, trapped, tripped
# AddressSanitizer, timed out or ran out of memory; the reproducer is saved in
# .build-fuzz/crashes/TARGET/ and replays with `.build-fuzz/fuzz-TARGET FILE`.
#
# The build compiles the sources directly (no SwiftPM): LumenTensor and the C
# kernels with AddressSanitizer, and the LumenIO sources together with Fuzz/*.swift
# as one module with coverage instrumentation, so internal parsers such as the
# pickle machine are reachable. One binary serves every target; its name,
# fuzz-TARGET (a symbolic link), picks the target.
set -euo pipefail
cd "$(dirname "$0")/.."

build=.build-fuzz
shared=../shared/fixtures

# Image formats fuzzed on their own, with the file extensions of their seeds.
# A format LumenIO's ImageFormat gains is fuzzed by adding its line here.
declare -A format_extensions=(
    [png]="png"
    [jpeg]="jpg jpeg"
    [tiff]="tif tiff"
    [webp]="webp"
    [bmp]="bmp"
)
targets=(image $(printf "%s\n" "${!format_extensions[@]}" | sort) pickle torch zip safetensors numpy json graphdef onnx)

# Longest input per target: a little above the real files that seed it. Torch
# takes the 320 KB legacy zero-dce-epoch99.pth whole; the pickle and JSON limits
# also bound how deeply a single input can nest.
max_len() {
    case "$1" in
        torch) echo 393216 ;;
        pickle | json) echo 32768 ;;
        *) echo 131072 ;;
    esac
}

usage() {
    echo "usage: scripts/fuzz.sh TARGET|all SECONDS [LIBFUZZER_FLAG...]" >&2
    echo "targets: ${targets[*]}" >&2
    exit 2
}

# Compiles the harness unless every input is unchanged since the last build.
build_harness() {
    local sources stamp
    sources=$(find Sources/LumenTensor Sources/CLumenKernels Sources/CImageCodecs Sources/LumenIO Fuzz \
        -name '*.swift' -o -name '*.c' -o -name '*.h' | sort)
    stamp=$( (cat $sources; declare -f build_harness) | sha256sum | cut -d' ' -f1)
    if [ -x "$build/lumen-fuzz" ] && [ "$(cat "$build/stamp" 2>/dev/null)" = "$stamp" ]; then return; fi

    echo "fuzz: building the harness in $build/"
    local start=$SECONDS
    rm -rf "$build/obj" "$build/modules"
    mkdir -p "$build/obj" "$build/modules/CLumenKernels" "$build/modules/CImageCodecs"
    local library
    for library in CLumenKernels CImageCodecs; do
        printf 'module %s {\n    umbrella header "%s"\n    export *\n}\n' \
            "$library" "$PWD/Sources/$library/include/$library.h" >"$build/modules/$library/module.modulemap"
    done
    local clang_modules=(
        -Xcc "-fmodule-map-file=$build/modules/CLumenKernels/module.modulemap"
        -Xcc "-fmodule-map-file=$build/modules/CImageCodecs/module.modulemap"
        -Xcc "-fmodule-map-file=Sources/CBLAS/module.modulemap"
        $(pkg-config --cflags-only-I openblas)
    )
    local file
    # The kernels are not parsers: AddressSanitizer checks them, coverage would only add noise.
    for file in Sources/CLumenKernels/*.c; do
        clang -O2 -g -fsanitize=address -ISources/CLumenKernels/include \
            -c "$file" -o "$build/obj/kernels-$(basename "$file" .c).o"
    done
    for file in Sources/CImageCodecs/*.c; do
        clang -O1 -g -fsanitize=fuzzer-no-link,address -ISources/CImageCodecs/include \
            -c "$file" -o "$build/obj/codecs-$(basename "$file" .c).o"
    done
    swiftc -O -g -wmo -parse-as-library -swift-version 6 -sanitize=address \
        -module-name LumenTensor "${clang_modules[@]}" \
        -emit-module -emit-module-path "$build/modules/LumenTensor.swiftmodule" \
        -c $(find Sources/LumenTensor -name '*.swift' | sort) -o "$build/obj/LumenTensor.o"
    # Named LumenIO so that the sources compile unchanged; the harness joins that module.
    swiftc -O -g -wmo -parse-as-library -swift-version 6 -sanitize=fuzzer,address \
        -module-name LumenIO "${clang_modules[@]}" -I "$build/modules" \
        -emit-module -emit-module-path "$build/modules/LumenIO.swiftmodule" \
        -c $(find Sources/LumenIO Fuzz -name '*.swift' | sort) -o "$build/obj/LumenIO.o"
    swiftc -sanitize=fuzzer,address -use-ld=lld "$build"/obj/*.o \
        $(pkg-config --libs openblas) -lpng -ljpeg -ltiff -lwebp -o "$build/lumen-fuzz"
    local target
    for target in "${targets[@]}"; do ln -sf lumen-fuzz "$build/fuzz-$target"; done
    echo "$stamp" >"$build/stamp"
    echo "fuzz: built in $((SECONDS - start)) s"
}

# The real files that seed TARGET, one path a line.
seed_files() {
    local target=$1 extensions pattern=() extension
    case "$target" in
        image) extensions="${format_extensions[*]}" ;;
        pickle | torch) extensions="pth pt" ;;
        zip) extensions="pth pt npz" ;;
        numpy) extensions="npy npz" ;;
        safetensors | json) extensions="$target" ;;
        graphdef) extensions="pb" ;;
        onnx) extensions="onnx" ;;
        *) extensions="${format_extensions[$target]}" ;;
    esac
    for extension in $extensions; do pattern+=(-o -iname "*.$extension"); done
    # Tests/LumenIOTests/Formats: the small TIFF, WebP and BMP reference files.
    local roots=(Resources Tests/LumenIOTests/Formats)
    [ -d "$shared" ] && roots+=("$shared")
    find "${roots[@]}" -type f -size -"$(max_len "$target")"c \( "${pattern[@]:1}" \) | sort
}

# Copies the seeds into the work corpus; the pickle target gets each checkpoint's pickles.
seed_corpus() {
    local target=$1 corpus=$2 file
    mkdir -p "$corpus"
    [ -d "Fuzz/seeds/$target" ] && cp -n Fuzz/seeds/"$target"/* "$corpus"/
    seed_files "$target" | while read -r file; do
        local seed
        seed="$corpus/seed-$(echo "$file" | tr '/.' '__')"
        if [ "$target" != pickle ]; then
            cp "$file" "$seed"
        elif [ "$(head -c 2 "$file" | od -An -tx1 | tr -d ' ')" = 504b ]; then
            unzip -p "$file" '*/data.pkl' >"$seed"
        else
            # A legacy file's pickles; its magic number (15 bytes) exceeds the machine's integers.
            tail -c +16 "$file" >"$seed"
        fi
    done
}

# Runs TARGET for SECONDS and prints one summary line; returns 1 on a finding.
fuzz_target() {
    local target=$1 seconds=$2
    shift 2
    local corpus="$build/corpus/$target" crashes="$build/crashes/$target" log="$build/logs/$target.log"
    seed_corpus "$target" "$corpus"
    mkdir -p "$crashes" "$build/logs"
    local status=0
    # Swift's own crash backtracer would read memory that AddressSanitizer guards; libFuzzer reports traps itself.
    SWIFT_BACKTRACE=enable=no timeout $((seconds + 120)) "$build/fuzz-$target" "$corpus" \
        -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$crashes/" "$@" >"$log" 2>&1 || status=$?
    local executions coverage features units
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    coverage=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
    features=$(grep -Eo 'ft: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
    units=$(find "$corpus" -type f | wc -l)
    local outcome="no crash"
    if [ "$status" -ne 0 ]; then
        local reproducer
        reproducer=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
        outcome="CRASH (exit $status): ${reproducer:-no reproducer written}, log $log"
        grep -E '==[0-9]+== ?ERROR|^SUMMARY|Swift runtime failure' "$log" | head -n 3 | sed 's/^/fuzz:   /' >&2 || true
    fi
    printf 'fuzz: %-11s %5s s  %9s execs  cov %5s  ft %6s  corpus %5s  %s\n' \
        "$target" "$seconds" "${executions:-?}" "${coverage:-?}" "${features:-?}" "$units" "$outcome"
    [ "$status" -eq 0 ]
}

[ $# -ge 2 ] || usage
selection=$1 seconds=$2
shift 2
if [ "$selection" = all ]; then
    selected=("${targets[@]}")
elif [[ " ${targets[*]} " == *" $selection "* ]]; then
    selected=("$selection")
else
    usage
fi

build_harness
failed=0
for target in "${selected[@]}"; do fuzz_target "$target" "$seconds" "$@" || failed=1; done
exit "$failed"
