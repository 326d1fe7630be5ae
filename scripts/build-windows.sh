#!/usr/bin/env bash
# Cross-builds gongyu.exe for 64-bit Windows on Linux (Debian), into target/windows/gongyu.exe.
#
#   scripts/build-windows.sh            # release build (what is handed to a district office)
#
# Needs: rustup with the x86_64-pc-windows-gnu standard library (added here if missing) and
# Debian's MinGW-w64 C compiler and linker (gcc-mingw-w64-x86-64, installed here when run as
# root). The Linux build is untouched: same toolchain, same Cargo.lock, another target.
# The .exe imports only DLLs that come with Windows 10 and later; scripts/test-windows.sh
# runs it under Wine.
set -euo pipefail
cd "$(dirname "$0")/.."

target=x86_64-pc-windows-gnu
mingw=x86_64-w64-mingw32-gcc

say() { printf 'build-windows: %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

if ! command -v "$mingw" >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || fail "$mingw is missing: run apt-get install -y gcc-mingw-w64-x86-64 as root"
    say "installing Debian's MinGW-w64 (gcc-mingw-w64-x86-64)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc-mingw-w64-x86-64 >/dev/null \
        || { DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null \
             && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc-mingw-w64-x86-64 >/dev/null; } \
        || fail "could not install gcc-mingw-w64-x86-64"
fi

if ! rustup target list --installed | grep -qx "$target"; then
    say "adding the $target standard library to $(rustc --version)"
    rustup target add "$target" || fail "rustup could not add $target (it downloads the standard library)"
fi

# The C parts (SQLite, mimalloc) and the link go through MinGW; libgcc and winpthread are
# linked in statically, so nothing but Windows' own DLLs is needed beside the .exe.
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER="$mingw"
export CC_x86_64_pc_windows_gnu="$mingw"
export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C target-feature=+crt-static"

started=$(date +%s)
cargo build --locked --release --target "$target" --bin gongyu
mkdir -p target/windows
cp "target/$target/release/gongyu.exe" target/windows/gongyu.exe
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
