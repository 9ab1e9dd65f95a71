#!/usr/bin/env bash
# Installs rewind for one user: the published CLI in PREFIX/lib/rewind and a launcher in
# PREFIX/bin/rewind. PREFIX is ~/.local unless given; PREFIX/bin must be on PATH.
#   bash src/Rewind.Cli/install.sh [PREFIX]             (npm run install-local)
#   bash src/Rewind.Cli/install.sh --uninstall [PREFIX]
# Needs the .NET 10 SDK to build, and at run time the liblz4-1 and gdb packages (Debian).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" = "--uninstall" ]; then
  prefix="${2:-$HOME/.local}"
  rm -rf "$prefix/lib/rewind" "$prefix/bin/rewind"
  echo "rewind: removed from $prefix"
  exit 0
fi
prefix="$(mkdir -p "${1:-$HOME/.local}" && cd "${1:-$HOME/.local}" && pwd)"
# ReadyToRun: compiled ahead of time, so each command spends less of its start in the JIT
# (about 60 ms of a 0.35 s hibernation of 100 MB; docs/benchmarks.md, "Hibernation").
dotnet publish src/Rewind.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$prefix/lib/rewind" -nologo -v quiet
mkdir -p "$prefix/bin"
# A launcher, not a copy: the apphost finds rewind.dll beside itself.
printf '#!/bin/sh\nexec "%s/lib/rewind/rewind" "$@"\n' "$prefix" > "$prefix/bin/rewind"
chmod +x "$prefix/bin/rewind"
echo "rewind: installed $("$prefix/bin/rewind" --version | cut -d' ' -f2) in $prefix/bin/rewind"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "rewind: add $prefix/bin to PATH to run it as 'rewind'";; esac
ldconfig -p 2>/dev/null | grep -q 'liblz4\.so\.1' || echo "rewind: it needs liblz4 (sudo apt-get install liblz4-1)"
