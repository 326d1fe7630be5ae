#!/usr/bin/env bash
# Cross-builds gongyu.exe for 64-bit Windows on Linux (Debian), into target/windows/gongyu.exe.
#
#   scripts/build-windows.sh            # release build (what is handed to a district office)
#   scripts/build-windows.sh --debian   # the same with Debian's Rust instead of rustup's
#
# Needs Debian's MinGW-w64 C compiler and linker (gcc-mingw-w64-x86-64) and one of:
# - rustup's x86_64-pc-windows-gnu standard library for the machine's toolchain (added here if
#   missing; rustup downloads it). The Linux build is untouched: same toolchain, same
#   Cargo.lock, another target.
# - where rustup cannot add it: Debian's rustc-web, cargo-web and rust-web-src, which build the
#   standard library for Windows from source (-Zbuild-std, under RUSTC_BOOTSTRAP=1) with the
#   same Cargo.lock; the start and end objects the linker wants (rsbegin.o, rsend.o) are
#   compiled from the source package's library/rtstartup. Slower (measured: 7m30s of CPU).
# Debian packages are installed here when run as root.
# The .exe imports only DLLs that come with Windows 10 and later; scripts/test-windows.sh
# runs it under Wine.
set -euo pipefail
cd "$(dirname "$0")/.."

target=x86_64-pc-windows-gnu
mingw=x86_64-w64-mingw32-gcc

say() { printf 'build-windows: %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

# apt_install PACKAGE...: Debian packages, as root.
apt_install() {
    [ "$(id -u)" -eq 0 ] || fail "missing $*: run apt-get install -y $* as root"
    say "installing $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "$@" >/dev/null \
        || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "$@" >/dev/null; } \
        || fail "could not install $*"
}

command -v "$mingw" >/dev/null 2>&1 || apt_install gcc-mingw-w64-x86-64

route=rustup
if [ "${1:-}" = --debian ]; then
    route=debian
elif ! command -v rustup >/dev/null 2>&1; then
    say "rustup is not installed: building with Debian's Rust"
    route=debian
elif ! rustup target list --installed | grep -qx "$target"; then
    say "adding the $target standard library to $(rustc --version)"
    if ! rustup target add "$target"; then
        say "rustup could not add $target (it downloads it): building with Debian's Rust instead"
        route=debian
    fi
fi

# The C parts (SQLite, mimalloc) and the link go through MinGW; libgcc and winpthread are
# linked in statically, so nothing but Windows' own DLLs is needed beside the .exe.
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER="$mingw"
export CC_x86_64_pc_windows_gnu="$mingw"
export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C target-feature=+crt-static"

started=$(date +%s)
if [ "$route" = rustup ]; then
    cargo build --locked --release --target "$target" --bin gongyu
    built="target/$target/release/gongyu.exe"
else
    [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/src/rust/library ] \
        || apt_install rustc-web cargo-web rust-web-src
    src=$(realpath /usr/lib/rustlib/src/rust/library)
    say "with Debian's $(/usr/bin/rustc --version), the standard library from $src"
    rt=target/windows-debian/rt
    mkdir -p "$rt"
    for obj in rsbegin rsend; do
        RUSTC_BOOTSTRAP=1 /usr/bin/rustc --target "$target" --crate-type rlib --emit=obj -C panic=abort -O \
            -o "$rt/$obj.o" "$src/rtstartup/$obj.rs" || fail "compiling $obj.o"
    done
    export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="$CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS -L $PWD/$rt"
    RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 /usr/bin/cargo build --locked --release \
        --target "$target" --bin gongyu -Zbuild-std=std,panic_unwind --target-dir target/windows-debian/build
    built="target/windows-debian/build/$target/release/gongyu.exe"
fi
mkdir -p target/windows
cp "$built" target/windows/gongyu.exe
say "built target/windows/gongyu.exe ($(stat -c %s target/windows/gongyu.exe) bytes) in $(( $(date +%s) - started )) s"

# Only system DLLs: a DLL of MinGW's (libgcc_s, libwinpthread, libstdc++) would be missing on
# a clerk's machine.
dlls=$(x86_64-w64-mingw32-objdump -p target/windows/gongyu.exe | sed -n 's/^\tDLL Name: //p' | sort -u)
say "imports: $(echo $dlls)"
for dll in $dlls; do
    case "$(echo "$dll" | tr 'A-Z' 'a-z')" in
        kernel32.dll | ntdll.dll | advapi32.dll | bcrypt.dll | bcryptprimitives.dll | ws2_32.dll | userenv.dll \
            | msvcrt.dll | user32.dll | shell32.dll | ole32.dll | oleaut32.dll | api-ms-win-*) ;;
        *) fail "gongyu.exe needs $dll, which Windows does not have" ;;
    esac
done
